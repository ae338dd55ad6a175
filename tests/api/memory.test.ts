import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { createApp } from '../../server/app.ts';
import type { Db, Queryable } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { engines, freshDb, packageEngines, realDb } from '../support/db.ts';

/**
 * Every answer that changes only on import is built once per data version and query, then served from memory
 * (server/http/representation.ts `cachedJson`): a second identical request sends no query to the database. The
 * app gets a wrapper of its database handle that records every statement; the one read it may still make is the
 * data version (app.import_run, at most once a second for all requests together).
 */

const MINI = join(import.meta.dirname, '../fixtures/mini-city');
const VERSION_READ = /FROM app\.import_run/;

/** The database handle, with every statement sent through it recorded. */
function recording(db: Db) {
  const sent: string[] = [];
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      sent.push(sql);
      return q.query(sql, params);
    },
    exec: (sql) => {
      sent.push(sql);
      return q.exec(sql);
    },
  });
  const outer = wrap(db);
  const handle: Db = {
    engine: db.engine,
    query: outer.query,
    exec: outer.exec,
    transaction: (fn, opts) => db.transaction((tx) => fn(wrap(tx)), opts),
    close: () => db.close(),
  };
  return {
    db: handle,
    /** The statements since the last call, without the data-version read. */
    take(): string[] {
      const out = sent.splice(0).filter((sql) => !VERSION_READ.test(sql));
      return out.map((sql) => sql.replace(/\s+/g, ' ').slice(0, 120));
    },
  };
}

/** The suite on a database with a package imported: `open` gives it, `close` ends it. */
function fromMemory(open: () => Promise<{ db: Db; close: () => Promise<void> }>) {
  let opened: { db: Db; close: () => Promise<void> } | undefined;
  let rec: ReturnType<typeof recording>;
  let app: ReturnType<typeof createApp>;
  const paths: Record<string, string> = {};

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await app.request(path, { headers });
    return { res, body: await res.text() };
  };

  beforeAll(async () => {
    opened = await open();
    rec = recording(opened.db);
    app = createApp({ db: rec.db, env: readEnv({ MIN_COUNT: '1' }) });

    // The paths come from the package's own answers: a quarter, an offer, two indicators with quarter values.
    const quarters = JSON.parse((await get('/api/areas?level=quarter')).body) as {
      features: { properties: { code: string; name: string } }[];
    };
    const quarter = quarters.features[0]?.properties;
    if (!quarter) throw new Error('the package has no quarters');
    const offers = JSON.parse((await get('/api/offers?limit=5')).body) as { features: { id: string }[] };
    const offer = offers.features[0]?.id;
    if (!offer) throw new Error('the package has no offers');
    const catalogue = JSON.parse((await get('/api/indicators')).body) as {
      indicators: { id: string; levels: { level: string; with_value: number }[] }[];
    };
    const withQuarters = catalogue.indicators.filter((i) =>
      i.levels.some((l) => l.level === 'quarter' && l.with_value > 0),
    );
    const [need, supply] = withQuarters.map((i) => i.id);
    if (!need || !supply) throw new Error('the package has fewer than two indicators with quarter values');
    Object.assign(paths, {
      'area detail': `/api/areas/quarter/${quarter.code}`,
      profile: `/api/areas/quarter/${quarter.code}/profile`,
      gaps: `/api/analysis/gaps?need=${need}&supply=${supply}`,
      'education chain': '/api/analysis/education-chain?level=quarter',
      'offer detail': `/api/offers/${encodeURIComponent(offer)}`,
      'offer list': '/api/offers?category=childcare,school&limit=5000',
      search: `/api/search?q=${encodeURIComponent(quarter.name.slice(0, 3))}`,
    });
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('asks the database for the first answer of each route and not for a second identical request', async () => {
    expect(Object.keys(paths)).toHaveLength(7);
    for (const [name, path] of Object.entries(paths)) {
      rec.take();
      const first = await get(path);
      expect(first.res.status, `${name} ${path}: ${first.body.slice(0, 200)}`).toBe(200);
      const built = rec.take();
      const second = await get(path);
      expect(second.res.status, name).toBe(200);
      expect(rec.take(), `${name} ${path}: statements on the second request`).toEqual([]);
      expect(second.body, name).toBe(first.body);
      // The repeated answer (made in front of the app: http/representation.ts answerFromMemory) carries the same
      // headers as the first: security headers, ETag, Vary, Cache-Control, Content-Type.
      expect(Object.fromEntries(second.res.headers), name).toEqual(Object.fromEntries(first.res.headers));
      expect(second.res.headers.get('content-security-policy'), name).toBeTruthy();
      // The first request did reach the database (unless an earlier route built what it shares, e.g. the
      // catalogue): the recording sees statements at all.
      if (name === 'area detail') expect(built.length, name).toBeGreaterThan(0);
    }
  });

  it('still asks the database for the nearest offers of a point (the recording counts)', async () => {
    const first = JSON.parse((await get('/api/offers?limit=1')).body) as {
      features: { geometry: { coordinates: [number, number] } }[];
    };
    const [lon, lat] = first.features[0]?.geometry.coordinates ?? [0, 0];
    const path = `/api/offers/nearest?lon=${lon}&lat=${lat}&k=2&max_m=500`;
    await get(path);
    rec.take();
    const again = await get(path);
    expect(again.res.status).toBe(200);
    expect(rec.take().length).toBeGreaterThan(0);
  });

  it('answers an analysis request with its ETag with 304 and no body, and without the database', async () => {
    const path = paths.gaps as string;
    const first = await get(path, { 'accept-encoding': 'br' });
    expect(first.res.status).toBe(200);
    const etag = first.res.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"\d+-[0-9a-f]{12}-[0-9a-f]{16}(-br)?"$/);
    expect(first.res.headers.get('vary')).toBe('Accept-Encoding');
    rec.take();
    const again = await get(path, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.res.status).toBe(304);
    expect(again.body).toBe('');
    expect(again.res.headers.get('etag')).toBe(etag);
    expect(rec.take()).toEqual([]);
    // Another query of the same route is another answer, with another tag.
    const chain = await get(paths['education chain'] as string, { 'if-none-match': etag });
    expect(chain.res.status).toBe(200);
  });
}

describe.each(engines)('answers from memory on the mini city (%s)', (engine) => {
  fromMemory(async () => {
    const db = await freshDb(engine);
    const dir = mkdtempSync(join(tmpdir(), 'mini-city-memory-'));
    cpSync(MINI, dir, { recursive: true });
    await runImport(db, { dir, log: () => {} });
    return {
      db,
      close: async () => {
        await db.drop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});

describe.each(packageEngines)('answers from memory on the real package (%s)', (engine) => {
  fromMemory(async () => {
    const db = await realDb(engine);
    return { db, close: () => db.close() };
  });
});
