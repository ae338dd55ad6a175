import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { setDataClock } from '../../server/db/data-version.ts';
import { STAGE_AGES } from '../../server/domain/age-stages.ts';
import { readEnv } from '../../server/env.ts';
import { ProgrammeDetail, ProgrammeList } from '../../server/routes/programmes.ts';
import { engines, packageEngines, realDb } from '../support/db.ts';
import { LIST_CSV, LIST_META, useOfferListCity } from '../support/offer-lists.ts';

const _MINI = join(import.meta.dirname, '../fixtures/mini-city');
const META = {
  ...LIST_META,
  fixes: { '6': { street: 'Hafenweg 030', house_number: '14' } },
};

/**
 * What an uploaded offer list changes beyond its own offers (issue 21), on the mini city, both engines: the answers
 * kept in memory follow the lists' valid_from and valid_to day by day (on a clock the test sets), and the computed
 * indicators count the lists' offers.
 */
describe.each(engines)('offer lists in the kept answers (%s)', (engine) => {
  const city = useOfferListCity(engine);
  const { upload } = city;
  const get = async (path: string) => {
    const res = await city.app.request(path);
    return { status: res.status, etag: res.headers.get('etag'), body: await res.json() };
  };
  /** What the kept answers say of one offer of the list, by its name. */
  const shown = async (name: string) => {
    const [row] = await city.db.query<{ id: string }>('SELECT id FROM atlas.offer WHERE name = $1', [name]);
    const list = (await get('/api/offers?category=youth')).body as { features: { properties: { name: string } }[] };
    const categories = (await get('/api/offers/categories')).body as { categories: { code: string; count: number }[] };
    const search = (await get(`/api/search?q=${encodeURIComponent(name)}`)).body as { hits: { label: string }[] };
    const ogc = (await get('/ogc/collections/offers/items?limit=1000')).body as {
      features: { id: string }[];
    };
    return {
      list: list.features.some((f) => f.properties.name === name),
      youth: categories.categories.find((c) => c.code === 'youth')?.count,
      detail: (await get(`/api/offers/${row?.id}`)).status,
      search: search.hits.some((h) => h.label === name),
      ogc: ogc.features.some((f) => f.id === row?.id),
    };
  };

  /** The city's value of an indicator, and its method note in German and English. */
  const indicator = async (id: string) => {
    const res = await get(`/api/indicators/${id}/values?level=district`);
    expect(res.status, id).toBe(200);
    const body = res.body as {
      city: { value: number | null } | null;
      indicator: { method_note: { de: string; en: string } };
    };
    return { value: body.city?.value ?? null, note: body.indicator.method_note };
  };
  const rollback = (id: string, version: number) =>
    city.app.request(`/api/offer-lists/${id}/rollback?version=${version}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${city.editor}` },
    });

  it('counts the offers of a list in the computed indicators after an upload, and the earlier ones after a rollback', async () => {
    const [osm] = await city.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM atlas.offer WHERE category = 'youth'",
    );
    const before = await indicator('offers_youth_count');
    expect(before.value).toBe(osm?.n);
    expect(before.note.de).not.toContain(META.title);
    // Without any offer list, nothing is known of offers per age stage: null, not zeros.
    const [quarter] = await city.db.query<{ code: string }>(
      "SELECT code FROM atlas.area WHERE level = 'quarter' LIMIT 1",
    );
    expect((await get(`/api/areas/quarter/${quarter?.code}/profile`)).body.age_stages).toBeNull();
    // The youth list covers the city: its five rows replace the OpenStreetMap point.
    expect((await upload(META)).status).toBe(201);
    const first = await indicator('offers_youth_count');
    expect(first.value).toBe(5);
    expect(first.note.de).toContain(`Gezählte Quellen: ${META.title}`);
    expect(first.note.en).toContain(`Sources counted: ${META.title}`);
    expect((await indicator('coverage_youth_1000m')).note.de).toContain(META.title);
    // A second version with two of its rows, then back to the first.
    const two = LIST_CSV.toString('utf8').split('\n').slice(0, 3).join('\n');
    expect((await upload(META, two)).status).toBe(201);
    expect((await indicator('offers_youth_count')).value).toBe(2);
    expect((await rollback(META.id, 1)).status).toBe(200);
    expect(await indicator('offers_youth_count')).toEqual(first);
  });

  it('lists an offer up to its valid_to and from its valid_from, by the city’s day, in every kept answer', async () => {
    // 2026-08-31 23:30 in Berlin: the summer programme's last day (valid_to 2026-08-31).
    setDataClock(city.db, () => new Date('2026-08-31T21:30:00Z'));
    const stored = await upload(META);
    expect(stored.status, await stored.clone().text()).toBe(201);
    const lastDay = await shown('Mobile Jugendarbeit Sommer');
    expect(lastDay).toEqual({ list: true, youth: 5, detail: 200, search: true, ogc: true });
    const before = (await get('/api/offers/categories')).etag;
    // Half an hour later it is 1 September in Berlin (still 31 August in UTC): the same requests no longer list it.
    setDataClock(city.db, () => new Date('2026-08-31T22:30:00Z'));
    expect(await shown('Mobile Jugendarbeit Sommer')).toEqual({
      list: false,
      youth: 4,
      detail: 404,
      search: false,
      ogc: false,
    });
    expect((await get('/api/offers/categories')).etag).not.toBe(before);
    // Before its valid_from (2026-01-01) the Jugendtreff Hafen is not listed yet; on that day it is.
    setDataClock(city.db, () => new Date('2025-12-31T12:00:00Z'));
    expect(await shown('Jugendtreff Hafen')).toMatchObject({ list: false, detail: 404, search: false, ogc: false });
    setDataClock(city.db, () => new Date('2026-01-01T12:00:00Z'));
    expect(await shown('Jugendtreff Hafen')).toMatchObject({ list: true, detail: 200, search: true, ogc: true });
  });

  it('counts the offers of the lists per age stage of the education chain in an area’s profile, age not given apart', async () => {
    setDataClock(city.db, () => new Date('2026-12-07T12:00:00Z'));
    const families = {
      ...META,
      id: 'familienzentren',
      title: 'Familienzentren',
      categories: { Familienzentrum: 'family' },
    };
    const csv =
      'name;category;street;house_number;age_min;age_max;programme\n' +
      'Familienzentrum Markt;Familienzentrum;Marktstraße;5;0;6;Startklar\n' +
      'Elterncafé Markt;Familienzentrum;Marktstraße;6;;;Sprachbrücke\n';
    expect((await upload(families, csv)).status).toBe(201);
    const [row] = await city.db.query<{ quarter_code: string }>(
      "SELECT quarter_code FROM atlas.offer WHERE name = 'Familienzentrum Markt'",
    );
    const code = row?.quarter_code;
    const [valid] = await city.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM atlas.offer WHERE attrs ? 'list' AND quarter_code = $1
         AND coalesce(attrs ->> 'validTo', '9999') >= '2026-12-07' AND coalesce(attrs ->> 'validFrom', '0') <= '2026-12-07'`,
      [code],
    );
    const profile = (await get(`/api/areas/quarter/${code}/profile`)).body as {
      education_chain: { stages: { stage: string; parent: string | null }[] };
      age_stages: {
        stages: { stage: string; offers: number }[];
        age_not_given: number;
        offers: number;
        lists: { id: string }[];
      } | null;
    };
    const ages = profile.age_stages;
    expect(ages?.offers).toBe(valid?.n);
    expect(ages?.age_not_given).toBe(1); // the Elterncafé: its list gives no age
    // The main stages of the area's education chain that have ages (the library has none).
    const chain = profile.education_chain.stages.filter((s) => s.parent === null && s.stage in STAGE_AGES);
    expect(ages?.stages.map((s) => s.stage)).toEqual(chain.map((s) => s.stage));
    expect(chain.length).toBeGreaterThan(0);
    expect(ages?.stages.find((s) => s.stage === 'kita')?.offers).toBeGreaterThanOrEqual(1);
    expect(ages?.lists.map((l) => l.id)).toEqual(['familienzentren', 'jugendfreizeit']);
  });

  it('groups the offers of every public list by programme, across categories, by quarter and action area', async () => {
    // An internal list's programme is never named, not even to a token.
    const secret = { ...META, id: 'intern', title: 'Interne Liste', visibility: 'internal' };
    const csv =
      'name;category;street;house_number;programme\nGeheimer Treff;Jugendfreizeitstätte;Marktstraße;6;Geheimprogramm\n';
    expect((await upload(secret, csv)).status).toBe(201);
    const all = ProgrammeList.parse((await get('/api/programmes')).body);
    expect(all.programmes.map((p) => [p.id, p.name])).toEqual([
      ['sprachbruecke', 'Sprachbrücke'],
      ['startklar', 'Startklar'],
    ]);
    const withToken = await city.app.request('/api/programmes', {
      headers: { authorization: `Bearer ${city.editor}` },
    });
    expect(await withToken.text()).not.toContain('Geheim');
    expect((await get('/api/programmes/geheimprogramm')).status).toBe(404);

    const rows = await city.db.query<{ id: string; quarter_code: string; action_area_code: string | null }>(
      "SELECT id, quarter_code, action_area_code FROM atlas.offer WHERE attrs ->> 'programme' = 'Sprachbrücke' ORDER BY id",
    );
    const bridge = ProgrammeDetail.parse((await get('/api/programmes/sprachbruecke')).body);
    expect(bridge.offers.map((o) => o.id)).toEqual(rows.map((r) => r.id));
    expect(new Set(bridge.offers.map((o) => o.category))).toEqual(new Set(['youth', 'family']));
    expect(bridge.quarters.map((q) => q.code)).toEqual([...new Set(rows.map((r) => r.quarter_code))].sort());
    expect(bridge.quarters.reduce((n, q) => n + q.offers, 0)).toBe(rows.length);
    expect(bridge.action_areas.reduce((n, a) => n + a.offers, 0) + bridge.outside_action_areas).toBe(rows.length);
    expect(bridge.action_areas.map((a) => a.code)).toEqual(
      [...new Set(rows.flatMap((r) => (r.action_area_code ? [r.action_area_code] : [])))].sort(),
    );
    expect(bridge.lists.map((l) => l.id)).toEqual(['familienzentren', 'jugendfreizeit']);
    expect((await get('/api/programmes/unbekannt')).status).toBe(404);
    expect((await get('/api/programmes/Not%20An%20Id')).status).toBe(400);
  });
});

/** The real package brings no offer lists: nothing is known of programmes or offers per age stage, which is not zero. */
describe.each(packageEngines)('programmes and age stages on the real package (%s)', (engine) => {
  it('names the programmes of its public lists only, and gives age stages only where a public list exists', async () => {
    const db = await realDb(engine);
    try {
      const app = createApp({ db, env: readEnv({}) });
      const [lists] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM atlas.source WHERE id LIKE 'list:%'",
      );
      const [named] = await db.query<{ n: number }>(
        "SELECT count(DISTINCT attrs ->> 'programme')::int AS n FROM atlas.offer WHERE attrs ? 'programme' AND attrs ? 'list'",
      );
      const programmes = ProgrammeList.parse(await (await app.request('/api/programmes')).json());
      expect(programmes.programmes.length).toBeLessThanOrEqual(named?.n ?? 0);
      if ((named?.n ?? 0) > 0) expect(programmes.programmes.length).toBeGreaterThan(0);
      const [quarter] = await db.query<{ code: string }>(
        "SELECT code FROM atlas.area WHERE level = 'quarter' ORDER BY code LIMIT 1",
      );
      const profile = await (await app.request(`/api/areas/quarter/${quarter?.code}/profile`)).json();
      if ((lists?.n ?? 0) === 0) expect(profile.age_stages).toBeNull();
      else expect(profile.age_stages.lists).toHaveLength(lists?.n ?? 0);
    } finally {
      await db.close();
    }
  });
});
