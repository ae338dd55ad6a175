import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultManifestPath, runImport } from '../../geodata/import.ts';
import { loadManifest } from '../../geodata/manifest.ts';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { dateOf, wallClockAt } from '../../server/domain/opening-hours.ts';
import { readEnv } from '../../server/env.ts';
import { NearestCollection } from '../../server/routes/offers.ts';
import { engines, freshDb, packageEngines, realDb } from '../support/db.ts';

const MINI = join(import.meta.dirname, '../fixtures/mini-city');
const REAL_DIR = resolve(import.meta.dirname, '../..', process.env.GEODATA_DIR ?? '../shared/geodata');
/** The mini city's manifest names Europe/Berlin and the holidays of NRW. */
const ZONE = 'Europe/Berlin';

interface ListOffer {
  id: string;
  name: string;
  category: string;
  at: string; // the register's address it stands at
  attrs: Record<string, unknown>;
}

const LIST = { id: 'jugend-2026', version: 1, title: 'Jugendfreizeitstätten', date: '2026-11-30' };

/** Offers as an applied offer list stores them: the list's fields in attrs, placed at a register address. */
async function addOffers(db: Awaited<ReturnType<typeof freshDb>>, offers: ListOffer[]) {
  for (const o of offers)
    await db.query(
      `INSERT INTO atlas.offer (id, category, name, attrs, geom, quarter_code, district_code, source_id, search_key)
       SELECT $1, $2, $3, $4::jsonb, a.geom, a.quarter_code, a.district_code, 'osm', ''
       FROM atlas.address a WHERE a.street || ' ' || a.house_number = $5`,
      [o.id, o.category, o.name, JSON.stringify({ ...o.attrs, list: LIST }), o.at],
    );
}

describe.each(engines)('/api/offers/nearest with opening hours, ages, languages and validity (%s)', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let app: ReturnType<typeof createApp>;
  let origin: { lon: number; lat: number };
  const today = dateOf(wallClockAt(new Date(), ZONE));
  const yesterday = dateOf(wallClockAt(new Date(Date.now() - 86_400_000), ZONE));

  beforeAll(async () => {
    db = await freshDb(engine);
    await runImport(db, { dir: MINI, log: () => {} });
    const [src] = await db.query<{ id: string }>("SELECT id FROM atlas.source WHERE id = 'osm'");
    expect(src?.id).toBe('osm');
    await addOffers(db, [
      {
        id: 'list-club',
        name: 'Jugendtreff Hafen',
        category: 'youth',
        at: 'Hafenweg 040 20',
        attrs: {
          openingHours: 'Mo-Th 15:00-20:00; Fr 18:00-02:00; PH off',
          ageMin: 12,
          ageMax: 21,
          languages: ['de', 'tr'],
          wheelchair: 'yes',
        },
      },
      {
        id: 'list-kids',
        name: 'Kinderclub Markt',
        category: 'youth',
        at: 'Marktstraße 1',
        attrs: { openingHours: 'Mo-Fr 09:00-13:00', ageMin: 3, ageMax: 10, languages: ['de', 'ar'], wheelchair: 'no' },
      },
      {
        id: 'list-ended',
        name: 'Ferienprogramm (vorbei)',
        category: 'youth',
        at: 'An der Aue 8',
        attrs: { openingHours: '24/7', ageMin: 6, ageMax: 14, validTo: yesterday },
      },
      {
        id: 'list-last-day',
        name: 'Ferienprogramm (heute letzter Tag)',
        category: 'youth',
        at: 'An der Aue 9',
        attrs: { openingHours: '24/7', ageMin: 6, ageMax: 14, validTo: today },
      },
    ]);
    const [p] = await db.query<{ lon: number; lat: number }>(
      "SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM atlas.address WHERE street || ' ' || house_number = 'An der Aue 10'",
    );
    origin = p as { lon: number; lat: number };
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.drop();
  });

  const nearest = async (params: Record<string, string>) => {
    const q = new URLSearchParams({ lon: String(origin.lon), lat: String(origin.lat), k: '10', ...params });
    const res = await app.request(`/api/offers/nearest?${q}`);
    expect(res.status, q.toString()).toBe(200);
    return NearestCollection.parse(await res.json());
  };
  const ids = (c: NearestCollection) => c.features.map((f) => f.id).sort();

  it('answers open_now where hours are known and null where they are not, with the list and its date', async () => {
    const youth = await nearest({ category: 'youth' });
    const club = youth.features.find((f) => f.id === 'list-club');
    expect(typeof club?.properties.open_now).toBe('boolean');
    expect(club?.properties).toMatchObject({
      opening_hours: 'Mo-Th 15:00-20:00; Fr 18:00-02:00; PH off',
      ages: { min: 12, max: 21 },
      languages: ['de', 'tr'],
      wheelchair: 'yes',
      list: LIST,
      speaks_language: null,
    });
    const all = await nearest({ category: 'school,library,playground' });
    const packaged = all.features[0];
    expect(packaged?.properties).toMatchObject({ open_now: null, opening_hours: null, list: null, ages: null });
    expect(all.meta.clock).toMatchObject({ time_zone: ZONE, day: today, open_at: null });
  });

  it('drops an offer whose valid_to has passed, and keeps one on its last day', async () => {
    const all = ids(await nearest({ category: 'youth' }));
    expect(all).toContain('list-last-day');
    expect(all).not.toContain('list-ended');
  });

  it('finds the club open on a Friday evening and after midnight, not before it opens nor on Christmas Day', async () => {
    // 11 December 2026 is a Friday; 25 December 2026 a Friday and a public holiday in NRW.
    expect(ids(await nearest({ category: 'youth', open_at: '2026-12-11T19:30' }))).toEqual(['list-club']);
    expect(ids(await nearest({ category: 'youth', open_at: '2026-12-12T01:30' }))).toEqual(['list-club']);
    expect(ids(await nearest({ category: 'youth', open_at: '2026-12-11T10:00' }))).toEqual(['list-kids']);
    expect(ids(await nearest({ category: 'youth', open_at: '2026-12-25T19:30' }))).toEqual([]);
    // An instant with offset is read on the city's clock: 17:30 UTC is 18:30 in Berlin in December.
    const utc = await nearest({ category: 'youth', open_at: '2026-12-11T17:30Z' });
    expect(ids(utc)).toEqual(['list-club']);
    expect(utc.meta.clock?.open_at).toBe('2026-12-11T18:30');
  });

  it('filters by age, language and step-free access, and marks the language', async () => {
    expect(ids(await nearest({ age: '4' }))).toEqual(['list-kids']);
    expect(ids(await nearest({ age: '15' }))).toEqual(['list-club']);
    const tr = await nearest({ language: 'tr' });
    expect(ids(tr)).toEqual(['list-club']);
    expect(tr.features[0]?.properties.speaks_language).toBe(true);
    expect(ids(await nearest({ language: 'ar', age: '4' }))).toEqual(['list-kids']);
    expect(ids(await nearest({ step_free: 'true' }))).toEqual(['list-club']);
  });

  it('refuses a time that is none, naming open_at', async () => {
    for (const bad of ['2026-02-30T10:00', 'friday', '2026-12-11']) {
      const res = await app.request(`/api/offers/nearest?lon=${origin.lon}&lat=${origin.lat}&open_at=${bad}`);
      expect(res.status, bad).toBe(400);
      expect((await res.json()).param).toBe('open_at');
    }
    const res = await app.request(`/api/offers/nearest?lon=${origin.lon}&lat=${origin.lat}&language=Türkisch`);
    expect(res.status).toBe(400);
  });
});

describe.each(packageEngines)('/api/offers/nearest on the real package’s clock (%s)', (engine) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('reads hours on the time zone the manifest names; the package’s offers have no hours, so open_now is null', async () => {
    const manifest = loadManifest(defaultManifestPath(REAL_DIR));
    const [p] = await db.query<{ lon: number; lat: number }>(
      "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM atlas.area WHERE level = 'quarter' ORDER BY code LIMIT 1",
    );
    const res = await app.request(`/api/offers/nearest?lon=${p?.lon}&lat=${p?.lat}&k=20`);
    expect(res.status).toBe(200);
    const body = NearestCollection.parse(await res.json());
    expect(body.meta.clock?.time_zone).toBe(manifest.city.timeZone);
    expect(body.meta.clock?.day).toBe(dateOf(wallClockAt(new Date(), manifest.city.timeZone ?? 'UTC')));
    expect(body.features.length).toBe(20);
    for (const f of body.features)
      expect(f.properties).toMatchObject({ open_now: null, opening_hours: null, list: null });
  });
});
