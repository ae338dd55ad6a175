import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { ADDRESS_SQL, type SearchHit, SearchResult } from '../../server/routes/search.ts';
import { ApiError, createApiClient } from '../../web/api/client.ts';
import { engines, realDb } from '../support/db.ts';

const MATCH_ORDER = ['exact', 'prefix', 'contains'];
const KIND_ORDER = ['area', 'address', 'offer'];

describe.each(engines)('/api/search on %s', (engine) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.close();
  });

  async function search(q: string, limit?: number): Promise<SearchHit[]> {
    const query = new URLSearchParams({ q, ...(limit ? { limit: String(limit) } : {}) });
    const res = await app.request(`/api/search?${query}`);
    expect(res.status, `${q}: ${res.status}`).toBe(200);
    return SearchResult.parse(await res.json()).hits;
  }

  it('finds the same address point for "Friedensplatz 1", "friedensplatz1" and "Friedenspl. 1"', async () => {
    const [address] = await db.query<{ id: number; lon: number; lat: number; quarter: string; district: string }>(
      `SELECT a.id, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, q.name AS quarter, d.name AS district
       FROM atlas.address a
       JOIN atlas.area q ON q.level = 'quarter' AND q.code = a.quarter_code
       JOIN atlas.area d ON d.level = 'district' AND d.code = a.district_code
       WHERE a.street = 'Friedensplatz' AND a.house_number = '1'`,
    );
    expect(address).toBeDefined();
    for (const typed of ['Friedensplatz 1', 'friedensplatz1', 'Friedenspl. 1', 'FRIEDENSPLATZ  1']) {
      const [first] = await search(typed);
      expect(first, typed).toMatchObject({
        kind: 'address',
        id: String(address?.id),
        match: 'exact',
        label: 'Friedensplatz 1',
      });
      expect(first?.point[0]).toBeCloseTo(address?.lon ?? 0, 5);
      expect(first?.point[1]).toBeCloseTo(address?.lat ?? 0, 5);
      expect(first?.quarter?.name).toBe(address?.quarter);
      expect(first?.district?.name).toBe(address?.district);
    }
  });

  it('is tolerant of "str."/"straße", umlauts written as ae/oe/ue, and case', async () => {
    const [street] = await db.query<{ street: string; house_number: string }>(
      `SELECT street, house_number FROM atlas.address
       WHERE street LIKE '%ö%straße' AND house_number ~ '^[0-9]+$' ORDER BY id LIMIT 1`,
    );
    expect(street).toBeDefined();
    const full = `${street?.street} ${street?.house_number}`;
    const variants = [
      full,
      full.replace('straße', 'str.'),
      full.replace('straße', 'strasse').replace('ö', 'oe'),
      full.toUpperCase(),
    ];
    const firsts = await Promise.all(variants.map(async (v) => (await search(v))[0]));
    for (const [i, hit] of firsts.entries()) {
      expect(hit, variants[i]).toMatchObject({ kind: 'address', match: 'exact', label: full });
      expect(hit?.id).toBe(firsts[0]?.id);
    }
  });

  it('ranks exact before prefix before contains, and areas before addresses before offers', async () => {
    const [area] = await db.query<{ name: string }>(
      "SELECT name FROM atlas.area WHERE level = 'quarter' AND name ~ '^[A-Z][a-zäöü]+$' ORDER BY code LIMIT 1",
    );
    for (const q of [area?.name ?? '', (area?.name ?? '').slice(0, 4), 'schule', 'a']) {
      const hits = await search(q, 20);
      expect(hits.length).toBeGreaterThan(0);
      for (let i = 1; i < hits.length; i++) {
        const [a, b] = [hits[i - 1] as SearchHit, hits[i] as SearchHit];
        const byMatch = MATCH_ORDER.indexOf(a.match) - MATCH_ORDER.indexOf(b.match);
        expect(byMatch, `${q}: ${a.label} before ${b.label}`).toBeLessThanOrEqual(0);
        if (byMatch === 0) expect(KIND_ORDER.indexOf(a.kind)).toBeLessThanOrEqual(KIND_ORDER.indexOf(b.kind));
      }
    }
    const exact = await search(area?.name ?? '');
    expect(exact[0]).toMatchObject({ kind: 'area', level: 'quarter', label: area?.name, match: 'exact' });
    expect(exact[0]?.quarter?.name).toBe(area?.name);
  });

  it('finds offers by name with their category, quarter and district', async () => {
    const [offer] = await db.query<{ id: string; name: string; category: string; quarter: string }>(
      `SELECT o.id, o.name, o.category, q.name AS quarter FROM atlas.offer o
       JOIN atlas.area q ON q.level = 'quarter' AND q.code = o.quarter_code
       WHERE o.category = 'library' AND o.name IS NOT NULL ORDER BY o.id LIMIT 1`,
    );
    const hits = await search(offer?.name ?? '', 20);
    const hit = hits.find((h) => h.kind === 'offer' && h.id === offer?.id);
    expect(hit).toMatchObject({ category: 'library', label: offer?.name, quarter: { name: offer?.quarter } });
  });

  it('answers with at most limit hits, 10 unless told', async () => {
    expect((await search('a')).length).toBe(10);
    expect((await search('a', 3)).length).toBe(3);
  });

  it.each([
    ['/api/search', 'q'],
    ['/api/search?q=', 'q'],
    ['/api/search?q=%20.%20', 'q'],
    [`/api/search?q=${'x'.repeat(101)}`, 'q'],
    ['/api/search?q=a&q=b', 'q'],
    ['/api/search?q=a&limit=21', 'limit'],
    ['/api/search?q=a&limit=zehn', 'limit'],
    ['/api/search?q=a&query=a', 'query'],
  ])('answers %s with 400 naming %s', async (path, param) => {
    const res = await app.request(path);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 400, param });
  });

  it('treats text that looks like SQL as text', async () => {
    const hits = await search("'; DROP TABLE x;--");
    for (const h of hits) expect(h.match).not.toBe('exact');
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM atlas.address');
    expect(row?.n).toBeGreaterThan(0);
  });

  it('is what the typed client of the web app receives, errors included', async () => {
    const client = createApiClient({ fetch: async (input, init) => app.request(String(input), init) });
    const result = await client.search('Friedenspl. 1', { limit: 3 });
    expect(result.hits[0]).toMatchObject({ kind: 'address', label: 'Friedensplatz 1' });
    expect(result.hits.length).toBeLessThanOrEqual(3);
    const error = await client.search('').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem.param).toBe('q');
  });
});

describe('/api/search on postgres: the plan', () => {
  let db: Db;
  beforeAll(async () => {
    db = await realDb('postgres');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('matches addresses by prefix through the text_pattern_ops index (EXPLAIN)', async () => {
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${ADDRESS_SQL}`, ['friedenspl1', 10]);
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan using address_search_idx/);
  });
});
