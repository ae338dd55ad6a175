import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { searchKey, trigramSimilarity } from '../../server/domain/search-key.ts';
import { readEnv } from '../../server/env.ts';
import { ADDRESS_FUZZY_SQL, ADDRESS_SQL, type SearchHit, SearchResult } from '../../server/routes/search.ts';
import { ApiError, createApiClient } from '../../web/api/client.ts';
import { engines, freshDb, packageEngines, realDb } from '../support/db.ts';

const MINI = join(import.meta.dirname, '../fixtures/mini-city');
const DORTMUND_MANIFEST = join(import.meta.dirname, '../../geodata/manifests/dortmund.json');

interface ManifestPart {
  districts: { lookup: Record<string, { code: string; name: string }> };
  aliases: Record<string, { district?: string | string[]; quarter?: string | string[] }>;
}
const codes = (c: string | string[] | undefined) => (c === undefined ? [] : Array.isArray(c) ? c : [c]);

const MATCH_ORDER = ['exact', 'prefix', 'contains', 'category', 'fuzzy'];
const KIND_ORDER = ['area', 'address', 'offer'];

describe.each(packageEngines)('/api/search on %s', (engine) => {
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
    return (await answer(q, limit)).hits;
  }
  async function answer(q: string, limit?: number): Promise<SearchResult> {
    const query = new URLSearchParams({ q, ...(limit ? { limit: String(limit) } : {}) });
    const res = await app.request(`/api/search?${query}`);
    expect(res.status, `${q}: ${res.status}`).toBe(200);
    return SearchResult.parse(await res.json());
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
    for (const q of [area?.name ?? '', (area?.name ?? '').slice(0, 4), 'bahnhof', 'a']) {
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

  it('finds an address typed with its postcode and the city after it, as the offers list theirs', async () => {
    // Official offers carry street, postcode and city (Kitas, schools); their street and number is an address.
    const offers = await db.query<{ street: string; postcode: string; city: string }>(
      `SELECT street, postcode, city FROM atlas.offer
       WHERE postcode ~ '^[0-9]{5}$' AND city IS NOT NULL AND street ~ '^[^0-9]+ [0-9]+$' ORDER BY id`,
    );
    let checked = 0;
    for (const o of offers) {
      const [address] = await db.query<{ id: number; street: string; house_number: string }>(
        'SELECT id, street, house_number FROM atlas.address WHERE search_key = $1 ORDER BY id LIMIT 1',
        [searchKey(o.street)],
      );
      if (!address) continue;
      const typed = `${o.street}, ${o.postcode} ${o.city}`;
      const result = await answer(typed);
      expect(result.postcode, typed).toBe(o.postcode);
      expect(result.hits[0], typed).toMatchObject({ kind: 'address', match: 'exact', id: String(address.id) });
      if (++checked === 5) break;
    }
    expect(checked).toBe(5);
  });

  it('finds districts by their spelling without umlauts and with a letter left out', async () => {
    const manifest = JSON.parse(readFileSync(DORTMUND_MANIFEST, 'utf8')) as ManifestPart;
    const districts = Object.entries(manifest.districts.lookup);
    // The package's own ASCII spellings ("Hoerde", "Luetgendortmund") find the district.
    const ascii = districts.filter(([raw, d]) => raw !== d.name && /oe|ae|ue/.test(raw));
    expect(ascii.length).toBeGreaterThan(0);
    for (const [raw, d] of ascii) {
      const hits = await search(raw);
      expect(hits, raw).toContainEqual(expect.objectContaining({ kind: 'area', id: `district/${d.code}` }));
    }
    // A typo: the name with one letter in the middle left out ("Brakel" for Brackel).
    for (const [, d] of districts.filter(([, d]) => /^\p{L}{6,}$/u.test(d.name))) {
      const i = Math.floor(d.name.length / 2);
      const typo = d.name.slice(0, i) + d.name.slice(i + 1);
      const hits = await search(typo, 5);
      expect(hits, typo).toContainEqual(expect.objectContaining({ kind: 'area', id: `district/${d.code}` }));
    }
    const brakel = await search('Brakel', 3);
    expect(brakel.map((h) => h.id)).toContain(`district/${districts.find(([, d]) => d.name === 'Brackel')?.[1].code}`);
    expect(brakel[0]?.match).toBe('fuzzy');
  });

  it('finds the colloquial names of the manifest’s aliases', async () => {
    const manifest = JSON.parse(readFileSync(DORTMUND_MANIFEST, 'utf8')) as ManifestPart;
    const aliases = Object.entries(manifest.aliases);
    for (const name of ['Nordstadt', 'Kreuzviertel', 'Gartenstadt']) expect(manifest.aliases).toHaveProperty(name);
    for (const [alias, target] of aliases) {
      const hits = await search(alias, 20);
      const want = [
        ...codes(target.district).map((c) => `district/${c}`),
        ...codes(target.quarter).map((c) => `quarter/${c}`),
      ];
      for (const id of want)
        expect(hits, alias).toContainEqual(expect.objectContaining({ kind: 'area', id, alias, match: 'exact' }));
    }
  });

  it.each([
    ['Kita', 'childcare', null, 'Hörde'],
    ['Apotheke', 'health', 'pharmacy', 'Hombruch'],
  ])(
    'answers "%s <place>" with the offers of that kind in the place, the quarter first',
    async (word, category, sub, name) => {
      const places = await db.query<{ level: string; code: string }>(
        "SELECT level, code FROM atlas.area WHERE name = $1 AND level IN ('district', 'quarter')",
        [name],
      );
      const quarter = places.find((p) => p.level === 'quarter')?.code;
      const district = places.find((p) => p.level === 'district')?.code;
      expect(quarter && district).toBeTruthy();
      const expected = await db.query<{ id: string; in_quarter: boolean }>(
        `SELECT id, quarter_code = $3 AS in_quarter FROM atlas.offer
       WHERE category = $1 AND ($2::text IS NULL OR subcategory = $2) AND name IS NOT NULL AND search_key <> ''
         AND (quarter_code = $3 OR district_code = $4)`,
        [category, sub, quarter, district],
      );
      expect(expected.length).toBeGreaterThan(0);
      for (const typed of [`${word} ${name}`, `${name} ${word}`, `${word} in ${name}`]) {
        const result = await answer(typed, 20);
        expect(result.kind, typed).toMatchObject({ category, subcategory: sub });
        const found = result.hits.filter((h) => h.match === 'category');
        expect(found.length, typed).toBe(Math.min(20, expected.length));
        expect(result.hits.slice(0, found.length)).toEqual(found);
        const inQuarter = new Set(expected.filter((e) => e.in_quarter).map((e) => e.id));
        const firstOutside = found.findIndex((h) => !inQuarter.has(h.id));
        if (firstOutside >= 0) expect(found.slice(firstOutside).every((h) => !inQuarter.has(h.id))).toBe(true);
        for (const h of found) expect(expected.map((e) => e.id)).toContain(h.id);
      }
    },
  );

  it('answers "Kinderarzt <district>" with the paediatricians there, not every doctor', async () => {
    const [paediatrician] = await db.query<{ id: string; district: string; code: string }>(
      `SELECT o.id, d.name AS district, d.code FROM atlas.offer o
       JOIN atlas.area d ON d.level = 'district' AND d.code = o.district_code
       WHERE o.attrs ->> 'speciality' = 'paediatrics' AND o.name IS NOT NULL AND o.search_key <> ''
       -- the one whose district has the most other doctors
       ORDER BY (SELECT count(*) FROM atlas.offer x WHERE x.subcategory = 'doctor' AND x.district_code = o.district_code
                   AND x.attrs ->> 'speciality' IS DISTINCT FROM 'paediatrics') DESC, o.id
       LIMIT 1`,
    );
    expect(paediatrician).toBeDefined();
    const doctors = await db.query<{ id: string; speciality: string | null }>(
      `SELECT id, attrs ->> 'speciality' AS speciality FROM atlas.offer
       WHERE subcategory = 'doctor' AND district_code = $1 AND name IS NOT NULL AND search_key <> ''`,
      [paediatrician?.code],
    );
    expect(doctors.some((d) => d.speciality !== 'paediatrics')).toBe(true);
    for (const typed of [`Kinderarzt ${paediatrician?.district}`, `Kinderärzte in ${paediatrician?.district}`]) {
      const result = await answer(typed, 20);
      expect(result.kind, typed).toMatchObject({
        category: 'health',
        subcategory: 'doctor',
        speciality: 'paediatrics',
      });
      const found = result.hits.filter((h) => h.match === 'category').map((h) => h.id);
      expect(found, typed).toContain(paediatrician?.id);
      const [others] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM atlas.offer WHERE id = ANY ($1::text[]) AND attrs ->> 'speciality' IS DISTINCT FROM 'paediatrics'",
        [found],
      );
      expect(others?.n, typed).toBe(0);
    }
  });

  it('lists offers before street names when the word names a kind of offer', async () => {
    // "Kirche" (worship) begins street names in the address file ("Kirchenstraße", …).
    const [street] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM atlas.address WHERE search_key LIKE 'kirche%'",
    );
    expect(street?.n).toBeGreaterThan(0);
    const [offers] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM atlas.offer WHERE category = 'worship' AND name IS NOT NULL AND search_key <> ''",
    );
    const hits = await search('Kirche', 20);
    const firstAddress = hits.findIndex((h) => h.kind === 'address');
    const worship = hits.filter((h) => h.kind === 'offer' && h.category === 'worship');
    expect(worship.length).toBe(Math.min(20, offers?.n ?? 0));
    if (firstAddress >= 0) expect(hits.slice(0, firstAddress).filter((h) => h.kind === 'offer')).toEqual(worship);
  });

  it('ranks misspelt addresses by the trigram similarity the database computes', async () => {
    const [address] = await db.query<{ id: number; street: string; house_number: string; search_key: string }>(
      `SELECT id, street, house_number, search_key FROM atlas.address
       WHERE street ~ '^[A-Za-zäöüß]{8,}straße$' AND house_number ~ '^[0-9]+$' ORDER BY id LIMIT 1`,
    );
    expect(address).toBeDefined();
    const street = address?.street as string;
    const typo = `${street.slice(0, 3)}${street.slice(4)} ${address?.house_number}`; // a letter left out
    const hits = await search(typo);
    expect(hits[0], typo).toMatchObject({ kind: 'address', match: 'fuzzy', id: String(address?.id) });
    const sql = await db.query<{ s: number }>('SELECT similarity($1, $2) AS s', [address?.search_key, searchKey(typo)]);
    expect(trigramSimilarity(address?.search_key as string, searchKey(typo))).toBeCloseTo(sql[0]?.s as number, 6);
  });

  it('offers the neighbouring house numbers and the street for a number the register lacks', async () => {
    // Streets of the register with a gap: number n missing, n - 1 and n + 1 there (the first few by id).
    const gaps = await db.query<{ street: string; n: number }>(
      `SELECT DISTINCT ON (a.street) a.street, a.house_number::int + 1 AS n, a.id FROM atlas.address a
       JOIN atlas.address c ON c.street = a.street AND c.house_number = (a.house_number::int + 2)::text
       WHERE a.house_number ~ '^[0-9]{1,4}$' AND a.street ~ '^[A-Za-zäöüß]+straße$'
         AND NOT EXISTS (SELECT 1 FROM atlas.address b WHERE b.street = a.street
                           AND b.house_number ~ ('^' || (a.house_number::int + 1)::text || '[A-Za-z]?$'))
         -- n - 1 without a letter after it (2a lies nearer to 3 than 2 does)
         AND NOT EXISTS (SELECT 1 FROM atlas.address b WHERE b.street = a.street
                           AND b.house_number ~ ('^' || a.house_number || '[A-Za-z]$'))
       ORDER BY a.street, a.id LIMIT 5`,
    );
    expect(gaps.length).toBe(5);
    for (const { street, n } of gaps) {
      const typed = `${street} ${n}`;
      const result = await answer(typed, 8);
      expect(result.missing, typed).toEqual({ street, number: String(n) });
      const neighbours = result.hits.filter((h) => h.match === 'neighbour');
      expect(
        neighbours.slice(0, 2).map((h) => h.label),
        typed,
      ).toEqual([`${street} ${n - 1}`, `${street} ${n + 1}`]);
      expect(
        neighbours.find((h) => h.kind === 'street'),
        typed,
      ).toMatchObject({ label: street });
      // Nothing from another street that happens to have the number.
      for (const h of result.hits) expect(h.label.startsWith(street), `${typed}: ${h.label}`).toBe(true);
      // Each neighbour is that address of the register, at its point.
      const [below] = await db.query<{ id: number; lon: number; lat: number }>(
        'SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM atlas.address WHERE street = $1 AND house_number = $2',
        [street, String(n - 1)],
      );
      expect(neighbours[0]).toMatchObject({ kind: 'address', id: String(below?.id) });
      expect(neighbours[0]?.point[0]).toBeCloseTo(below?.lon ?? 0, 5);
    }
    // The case of the issue, where the register has it so: "Münsterstraße 100" between 99 and 101.
    const [issue] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM atlas.address WHERE street = 'Münsterstraße' AND house_number IN ('99', '101')
       HAVING NOT EXISTS (SELECT 1 FROM atlas.address WHERE street = 'Münsterstraße' AND house_number = '100')`,
    );
    if (issue?.n === 2) {
      const result = await answer('Münsterstraße 100', 8);
      expect(result.hits.slice(0, 2).map((h) => h.label)).toEqual(['Münsterstraße 99', 'Münsterstraße 101']);
    }
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

describe.each(packageEngines.filter((e) => e === 'postgres'))('/api/search on %s: the plan', () => {
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

  it('matches misspelt addresses through the trigram index (EXPLAIN)', async () => {
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${ADDRESS_FUZZY_SQL}`, ['friednspl1', 10, '1']);
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan on address_trgm_idx/);
  });
});

describe.each(engines)('/api/search on the mini city (%s)', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = await freshDb(engine);
    await runImport(db, { dir: MINI, log: () => {} });
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function answer(q: string, limit = 10): Promise<SearchResult> {
    const res = await app.request(`/api/search?${new URLSearchParams({ q, limit: String(limit) })}`);
    expect(res.status, q).toBe(200);
    return SearchResult.parse(await res.json());
  }
  it('finds an address with postcode and city name after it, or the city before it', async () => {
    for (const typed of ['Marktstraße 3, 12345 Musterstadt', 'Marktstr. 3 Musterstadt', 'Musterstadt, Marktstraße 3']) {
      const result = await answer(typed);
      expect(result.q, typed).toBe('marktstr3');
      expect(result.hits[0], typed).toMatchObject({ kind: 'address', label: 'Marktstraße 3', match: 'exact' });
    }
    expect((await answer('Marktstraße 3, 12345 Musterstadt')).postcode).toBe('12345');
  });

  it('finds misspelt addresses and areas by trigrams, and umlauts spelt out', async () => {
    // similarity('marktstrase3', 'marktstr3') = 0.53, ('makrtstr3', 'marktstr3') = 0.43: both over 0.3.
    for (const typo of ['Marktstrase 3', 'Makrtstraße 3']) {
      expect((await answer(typo)).hits[0], typo).toMatchObject({
        kind: 'address',
        label: 'Marktstraße 3',
        match: 'fuzzy',
      });
    }
    expect((await answer('Hafenkannte')).hits[0]).toMatchObject({ id: 'quarter/030', match: 'fuzzy' });
    expect((await answer('Suedviertel')).hits[0]).toMatchObject({ id: 'quarter/020', match: 'exact' });
    expect((await answer('Oestliche Aue')).hits[0]).toMatchObject({ id: 'quarter/040', match: 'exact' });
  });

  it('offers the nearest house numbers and the street for a number the street does not have', async () => {
    // The fixture's Marktstraße has 1, 2a, 3, 4, 5 and 6.
    const result = await answer('Marktstraße 9');
    expect(result.missing).toEqual({ street: 'Marktstraße', number: '9' });
    expect(result.hits.map((h) => [h.kind, h.label, h.match])).toEqual([
      ['address', 'Marktstraße 6', 'neighbour'],
      ['address', 'Marktstraße 5', 'neighbour'],
      ['address', 'Marktstraße 4', 'neighbour'],
      ['address', 'Marktstraße 3', 'neighbour'],
      ['address', 'Marktstraße 2a', 'neighbour'],
      ['address', 'Marktstraße 1', 'neighbour'],
      ['street', 'Marktstraße', 'neighbour'],
    ]);
    // A number that is there is just found.
    expect((await answer('Marktstraße 6')).missing).toBeNull();
  });

  it('finds the aliases of the fixture manifest', async () => {
    expect((await answer('Ostend')).hits[0]).toMatchObject({
      kind: 'area',
      id: 'district/02',
      alias: 'Ostend',
      label: 'Ostend (Neustadt)',
      match: 'exact',
    });
    const water = (await answer('Wasserseite')).hits.filter((h) => h.alias === 'Wasserseite').map((h) => h.id);
    expect(water).toEqual(['quarter/030', 'quarter/040']);
    expect((await answer('Marktplatzviertel')).hits[0]).toMatchObject({ id: 'quarter/010' });
  });

  it('answers a kind of offer with a place by the offers of that kind there', async () => {
    // The fixture's Kitas: one in Am Markt (010, Altstadt), one in Hafenkante (030), one in Östliche Aue (040).
    const kitas = async (where: string) =>
      (
        await db.query<{ id: string }>(
          `SELECT id FROM atlas.offer WHERE category = 'childcare' AND ${where} ORDER BY id`,
        )
      ).map((r) => r.id);
    const found = async (q: string) =>
      (await answer(q)).hits
        .filter((h) => h.match === 'category')
        .map((h) => h.id)
        .sort();
    expect(await kitas("quarter_code = '030'")).toHaveLength(1);
    expect(await found('Kita Hafenkante')).toEqual(await kitas("quarter_code = '030'"));
    expect((await answer('Kita Hafenkante')).hits[0]).toMatchObject({ match: 'category', category: 'childcare' });
    expect((await answer('Kita Hafenkante')).hits).toHaveLength(1);
    expect(await found('Kita Am Markt')).toEqual(await kitas("quarter_code = '010'"));
    expect(await found('Kitas in Altstadt')).toEqual(await kitas("district_code = '01'"));
    expect(await found('Hafenkante Kita')).toEqual(await kitas("quarter_code = '030'"));
    // A place by its alias (Ostend = district 02), and misspelt.
    expect(await found('Kita Ostend')).toEqual(await kitas("district_code = '02'"));
    expect(await found('Kita Hafenkannte')).toEqual(await kitas("quarter_code = '030'"));
    expect((await answer('Schule Am Markt')).hits[0]).toMatchObject({ label: 'Marktschule', match: 'category' });
  });

  it('lists offers before addresses when the word names a kind of offer', async () => {
    // "Haltestelle" names transit; the fixture's stop "Haltestelle Markt" is an offer.
    const hits = (await answer('Haltestelle')).hits;
    expect(hits[0]).toMatchObject({ kind: 'offer', category: 'transit', label: 'Haltestelle Markt', match: 'prefix' });
    const firstAddress = hits.findIndex((h) => h.kind === 'address');
    const lastOffer = hits.map((h) => h.kind).lastIndexOf('offer');
    if (firstAddress >= 0) expect(lastOffer).toBeLessThan(firstAddress);
  });

  it('computes the trigram similarity the database computes, on this engine', async () => {
    const pairs = [
      ['brakel', 'brackel'],
      ['hafenkannte', 'hafenkante'],
      ['makrtstr3', 'marktstr3'],
      ['a', 'ab'],
      ['x1', 'y2'],
    ];
    for (const [a, b] of pairs) {
      const [row] = await db.query<{ s: number }>('SELECT similarity($1, $2) AS s', [a, b]);
      expect(trigramSimilarity(a as string, b as string), `${a} ~ ${b}`).toBeCloseTo(row?.s as number, 6);
    }
  });
});
