import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { createApp } from '../../server/app.ts';
import { readEnv } from '../../server/env.ts';
import { NearestCollection } from '../../server/routes/offers.ts';
import { engines, onePackageEngine, realDb } from '../support/db.ts';
import { LIST_CSV, LIST_META, useOfferListCity } from '../support/offer-lists.ts';

const MINI = join(import.meta.dirname, '../fixtures/mini-city');

interface Row {
  row: number;
  name: string;
  match: string;
  address: string | null;
  candidates: { label: string }[];
}
interface Finding {
  row: number | null;
  column: string | null;
  reason: string;
  severity: string;
}

/** Offer lists on the mini city (tests/fixtures/offer-lists: the README's example), both engines. */
describe.each(engines)('/api/offer-lists on the mini city (%s)', (engine) => {
  const city = useOfferListCity(engine);
  const { upload } = city;
  const get = async (path: string, token: string | null = null) => {
    const res = await city.app.request(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: await res.json() };
  };
  const fixes = { '6': { street: 'Hafenweg 030', house_number: '14' } };

  it('refuses an upload without a token (401) and reports every row of a dry run with how it matched', async () => {
    expect((await upload(LIST_META, LIST_CSV, '?dry_run=1', null)).status).toBe(401);
    const res = await upload(LIST_META, LIST_CSV, '?dry_run=1');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const body = (await res.json()) as { findings: Finding[]; rows: Row[]; param: string; detail: string };
    expect(body.detail).toMatch(/^1 error\(s\); the first: row 6, street: \S/);
    const byRow = new Map(body.rows.map((r) => [r.row, r]));
    expect(byRow.get(2)).toMatchObject({ match: 'exact', address: 'Hafenweg 040 20' });
    expect(byRow.get(3)).toMatchObject({ match: 'normalised', address: 'Marktstraße 2a' });
    expect(byRow.get(4)).toMatchObject({ match: 'normalised', address: 'An der Aue 7' });
    expect(byRow.get(6)?.match).toBe('unmatched');
    expect(byRow.get(6)?.candidates.map((c) => c.label)).toContain('Hafenweg 030 14');
    const errors = body.findings.filter((f) => f.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ row: 6, column: 'street' })]);
    expect(body.param).toBe('street');
    // The summer programme ended: reported, kept, not shown.
    expect(body.findings).toContainEqual(expect.objectContaining({ row: 5, column: 'valid_to', severity: 'warning' }));
  });

  it('names metadata that is wrong, and stores nothing', async () => {
    const res = await upload({ ...LIST_META, visibility: 'secret', categories: { Jugendfreizeitstätte: 'disco' } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { findings: Finding[] };
    expect(body.findings.map((f) => f.column).sort()).toEqual([
      'meta.categories.Jugendfreizeitstätte',
      'meta.visibility',
    ]);
    expect((await get('/api/offer-lists')).body.lists).toEqual([]);
  });

  it('stores the list once the address is fixed: its offers replace the city’s OpenStreetMap youth point, lift the incomplete mark, and are found open on a Friday evening', async () => {
    const before = (await get('/api/offers/categories')).body as {
      categories: { code: string; incomplete: unknown }[];
    };
    expect(before.categories.find((c) => c.code === 'youth')?.incomplete).not.toBeNull();
    const dry = await upload({ ...LIST_META, fixes }, LIST_CSV, '?dry_run=1');
    expect(dry.status).toBe(200);
    expect((await get('/api/offer-lists')).body.lists).toEqual([]);
    const res = await upload({ ...LIST_META, fixes });
    expect(res.status).toBe(201);
    const stored = await res.json();
    expect(stored).toMatchObject({ list: 'jugendfreizeit', version: 1, applied: { offers: 5 } });
    expect(readdirSync(join(city.uploads, 'originals')).length).toBe(1);

    const after = (await get('/api/offers/categories')).body as typeof before;
    expect(after.categories.find((c) => c.code === 'youth')?.incomplete).toBeNull();
    // "Jugendtreff Aue", the package's one OpenStreetMap youth point, is replaced by the list covering the city.
    expect((await get('/api/offers/osm-node-14')).status).toBe(404);
    const [p] = await city.db.query<{ lon: number; lat: number }>(
      "SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM atlas.address WHERE street || ' ' || house_number = 'An der Aue 10'",
    );
    const friday = NearestCollection.parse(
      (await get(`/api/offers/nearest?lon=${p?.lon}&lat=${p?.lat}&category=youth&k=10&open_at=2026-12-11T21:30`)).body,
    );
    expect(friday.features.map((f) => f.properties.name).sort()).toEqual([
      'Jugendcafé Aue',
      'Jugendtreff Hafen',
      'Jugendtreff Hafenkante',
    ]);
    const club = friday.features.find((f) => f.properties.name === 'Jugendtreff Hafen');
    expect(club?.properties.list).toEqual({
      id: 'jugendfreizeit',
      version: 1,
      title: LIST_META.title,
      date: LIST_META.date,
    });
    expect(club?.properties.address?.street).toBe('Hafenweg 040 20');
    // The summer programme has ended: not among the offers today.
    const today = NearestCollection.parse(
      (await get(`/api/offers/nearest?lon=${p?.lon}&lat=${p?.lat}&category=youth&k=10`)).body,
    );
    expect(today.features.map((f) => f.properties.name)).not.toContain('Mobile Jugendarbeit Sommer');
    const detail = (await get(`/api/offers/${club?.id}`)).body;
    expect(detail.source).toMatchObject({
      id: 'list:jugendfreizeit',
      title: LIST_META.title,
      reference_date: LIST_META.date,
    });
  });

  it('replaces the OpenStreetMap points of a category in the area a list covers, and brings them back on rollback', async () => {
    const osm = 'osm-node-12'; // "Stadtbibliothek", an OSM library
    const [q] = await city.db.query<{ quarter_code: string }>('SELECT quarter_code FROM atlas.offer WHERE id = $1', [
      osm,
    ]);
    const meta = {
      ...LIST_META,
      id: 'bibliotheken',
      title: 'Bibliotheken',
      categories: { Bibliothek: 'library' },
      covers: { level: 'quarter', codes: [q?.quarter_code] },
    };
    const csv = 'name;category;street;house_number\nStadtteilbibliothek Aue;Bibliothek;An der Aue;11\n';
    const first = await upload(meta, csv);
    expect(first.status, await first.clone().text()).toBe(201);
    expect((await get(`/api/offers/${osm}`)).status).toBe(404);
    const libraries = (await get('/api/offers?category=library')).body as { features: { id: string }[] };
    expect(libraries.features.map((f) => f.id)).toEqual(['list-bibliotheken-2']);
    // A second version without rows for that place, then back to the first: each time the atlas follows.
    expect(
      (await upload(meta, 'name;category;lon;lat\nStadtteilbibliothek Aue;Bibliothek;7.036;51.005\n')).status,
    ).toBe(201);
    const rolled = await city.app.request('/api/offer-lists/bibliotheken/rollback?version=1', {
      method: 'POST',
      headers: { authorization: `Bearer ${city.editor}` },
    });
    expect(rolled.status).toBe(200);
    expect((await rolled.json()).version).toBe(1);
    expect((await get('/api/offer-lists/bibliotheken', city.editor)).body.versions).toHaveLength(2);
    // A list covering another quarter leaves the point where it was.
    const other = { ...meta, covers: { level: 'quarter', codes: ['999'] } };
    expect((await upload(other, csv)).status).toBe(201);
    expect((await get(`/api/offers/${osm}`)).status).toBe(200);
  });

  it('merges a row that is the twin of an official Kita into it', async () => {
    const [kita] = await city.db.query<{ id: string; lon: number; lat: number }>(
      "SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM atlas.offer WHERE name = 'Kita Hafen'",
    );
    const meta = { ...LIST_META, id: 'kitas', title: 'Kitas', categories: { Kita: 'childcare' } };
    const csv = `name;category;lon;lat;opening_hours\nKita Hafen;Kita;${kita?.lon};${kita?.lat};Mo-Fr 07:00-16:30\n`;
    const res = await upload(meta, csv);
    expect(res.status).toBe(201);
    expect((await res.json()).applied).toMatchObject({ offers: 0, merged: [{ row: 2, into: kita?.id }] });
    const detail = (await get(`/api/offers/${kita?.id}`)).body;
    expect(detail.attrs).toMatchObject({ openingHours: 'Mo-Fr 07:00-16:30', list: { id: 'kitas' } });
  });

  it('never shows an internal list or its offers without a token', async () => {
    const meta = { ...LIST_META, id: 'intern', title: 'Interne Liste', visibility: 'internal' };
    const csv = 'name;category;street;house_number\nGeheimer Treff;Jugendfreizeitstätte;Marktstraße;6\n';
    expect((await upload(meta, csv)).status).toBe(201);
    const anonymous = await get('/api/offer-lists');
    expect(anonymous.body.lists.map((l: { id: string }) => l.id)).not.toContain('intern');
    expect((await get('/api/offer-lists/intern')).status).toBe(404);
    expect((await get('/api/offer-lists/intern', city.editor)).status).toBe(200);
    for (const path of ['/api/offers?category=youth', '/api/search?q=Geheimer%20Treff'])
      expect(JSON.stringify((await get(path)).body), path).not.toContain('Geheimer');
  });

  it('keeps the lists through a re-import of the package', async () => {
    await runImport(city.db, { dir: MINI, log: () => {}, force: true });
    const youth = (await get('/api/offers?category=youth')).body as { features: { properties: { name: string } }[] };
    expect(youth.features.map((f) => f.properties.name)).toContain('Jugendtreff Hafen');
    expect((await get('/api/offers/osm-node-12')).status).toBe(200); // the current list covers another quarter
    expect((await get('/api/offers/osm-node-14')).status).toBe(404); // the youth list covers the whole city
  });
});

describe.each(onePackageEngine)('/api/offer-lists on the real package (%s)', (engine) => {
  it('lists no offer lists in a package import, and refuses an upload without a token', async () => {
    const db = await realDb(engine);
    try {
      const app = createApp({ db, env: readEnv({}) });
      const res = await app.request('/api/offer-lists');
      expect(res.status).toBe(200);
      const [n] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM app.upload_table WHERE kind = 'offer-list'",
      );
      expect((await res.json()).lists).toHaveLength(n?.n ?? 0);
      expect((await app.request('/api/offer-lists', { method: 'POST' })).status).toBe(401);
    } finally {
      await db.close();
    }
  });
});
