import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../server/env.ts';
import {
  chooseEncoding,
  etagFor,
  fileBodies,
  ifNoneMatch,
  type Representation,
  represent,
  send,
} from '../../server/http/representation.ts';
import { CONTENT_SECURITY_POLICY, security } from '../../server/http/security.ts';
import { openApiRoutes } from '../../server/routes/openapi.ts';
import { staticRoutes } from '../../server/routes/static.ts';

const both = { br: true, gzip: true };

describe('chooseEncoding (Accept-Encoding read with Hono’s parseAccept)', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['identity', 'identity'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, br', 'br'],
    ['br, gzip, deflate', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['gzip;q=0, *;q=0.2', 'br'],
    ['br;q=0, *', 'gzip'],
    ['deflate', 'identity'],
    ['GZIP ; q=0.8', 'gzip'],
  ] as const)('%j → %s', (header, expected) => {
    expect(chooseEncoding(header, both)).toBe(expected);
  });

  it('offers only the codings the body has', () => {
    expect(chooseEncoding('br, gzip', { br: false, gzip: true })).toBe('gzip');
    expect(chooseEncoding('br', { br: false, gzip: true })).toBe('identity');
    expect(chooseEncoding('br, gzip', { br: false, gzip: false })).toBe('identity');
  });
});

describe('ETags', () => {
  it('appends the coding to the tag of a compressed form', () => {
    expect(etagFor('1-abc', 'identity')).toBe('"1-abc"');
    expect(etagFor('1-abc', 'br')).toBe('"1-abc-br"');
    expect(etagFor('1-abc', 'gzip')).toBe('"1-abc-gzip"');
  });

  it('matches If-None-Match naming the tag in any coding, weak or strong, in a list, or *', () => {
    for (const header of ['"t"', '"t-br"', '"t-gzip"', 'W/"t"', '"x", "t-gzip"', '*'])
      expect(ifNoneMatch(header, 't'), header).toBe(true);
    for (const header of [undefined, '', '"u"', '"t-deflate"', '"tt"']) expect(ifNoneMatch(header, 't')).toBe(false);
  });
});

describe('represent', () => {
  const json = JSON.stringify({ values: Array.from({ length: 500 }, (_, i) => ({ code: String(i), value: i / 7 })) });

  it('keeps the bytes with their brotli and gzip forms, each decoding to the bytes', async () => {
    const rep = await represent(json, { contentType: 'application/json', tagPrefix: '7-0123456789ab' });
    expect(rep.tag).toMatch(/^7-0123456789ab-[0-9a-f]{16}$/);
    expect(Buffer.from(rep.identity).toString()).toBe(json);
    expect(brotliDecompressSync(rep.br as Uint8Array).toString()).toBe(json);
    expect(gunzipSync(rep.gzip as Uint8Array).toString()).toBe(json);
    expect(rep.br?.length).toBeLessThan(json.length);
  });

  it('gives equal bodies equal tags and different bodies different ones', async () => {
    const a = await represent(json, { contentType: 'application/json' });
    const b = await represent(json, { contentType: 'application/json' });
    const c = await represent(`${json} `, { contentType: 'application/json' });
    expect(a.tag).toBe(b.tag);
    expect(c.tag).not.toBe(a.tag);
  });

  it('offers no compressed form of a tiny body, of an incompressible one, or of one marked incompressible', async () => {
    const tiny = await represent('{"a":1}', { contentType: 'application/json' });
    expect([tiny.br, tiny.gzip]).toEqual([null, null]);
    const random = new Uint8Array(4096).map((_, i) => (i * 2654435761) % 251);
    const noise = await represent(random, { contentType: 'application/octet-stream' });
    expect(noise.gzip === null || noise.gzip.length < random.length * 0.95).toBe(true);
    const marked = await represent(json, { contentType: 'font/woff2', compressible: false });
    expect([marked.br, marked.gzip]).toEqual([null, null]);
  });
});

describe('send', () => {
  let rep: Representation;
  let app: Hono;
  beforeAll(async () => {
    rep = await represent('x'.repeat(2000), { contentType: 'text/plain', tagPrefix: '3-aaaaaaaaaaaa' });
    app = new Hono().get('/', (c) => send(c, rep, 'public, max-age=5', { 'x-extra': 'yes' }));
  });

  it('answers in the coding asked for, with its ETag, Vary, Cache-Control and length', async () => {
    for (const [accept, coding] of [
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['identity', 'identity'],
    ] as const) {
      const res = await app.request('/', { headers: { 'accept-encoding': accept } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(coding === 'identity' ? null : coding);
      expect(res.headers.get('etag')).toBe(etagFor(rep.tag, coding));
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      expect(res.headers.get('cache-control')).toBe('public, max-age=5');
      expect(res.headers.get('content-type')).toBe('text/plain');
      expect(res.headers.get('x-extra')).toBe('yes');
      const body = new Uint8Array(await res.arrayBuffer());
      expect(res.headers.get('content-length')).toBe(String(body.length));
    }
  });

  it('answers If-None-Match with the tag of any coding with 304 and no body', async () => {
    for (const coding of ['br', 'gzip', 'identity'] as const) {
      const res = await app.request('/', {
        headers: { 'accept-encoding': 'br', 'if-none-match': etagFor(rep.tag, coding) },
      });
      expect(res.status).toBe(304);
      expect(res.headers.get('etag')).toBe(etagFor(rep.tag, 'br'));
      expect((await res.arrayBuffer()).byteLength).toBe(0);
    }
    expect((await app.request('/', { headers: { 'if-none-match': '"3-aaaaaaaaaaaa-0"' } })).status).toBe(200);
  });
});

describe('files: fileBodies and the web app', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qa-representation-'));
    writeFileSync(join(dir, 'index.html'), `<!doctype html><title>atlas</title>${'<p>text</p>'.repeat(100)}`);
    writeFileSync(join(dir, 'data.bin'), new Uint8Array(64));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a file once and keeps it; a missing file is null and is not kept', async () => {
    const files = fileBodies(1024 * 1024);
    let loads = 0;
    const load = async () => {
      loads++;
      return new Uint8Array(Buffer.from('a'.repeat(1000)));
    };
    const [a, b] = await Promise.all([
      files.get('k', load, { contentType: 'text/plain' }),
      files.get('k', load, { contentType: 'text/plain' }),
    ]);
    await files.get('k', load, { contentType: 'text/plain' });
    expect(loads).toBe(1);
    expect(a?.tag).toBe(b?.tag);
    expect(files.bytes).toBeGreaterThan(1000);

    let misses = 0;
    const none = async () => {
      misses++;
      return null;
    };
    expect(await files.get('gone', none, { contentType: 'text/plain' })).toBeNull();
    expect(await files.get('gone', none, { contentType: 'text/plain' })).toBeNull();
    expect(misses).toBe(2);
  });

  it('drops the least recently used files past its size', async () => {
    const files = fileBodies(2500);
    let loads = 0;
    const load = async () => {
      loads++;
      return new Uint8Array(1000).map((_, i) => (i * 7919) % 256);
    };
    const options = { contentType: 'application/octet-stream', compressible: false };
    await files.get('a', load, options);
    await files.get('b', load, options);
    await files.get('c', load, options); // 3000 bytes: a goes
    expect(files.bytes).toBeLessThanOrEqual(2500);
    await files.get('a', load, options);
    expect(loads).toBe(4);
  });

  it('serves the web app without a policy of its own: the one Content-Security-Policy comes from http/security.ts', async () => {
    const bare = new Hono().route('/', staticRoutes({ root: dir }));
    const page = await bare.request('/', { headers: { 'accept-encoding': 'gzip' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-encoding')).toBe('gzip');
    expect(page.headers.get('content-security-policy')).toBeNull();

    const app = new Hono().use('*', ...security(readEnv({}))).route('/', staticRoutes({ root: dir }));
    for (const path of ['/', '/finder', '/data.bin']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
    }
    const etag = page.headers.get('etag') ?? '';
    expect((await app.request('/finder', { headers: { 'if-none-match': etag } })).status).toBe(304);
  });
});

describe('the OpenAPI document', () => {
  it('is made once and sent like every kept body: compressed, with an ETag, 304 when unchanged', async () => {
    const app = new Hono().route('/api/openapi.json', openApiRoutes());
    const first = await app.request('/api/openapi.json', { headers: { 'accept-encoding': 'br' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-encoding')).toBe('br');
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{16}-br"$/);
    const plain = await app.request('/api/openapi.json');
    expect(((await plain.json()) as { openapi: string }).openapi).toBe('3.1.0');
    expect((await app.request('/api/openapi.json', { headers: { 'if-none-match': etag } })).status).toBe(304);
  });
});
