import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { rawGet } from './http-raw.ts';

/** Sizes on the wire, as the app sends them, and the JavaScript a first visit needs (from dist/web). */

export interface BodySizes {
  /** What a browser gets (Accept-Encoding: br, gzip, deflate), and in which coding. */
  wire: number;
  encoding: string;
  identity: number;
  gzip: number;
  /** Brotli of the JSON at quality 11: what a precompressed answer would weigh. */
  brotli11: number;
}

export async function bodySizes(origin: string, path: string): Promise<BodySizes> {
  const wire = await rawGet(origin + path, { 'accept-encoding': 'br, gzip, deflate' });
  const plain = await rawGet(origin + path, { 'accept-encoding': 'identity' });
  if (wire.status !== 200 || plain.status !== 200) throw new Error(`GET ${path}: ${wire.status}/${plain.status}`);
  const json = plain.body;
  return {
    wire: wire.body.length,
    encoding: wire.headers['content-encoding'] ?? 'identity',
    identity: json.length,
    gzip: gzipSync(json, { level: 9 }).length,
    brotli11: brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Brotli 11 of the values answer reduced to what the map needs: code, value and class per area, the classification. */
export async function valuesCore(origin: string, path: string): Promise<number> {
  const res = await rawGet(origin + path, { 'accept-encoding': 'identity' });
  const body = JSON.parse(res.body.toString()) as {
    values: { code: string; value: number | null; class: number | null }[];
    classification: unknown;
  };
  const core = JSON.stringify({
    values: body.values.map((v) => [v.code, v.value, v.class]),
    classification: body.classification,
  });
  return brotliCompressSync(core, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}

export interface ScriptSizes {
  /** The entry scripts of index.html and every module they import statically, with the gzip size served. */
  initial: { file: string; raw: number; gzip: number }[];
  initialGzip: number;
  /** The chunk holding MapLibre (and deck.gl), with its size, and whether the first visit loads it eagerly. */
  map: { file: string; raw: number; gzip: number; eager: boolean } | null;
}

const STATIC_IMPORT = /(?:^|[;\s}])import\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+\.js)["']/g;

/** Follows the static imports of the built app from index.html; dynamic import() starts a lazy chunk. */
export async function scriptSizes(distDir: string, origin: string): Promise<ScriptSizes> {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const entries = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1] as string);
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const url = queue.shift() as string;
    if (seen.has(url)) continue;
    seen.add(url);
    const code = readFileSync(join(distDir, url), 'utf8');
    for (const m of code.matchAll(STATIC_IMPORT)) {
      const spec = m[1] as string;
      queue.push(new URL(spec, `http://x${url}`).pathname);
    }
  }
  const sizeOf = async (url: string) => {
    const res = await rawGet(origin + url, { 'accept-encoding': 'gzip' });
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
    return { file: url, raw: readFileSync(join(distDir, url)).length, gzip: res.body.length };
  };
  const initial = await Promise.all([...seen].map(sizeOf));
  const mapFile = readdirSync(join(distDir, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .find((f) => readFileSync(join(distDir, 'assets', f), 'utf8').includes('MapLibre GL JS'));
  const map = mapFile ? { ...(await sizeOf(`/assets/${mapFile}`)), eager: seen.has(`/assets/${mapFile}`) } : null;
  return { initial, initialGzip: initial.reduce((s, f) => s + f.gzip, 0), map };
}

/** Whether a second GET with the ETag of the first is answered 304 without a body. */
export async function revalidates(origin: string, path: string): Promise<boolean> {
  const first = await rawGet(origin + path, { 'accept-encoding': 'br, gzip, deflate' });
  const etag = first.headers.etag;
  if (!etag) return false;
  const again = await rawGet(origin + path, { 'accept-encoding': 'br, gzip, deflate', 'if-none-match': etag });
  return again.status === 304 && again.body.length === 0;
}
