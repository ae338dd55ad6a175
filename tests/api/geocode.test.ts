import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import type { Db } from '../../server/db/index.ts';
import { geocode, geocodeAll } from '../../server/db/queries/geocode.ts';
import { engines, freshDb, packageEngines, realDb } from '../support/db.ts';

const MINI = join(import.meta.dirname, '../fixtures/mini-city');

/** Geocoding a list's rows against the mini city's address register (tests/fixtures/mini-city/boundaries). */
describe.each(engines)('geocoding against the address register on the mini city (%s)', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  const register = new Map<string, [number, number]>();
  beforeAll(async () => {
    db = await freshDb(engine);
    await runImport(db, { dir: MINI, log: () => {} });
    for (const a of await db.query<{ label: string; lon: number; lat: number }>(
      "SELECT street || ' ' || house_number AS label, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM atlas.address",
    ))
      register.set(a.label, [a.lon, a.lat]);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const row = (
    street: string | null,
    houseNumber: string | null,
    lon: number | null = null,
    lat: number | null = null,
  ) => ({ street, houseNumber, lon, lat });

  it('matches an address written as the register writes it exactly', async () => {
    const r = await geocode(db, row('Marktstraße', '2a'));
    expect(r).toMatchObject({ match: 'exact', address: 'Marktstraße 2a', note: null, candidates: [] });
    expect(r.point).toEqual(register.get('Marktstraße 2a'));
  });

  it('matches after normalisation: abbreviations, umlaut and ß spellings, suffixes, ranges, case', async () => {
    for (const [street, nr] of [
      ['Marktstr.', '2 A'],
      ['MARKTSTRASSE', '2A'],
      ['Markt-Str', '2a'],
      ['Marktstraße', '2a-4'],
    ] as const) {
      const r = await geocode(db, row(street, nr));
      expect(r.match, `${street} ${nr}`).toBe('normalised');
      expect(r.address, `${street} ${nr}`).toBe('Marktstraße 2a');
      expect(r.point).toEqual(register.get('Marktstraße 2a'));
      expect(r.note).toBeTruthy();
    }
  });

  it('places a row without a house number, or with one the register lacks, on its street with candidates', async () => {
    const missing = await geocode(db, row('An der Aue', ''));
    expect(missing.match).toBe('street');
    expect(missing.note).toMatch(/no house number/);
    expect(register.get(missing.address ?? '')).toEqual(missing.point);
    expect(missing.address).toMatch(/^An der Aue \d+$/);

    const lacking = await geocode(db, row('Marktstraße', '99'));
    expect(lacking.match).toBe('street');
    expect(lacking.candidates[0]?.label).toBe('Marktstraße 6'); // the highest number of the street is nearest
    expect(lacking.point).toEqual(register.get('Marktstraße 6'));
  });

  it('leaves an unknown street unmatched, with the nearest spellings as candidates', async () => {
    const r = await geocode(db, row('Marktstrase', '3'));
    expect(r).toMatchObject({ match: 'unmatched', point: null });
    expect(r.candidates[0]?.label).toBe('Marktstraße 3');
    const none = await geocode(db, row('Bahnhofsallee', '1'));
    expect(none).toMatchObject({ match: 'unmatched', point: null, candidates: [] });
  });

  it('lets a position in the file win inside the city and refuses one outside it', async () => {
    const inside = register.get('Hafenweg 040 20') as [number, number];
    const [won, outside] = await geocodeAll(db, [
      row('Marktstraße', '1', inside[0], inside[1]),
      row('Marktstraße', '1', 7.3, 51.2),
    ]);
    expect(won).toMatchObject({ match: 'position', point: inside, address: null });
    expect(outside).toMatchObject({ match: 'outside', point: null });
    expect(outside?.note).toMatch(/outside the city/);
  });
});

describe.each(packageEngines)('geocoding against the real address register (%s)', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await realDb(engine);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('finds register addresses written with "Str." and spelt-out umlauts, and numbers with a spaced suffix', async () => {
    // Every 997th address of the register whose street ends in "straße" and holds an umlaut or not: written as
    // offices write them ("Münsterstr.", "Muensterstrasse", "12 A").
    const sample = await db.query<{ street: string; house_number: string; lon: number; lat: number }>(
      `SELECT street, house_number, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM atlas.address
       WHERE street LIKE '%straße' AND id % 997 = 0 ORDER BY id LIMIT 25`,
    );
    expect(sample.length).toBeGreaterThan(10);
    for (const a of sample) {
      const written = [
        { street: a.street.replace(/straße$/, 'str.'), houseNumber: a.house_number.replace(/([a-z])$/i, ' $1') },
        {
          street: a.street.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss'),
          houseNumber: a.house_number,
        },
      ];
      for (const w of written) {
        const r = await geocode(db, { ...w, lon: null, lat: null });
        expect(r.match, `${w.street} ${w.houseNumber}`).toBe('normalised');
        expect(r.address).toBe(`${a.street} ${a.house_number}`);
        expect(r.point).toEqual([a.lon, a.lat]);
      }
    }
  });
});
