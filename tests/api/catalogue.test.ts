import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultManifestPath, runImport } from '../../geodata/import.ts';
import { loadManifest } from '../../geodata/manifest.ts';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { VALUE_LEVELS } from '../../server/domain/indicators.ts';
import { CatalogueResponse, ProfileResponse, ValuesResponse } from '../../server/domain/indicators-schema.ts';
import { readEnv } from '../../server/env.ts';
import { SourceList } from '../../server/routes/sources.ts';
import { matchIndicator, missingTopicsFor, sparseCoverage } from '../../web/indicator-search.ts';
import { engines, freshDb, packageEngines, realDb } from '../support/db.ts';

/**
 * The catalogue as a finder of indicators (search words, topics the data lack, coverage per level) and the source
 * lines every page shows (finished text: the licence's open questions stay in DATA.md).
 */

const MINI = join(import.meta.dirname, '../fixtures/mini-city');
const REAL_DIR = resolve(import.meta.dirname, '../..', process.env.GEODATA_DIR ?? '../shared/geodata');
/** Working notes that must never reach a page: they belong in the project's documentation. */
const WORKING_NOTES = /to be confirmed|to be verified|probable|GPL|secondary sources|\bTODO\b/i;
/** English words that have no place in a German source line ("by" is part of licence names such as dl-de/by-2-0). */
const ENGLISH = /\b(the|and|of|from|with|contributors|computed|published|points of interest|figures|facts)\b/i;

type App = ReturnType<typeof createApp>;
type Catalogue = ReturnType<typeof CatalogueResponse.parse>;
async function getJson<T>(app: App, path: string, parse: (v: unknown) => T): Promise<T> {
  const res = await app.request(path);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return parse(await res.json());
}

/** The coverage the catalogue states, against the areas with a value in the values answer of every level. */
async function expectCoverageAsValues(app: App, ids: readonly string[]) {
  const cat = await getJson(app, '/api/indicators', (v) => CatalogueResponse.parse(v));
  for (const id of ids) {
    const entry = cat.indicators.find((i) => i.id === id);
    expect(entry, id).toBeDefined();
    expect(entry?.coverage.map((c) => c.level)).toEqual([...VALUE_LEVELS]);
    for (const level of VALUE_LEVELS) {
      // MIN_COUNT=1 (the app under test): withheld values would otherwise count as missing in one and not the other.
      const values = await getJson(app, `/api/indicators/${id}/values?level=${level}`, (v) => ValuesResponse.parse(v));
      const c = entry?.coverage.find((x) => x.level === level);
      expect(c?.of, `${id} ${level}`).toBe(values.values.length);
      expect(c?.with_value, `${id} ${level}`).toBe(values.values.filter((v) => v.value !== null).length);
    }
  }
}

describe.each(engines)('catalogue search words and coverage on the mini city (%s)', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let app: App;
  beforeAll(async () => {
    db = await freshDb(engine);
    await runImport(db, { dir: MINI, log: () => {} });
    app = createApp({ db, env: readEnv({ MIN_COUNT: '1' }) });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('gives every indicator search words in German and English', async () => {
    const cat = await getJson(app, '/api/indicators', (v) => CatalogueResponse.parse(v));
    expect(cat.indicators.length).toBeGreaterThan(10);
    for (const i of cat.indicators) {
      expect(i.keywords.de.length, i.id).toBeGreaterThan(0);
      expect(i.keywords.en.length, i.id).toBeGreaterThan(0);
    }
  });

  it('states per level how many of its areas have a value, as the values answer shows them', async () => {
    const cat = await getJson(app, '/api/indicators', (v) => CatalogueResponse.parse(v));
    await expectCoverageAsValues(
      app,
      cat.indicators.map((i) => i.id),
    );
  });

  it('shows every source in German and in English, the plain fields in German', async () => {
    const { sources } = await getJson(app, '/api/sources', (v) => SourceList.parse(v));
    for (const s of sources) {
      expect(s.shown.de, s.id).toEqual({ title: s.title, publisher: s.publisher, licence: s.licence });
      expect(s.shown.en.title.length, s.id).toBeGreaterThan(0);
    }
  });
});

describe.each(packageEngines)('finding an indicator in the real package (%s)', (engine) => {
  let db: Db;
  let app: App;
  let cat: Catalogue;
  const find = (query: string) => cat.indicators.filter((i) => matchIndicator(query, i)).map((i) => i.id);

  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({ MIN_COUNT: '1' }) });
    cat = await getJson(app, '/api/indicators', (v) => CatalogueResponse.parse(v));
  });
  afterAll(() => db?.close());

  it('gives every indicator search words in German and English', () => {
    for (const i of cat.indicators) {
      expect(i.keywords.de.length, i.id).toBeGreaterThan(0);
      expect(i.keywords.en.length, i.id).toBeGreaterThan(0);
    }
  });

  it('finds for "Kinderarmut", "Armut" and "Migration" the indicators that stand for them', () => {
    // Child poverty: the proxies the catalogue names for it are found by the word itself.
    const childPoverty = missingTopicsFor('Kinderarmut', cat.missing_topics);
    expect(childPoverty.length).toBeGreaterThan(0);
    const proxies = childPoverty.flatMap((t) => t.proxies);
    expect(proxies.length).toBeGreaterThan(0);
    expect(find('Kinderarmut')).toEqual(expect.arrayContaining(proxies));
    // Poverty: all of that, and the published benefit figures of the social theme.
    expect(find('Armut')).toEqual(expect.arrayContaining(find('Kinderarmut')));
    expect(find('Armut').length).toBeGreaterThan(find('Kinderarmut').length);
    // Migration: every indicator of the migration theme, and in English too.
    const migrationTheme = cat.indicators.filter((i) => i.theme === 'migration').map((i) => i.id);
    expect(migrationTheme.length).toBeGreaterThan(0);
    expect(find('Migration')).toEqual(expect.arrayContaining(migrationTheme));
    expect(find('child poverty')).toEqual(expect.arrayContaining(proxies));
    // Before the search words, the titles alone found nothing for child poverty or poverty.
    const byTitle = (q: string) => cat.indicators.filter((i) => matchIndicator(q, { ...i, keywords: undefined }));
    expect(byTitle('Kinderarmut')).toEqual([]);
    expect(byTitle('Armut')).toEqual([]);
  });

  it('names for a topic the data lack its nearest proxies, each with values for most areas', () => {
    const sgb2 = missingTopicsFor('SGB II', cat.missing_topics);
    expect(sgb2.length).toBe(1);
    for (const topic of cat.missing_topics) {
      expect(topic.proxies.length, topic.topic.en).toBeGreaterThan(0);
      for (const id of topic.proxies) {
        const entry = cat.indicators.find((i) => i.id === id);
        expect(entry, id).toBeDefined();
        if (entry) expect(sparseCoverage(entry, 'district'), id).toBeNull();
      }
    }
    expect(missingTopicsFor('Kita', cat.missing_topics)).toEqual([]);
  });

  it('states the coverage of every published indicator per level, as its values show it', async () => {
    const published = cat.indicators.filter((i) => i.method === 'published').map((i) => i.id);
    expect(published.length).toBeGreaterThan(0);
    await expectCoverageAsValues(app, published);
    // Some indicators have values for fewer than half of the quarters: the picker marks them.
    expect(cat.indicators.filter((i) => sparseCoverage(i, 'quarter')).length).toBeGreaterThan(0);
  });

  it('serves source lines as finished text: no working notes, German without English', async () => {
    const manifest = loadManifest(defaultManifestPath(REAL_DIR));
    const notes = manifest.sources.flatMap((s) => (s.licenceNote ? [s.licenceNote] : []));
    expect(notes.length).toBeGreaterThan(0);
    const { sources } = await getJson(app, '/api/sources', (v) => SourceList.parse(v));
    for (const s of sources) {
      for (const text of [s.title, s.publisher, s.licence, s.attribution, ...Object.values(s.shown.de)]) {
        expect(text, s.id).not.toMatch(WORKING_NOTES);
      }
      for (const text of Object.values(s.shown.de)) expect(text, s.id).not.toMatch(ENGLISH);
      for (const text of Object.values(s.shown.en)) expect(text, s.id).not.toMatch(WORKING_NOTES);
    }
    // The open questions of the licences reach no answer a page reads.
    const areas = (await (await app.request('/api/areas?level=action-area')).json()) as {
      features: { properties: { code: string } }[];
    };
    const code = areas.features[0]?.properties.code ?? '';
    const profile = await getJson(app, `/api/areas/action-area/${code}/profile`, (v) => ProfileResponse.parse(v));
    const bodies = [JSON.stringify(sources), JSON.stringify(cat), JSON.stringify(profile)];
    for (const body of bodies) {
      expect(body).not.toMatch(WORKING_NOTES);
      for (const note of notes) expect(body).not.toContain(note);
    }
  });
});
