import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { dataVersion } from '../../server/app.ts';
import { type Engine, engines, freshDb } from '../support/db.ts';

/**
 * Issue #9, generated bad input to the importer: the mini-city package with one to three generated mutations
 * of its GeoJSON and CSV files (values of any JSON type in any property, broken and foreign geometries,
 * coordinates moved anywhere, features and rows dropped, doubled or replaced, cells set to hostile text,
 * columns dropped or renamed, files cut short or spliced with junk). Each mutated package is imported over
 * the data imported before. Either it loads, and the data is whole; or it is rejected with an error that
 * names the file (and, where there is one, the record and field), and the data before is untouched: same
 * data version, same content, no staging schema left, the run logged as failed. Nothing else may happen:
 * no TypeError, no bare database error, no unhandled rejection.
 */

const MINI = join(import.meta.dirname, '../fixtures/mini-city');
/** A package that loads takes about 0.3 s on either engine (a few times that on a busy machine); a refused one 10 ms. */
const RUNS: Record<Engine, number> = { postgres: 300, pglite: 100 };

const GEOJSON = [
  'boundaries/districts.geojson',
  'boundaries/quarters.geojson',
  'boundaries/action-areas.geojson',
  'offers/kitas.geojson',
  'offers/osm.geojson',
] as const;
const CSV = [
  'boundaries/addresses.csv',
  'offers/schools.csv',
  'offers/schools-master.csv',
  'tables/figures.csv',
] as const;
const FILES = [...GEOJSON, ...CSV, 'quartiersatlas.json'];
const pristine = new Map(FILES.map((f) => [f, readFileSync(join(MINI, f), 'utf8')]));

// --- Mutations -------------------------------------------------------------------------------------------

type Json = any;
type Mutation = { file: string; describe: string; apply(text: string): string };

/** Numbers a careless export produces, as text. */
const numberText = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '-5',
    '0',
    '12.5',
    '1e20',
    '-1e20',
    '2147483648',
    'NaN',
    'Infinity',
    '1,5',
    '0x10',
    '١٢',
    'n/a',
  ),
  fc.double().map(String),
  fc.integer().map(String),
);
const hostileText = fc.oneof(
  numberText,
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '"',
    '""',
    '\n',
    '\r\n',
    ',',
    ';',
    '\u0000',
    '\ufeff',
    "'; DROP SCHEMA atlas CASCADE; --",
    'Ã¤',
    'x'.repeat(5000),
  ),
);
/** Any JSON value, with a bias to the shapes the readers expect. */
const anyJson: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hostileText,
  fc.double({ noNaN: true }),
  fc.constantFrom(null, true, -1, 0, 1e308, [], {}),
);
const lonLat = fc.tuple(
  fc.double({ min: 6.9, max: 7.1, noNaN: true }),
  fc.double({ min: 50.9, max: 51.1, noNaN: true }),
);
const ring = fc.array(lonLat, { minLength: 0, maxLength: 8 });
const geometry: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(
    null,
    {},
    { type: 'Polygon' },
    { type: 'Polygon', coordinates: [] },
    { type: 'Point', coordinates: [] },
  ),
  fc.record({
    type: fc.constantFrom('Point', 'LineString', 'Polygon', 'MultiPolygon', 'GeometryCollection', 'Nonsense'),
    coordinates: anyJson,
  }),
  lonLat.map((c) => ({ type: 'Point', coordinates: c })),
  fc.tuple(lonLat, lonLat).map(([a, b]) => ({ type: 'Point', coordinates: [a, b] })),
  ring.map((r) => ({ type: 'Polygon', coordinates: [r] })),
  ring.map((r) => ({ type: 'Polygon', coordinates: [[...r, r[0]].filter(Boolean)] })),
  fc.array(ring, { maxLength: 3 }).map((rs) => ({ type: 'MultiPolygon', coordinates: [rs] })),
);

const pick = <T>(list: T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);

function geoMutation(file: string): fc.Arbitrary<Mutation> {
  const onFeatures = (describe: string, edit: (features: Json[], fc: Json) => void): Mutation => ({
    file,
    describe,
    apply(text) {
      let doc: Json;
      try {
        doc = JSON.parse(text);
      } catch {
        return text; // an earlier mutation broke the file already
      }
      if (!doc || typeof doc !== 'object') return text;
      edit(Array.isArray(doc.features) ? doc.features : [], doc);
      return JSON.stringify(doc);
    },
  });
  const keysOf = (f: Json) => (f && typeof f.properties === 'object' && f.properties ? Object.keys(f.properties) : []);
  return fc.oneof(
    fc.tuple(fc.nat(), fc.nat(), anyJson).map(([i, k, v]) =>
      onFeatures(`feature ${i} property #${k} = ${JSON.stringify(v)?.slice(0, 60)}`, (fs) => {
        const f = pick(fs, i);
        const key = pick(keysOf(f), k);
        if (key) f.properties[key] = v;
      }),
    ),
    fc.tuple(fc.nat(), fc.nat()).map(([i, k]) =>
      onFeatures(`feature ${i} without property #${k}`, (fs) => {
        const f = pick(fs, i);
        const key = pick(keysOf(f), k);
        if (key) delete f.properties[key];
      }),
    ),
    fc.tuple(fc.nat(), geometry).map(([i, g]) =>
      onFeatures(`feature ${i} geometry ${JSON.stringify(g)?.slice(0, 80)}`, (fs) => {
        const f = pick(fs, i);
        if (f && typeof f === 'object') f.geometry = g;
      }),
    ),
    fc
      .tuple(
        fc.nat(),
        fc.nat(),
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
      )
      .map(([i, v, dx, dy]) =>
        onFeatures(`feature ${i} vertex ${v} moved by ${dx}, ${dy}`, (fs) => {
          const coords = pick(fs, i)?.geometry?.coordinates;
          const flat: number[][] = [];
          const walk = (c: Json) => {
            if (Array.isArray(c) && typeof c[0] === 'number') flat.push(c);
            else if (Array.isArray(c)) c.forEach(walk);
          };
          walk(coords);
          const p = pick(flat, v);
          if (p) {
            p[0] = (p[0] as number) + dx;
            p[1] = (p[1] as number) + dy;
          }
        }),
      ),
    fc
      .tuple(
        fc.nat(),
        fc.constantFrom('drop', 'double', 'null', 'number', 'empty', 'properties null', 'properties array'),
      )
      .map(([i, how]) =>
        onFeatures(`feature ${i}: ${how}`, (fs) => {
          if (!fs.length) return;
          const at = i % fs.length;
          if (how === 'drop') fs.splice(at, 1);
          else if (how === 'double') fs.splice(at, 0, structuredClone(fs[at]));
          else if (how === 'null') fs[at] = null;
          else if (how === 'number') fs[at] = 7;
          else if (how === 'empty') fs[at] = {};
          else if (fs[at] && typeof fs[at] === 'object') fs[at].properties = how === 'properties null' ? null : [1, 2];
        }),
      ),
    fc.tuple(fc.constantFrom('type', 'features', 'crs'), anyJson).map(([key, v]) =>
      onFeatures(`top-level ${key} = ${JSON.stringify(v)?.slice(0, 60)}`, (_fs, doc) => {
        doc[key] = v;
      }),
    ),
    textMutation(file),
  );
}

function textMutation(file: string): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({
      file,
      describe: `cut at ${at.toFixed(3)}`,
      apply: (t: string) => t.slice(0, Math.floor(t.length * at)),
    })),
    fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), hostileText).map(([at, junk]) => ({
      file,
      describe: `junk ${JSON.stringify(junk).slice(0, 40)} at ${at.toFixed(3)}`,
      apply: (t: string) => t.slice(0, Math.floor(t.length * at)) + junk + t.slice(Math.floor(t.length * at)),
    })),
    fc.constantFrom('bom', 'crlf', 'semicolons', 'empty', 'latin1').map((how) => ({
      file,
      describe: how,
      apply: (t: string) =>
        how === 'bom'
          ? `\ufeff${t}`
          : how === 'crlf'
            ? t.replace(/\n/g, '\r\n')
            : how === 'semicolons'
              ? t.replace(/,/g, ';')
              : how === 'empty'
                ? ''
                : Buffer.from(t, 'utf8').toString('latin1'),
    })),
  );
}

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const toCsv = (rows: string[][]) => `${rows.map((r) => r.map(quote).join(',')).join('\n')}\n`;

function csvMutation(file: string): fc.Arbitrary<Mutation> {
  const onRows = (describe: string, edit: (rows: string[][]) => void): Mutation => ({
    file,
    describe,
    apply(text) {
      let rows: string[][];
      try {
        rows = parse(text, { relax_column_count: true, bom: true }) as string[][];
      } catch {
        return text; // an earlier mutation broke the file already
      }
      edit(rows);
      return toCsv(rows);
    },
  });
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.tuple(fc.nat(), fc.nat(), hostileText).map(([r, c, v]) =>
        onRows(`row ${r} cell ${c} = ${JSON.stringify(v).slice(0, 60)}`, (rows) => {
          const row = rows.length > 1 ? rows[1 + (r % (rows.length - 1))] : undefined;
          if (row?.length) row[c % row.length] = v;
        }),
      ),
    },
    fc
      .tuple(
        fc.nat(),
        fc.constantFrom('drop column', 'rename column', 'drop row', 'double row', 'short row', 'long row'),
      )
      .map(([i, how]) =>
        onRows(`${how} ${i}`, (rows) => {
          const header = rows[0] ?? [];
          const col = header.length ? i % header.length : 0;
          const r = rows.length > 1 ? 1 + (i % (rows.length - 1)) : -1;
          if (how === 'drop column') for (const row of rows) row.splice(col, 1);
          else if (how === 'rename column' && header.length) header[col] = `${header[col]}_x`;
          else if (how === 'drop row' && r > 0) rows.splice(r, 1);
          else if (how === 'double row' && r > 0) rows.splice(r, 0, [...(rows[r] as string[])]);
          else if (how === 'short row' && r > 0) rows[r]?.pop();
          else if (how === 'long row' && r > 0) rows[r]?.push('extra');
        }),
      ),
    textMutation(file),
  );
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  ...GEOJSON.map((f) => geoMutation(f)),
  ...CSV.map((f) => csvMutation(f)),
);

// --- The property ----------------------------------------------------------------------------------------

/** The error must start with the name of a file of the package: `file[, record …][, field …]: message`. */
const NAMES_FILE = new RegExp(
  `^(${FILES.map((f) => f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(, record [^\\n]+?)?(, field [^:\\n]+)?: \\S`,
);

describe.each(engines)('importing generated broken packages on %s', (engine: Engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let dir: string;
  const rejections: unknown[] = [];
  const onRejection = (err: unknown) => rejections.push(err);

  /** What must not change when an import fails: the data version and a digest of the live data. */
  const snapshot = async () => ({
    version: await dataVersion(db),
    digest: (
      await db.query<{ d: string }>(
        `SELECT md5(concat_ws('|',
           (SELECT string_agg(level || code || name || ST_AsText(geom), ',' ORDER BY level, code) FROM atlas.area),
           (SELECT string_agg(id || street || house_number || quarter_code, ',' ORDER BY id) FROM atlas.address),
           (SELECT string_agg(id || coalesce(name, '') || quarter_code, ',' ORDER BY id) FROM atlas.offer),
           (SELECT count(*)::text FROM atlas.indicator_value))) AS d`,
      )
    )[0]?.d,
  });

  const writePackage = (mutations: Mutation[]) => {
    const texts = new Map(pristine);
    for (const m of mutations) texts.set(m.file, m.apply(texts.get(m.file) as string));
    for (const [file, text] of texts) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    db = await freshDb(engine);
    dir = mkdtempSync(join(tmpdir(), 'mini-fuzz-'));
    writePackage([]);
    expect((await runImport(db, { dir, log: () => {} })).status).toBe('loaded');
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`loads or cleanly rejects ${RUNS[engine]} mutated packages, naming file, record and field`, async () => {
    const outcomes = { loaded: 0, unchanged: 0, rejected: 0 };
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const what = mutations.map((m) => `${m.file}: ${m.describe}`).join('; ');
        writePackage(mutations);
        const before = await snapshot();
        let error: Error | null = null;
        try {
          const result = await runImport(db, { dir, log: () => {} });
          outcomes[result.status]++;
        } catch (err) {
          error = err as Error;
          outcomes.rejected++;
        }
        const staging = await db.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'atlas_staging'");
        if (staging.length) throw new Error(`${what}: the staging schema was left behind`);
        const running = await db.query("SELECT id FROM app.import_run WHERE status = 'running'");
        if (running.length) throw new Error(`${what}: an import run is still marked running`);
        if (error) {
          if (!NAMES_FILE.test(error.message))
            throw new Error(`${what}: rejected without naming the file: ${error.stack ?? error.message}`);
          const after = await snapshot();
          if (after.version !== before.version || after.digest !== before.digest)
            throw new Error(`${what}: rejected (${error.message}) but the data changed`);
        } else {
          // Loaded: whole, with every address and offer in a quarter and every polygon valid.
          const [c] = await db.query<{ orphans: number; invalid: number; quarters: number }>(
            `SELECT (SELECT count(*)::int FROM atlas.address WHERE quarter_code IS NULL) +
                    (SELECT count(*)::int FROM atlas.offer WHERE quarter_code IS NULL) AS orphans,
                    (SELECT count(*)::int FROM atlas.area WHERE geom IS NOT NULL AND NOT ST_IsValid(geom)) AS invalid,
                    (SELECT count(*)::int FROM atlas.area WHERE level = 'quarter') AS quarters`,
          );
          expect(c, what).toEqual({ orphans: 0, invalid: 0, quarters: 4 });
        }
      }),
      { numRuns: RUNS[engine], endOnFailure: true },
    );
    console.log(
      `[import fuzz ${engine}] ${RUNS[engine]} mutated packages in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
        `${outcomes.rejected} rejected, ${outcomes.loaded} loaded, ${outcomes.unchanged} unchanged`,
    );
    expect(rejections).toEqual([]);
  });
});
