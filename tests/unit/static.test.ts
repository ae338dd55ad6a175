import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticRoutes } from '../../server/routes/static.ts';
import { precompress } from '../../vite.config.ts';

/**
 * The web app's files compressed once at build time (vite.config.ts's `precompress`) and sent as they are by
 * server/routes/static.ts: brotli or gzip as the client takes them, else the file itself; HEAD as GET.
 */
describe('precompressed static files', () => {
  let dir: string;
  const script = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word${i % 37}`))};\n`;
  const font = new Uint8Array(2048).map((_, i) => (i * 7919) % 251);
  let app: Hono;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qa-static-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), `<!doctype html><title>atlas</title>${'<p>text</p>'.repeat(100)}`);
    writeFileSync(join(dir, 'assets/app-1234.js'), script);
    writeFileSync(join(dir, 'assets/font-1234.woff2'), font);
    await precompress(dir);
    app = new Hono().route('/', staticRoutes({ root: dir }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes brotli and gzip forms beside text files, none beside fonts', () => {
    for (const name of ['index.html', 'assets/app-1234.js']) {
      expect(brotliDecompressSync(readFileSync(join(dir, `${name}.br`))).toString(), name).toBe(
        readFileSync(join(dir, name)).toString(),
      );
      expect(gunzipSync(readFileSync(join(dir, `${name}.gz`))).toString(), name).toBe(
        readFileSync(join(dir, name)).toString(),
      );
    }
    expect(existsSync(join(dir, 'assets/font-1234.woff2.br'))).toBe(false);
    expect(existsSync(join(dir, 'assets/font-1234.woff2.gz'))).toBe(false);
  });

  it('sends the brotli file as it was written, with Content-Encoding, Vary and a year of caching', async () => {
    const res = await app.request('/assets/app-1234.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(readFileSync(join(dir, 'assets/app-1234.js.br')))).toBe(true);
    expect(res.headers.get('content-length')).toBe(String(body.length));
    expect(brotliDecompressSync(body).toString()).toBe(script);
  });

  it('sends the gzip file to a client without brotli', async () => {
    const res = await app.request('/assets/app-1234.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(readFileSync(join(dir, 'assets/app-1234.js.gz')))).toBe(true);
  });

  it('falls back to the file itself for a client that takes neither', async () => {
    const asked: Record<string, string>[] = [
      {},
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'br;q=0, gzip;q=0' },
    ];
    for (const headers of asked) {
      const res = await app.request('/assets/app-1234.js', { headers });
      expect(res.headers.get('content-encoding'), JSON.stringify(headers)).toBeNull();
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      expect(await res.text()).toBe(script);
    }
  });

  it('sends fonts as they are, and pages (index.html) compressed and revalidated', async () => {
    const woff = await app.request('/assets/font-1234.woff2', { headers: { 'accept-encoding': 'br, gzip' } });
    expect(woff.headers.get('content-encoding')).toBeNull();
    expect(new Uint8Array(await woff.arrayBuffer())).toEqual(font);

    const page = await app.request('/finder', { headers: { 'accept-encoding': 'br' } });
    expect(page.headers.get('content-encoding')).toBe('br');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const headers = { 'accept-encoding': 'br' };
    const get = await app.request('/assets/app-1234.js', { headers });
    const head = await app.request('/assets/app-1234.js', { method: 'HEAD', headers });
    expect(head.status).toBe(200);
    for (const name of ['content-encoding', 'content-length', 'content-type', 'etag', 'vary', 'cache-control']) {
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    }
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers If-None-Match with 304 in any coding', async () => {
    const first = await app.request('/assets/app-1234.js', { headers: { 'accept-encoding': 'br' } });
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{16}-br"$/);
    const again = await app.request('/assets/app-1234.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });
});
