import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { createApp, dataVersion } from '../../server/app.ts';
import { readEnv } from '../../server/env.ts';
import { cases } from '../support/cases.ts';
import { type Engine, engines, freshDb } from '../support/db.ts';

/**
 * Issues #9 and #12, generated bad input to the importer (SECURITY.md, promise 2): the mini-city package with one
 * to three generated mutations of its GeoJSON and CSV files (values of any JSON type in any property, broken and
 * foreign geometries, coordinates moved anywhere, features and rows dropped, doubled or replaced, cells set to
 * hostile text, columns dropped or renamed, files cut short or spliced with junk), imported over the data imported
 * before.
 *
 * The test does not ask the importer what is broken. It reads each mutated file itself, against the package format
 * (the manifest's fields, counts, lookups and bounding box; GeoJSON and CSV), and decides before the import:
 * - harmful: the importer must refuse it, with an error that names the file (and the record and field where the
 *   fault is in one), leave the data before untouched (same data version, same content, no staging schema) and log
 *   the run as failed in app.import_run;
 * - harmless, for a reason the test states (see `Harmless`): the package must load, or, where the change is new
 *   data rather than a broken file, may load; a loaded package is whole (every address and offer in a quarter,
 *   valid polygons, every area and offer addressable by the API).
 * A harmful package that loads fails the test, and so does a package the test holds valid that is refused.
 * Nothing else may happen: no TypeError, no bare database error, no unhandled rejection.
 */

const MINI = join(import.meta.dirname, '../fixtures/mini-city');
/** A package that loads takes about 0.3 s on either engine (a few times that on a busy machine); a refused one 10 ms. */
const RUNS: Record<Engine, number> = { postgres: cases(300), pglite: cases(100) };

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
const CATALOGUE = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../geodata/indicator-catalogue.json'), 'utf8'),
) as { published: Record<string, unknown> };

// --- Mutations -------------------------------------------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: the mutations edit arbitrary JSON documents, of any shape
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

// --- What the package format allows: the test's own reading of a mutated file ------------------------------

/** The manifest of the mini city, the source of every field name, count, lookup and bounding box below. */
const M = JSON.parse(pristine.get('quartiersatlas.json') as string) as Json;

/**
 * Why a change the importer accepts does no harm. Each accepted change must have one of these reasons; the
 * `mustLoad` ones describe packages that are as valid as the pristine one, so a refusal of them fails the test.
 */
const Harmless = {
  unchanged: { mustLoad: true, why: 'the file reads the same (formatting, a byte-order mark in a CSV, line ends)' },
  unread: { mustLoad: true, why: 'the importer reads only the fields the manifest names; other fields are not data' },
  value: { mustLoad: false, why: 'a valid value of the right kind in a read field is new data, not broken data' },
  negativeCount: {
    mustLoad: false,
    why: 'a negative place count is a known defect: stored as missing, with a warning',
  },
  moved: {
    mustLoad: false,
    why: 'a well-formed geometry inside the city is a new boundary or position; the load checks validity, coverage and nesting',
  },
  rowsWithoutCount: {
    mustLoad: false,
    why: 'a table without an expected count may have other rows: each row stands alone, with its source',
  },
  notAnOffer: { mustLoad: false, why: "a feature the manifest's keepWhen leaves out is not an offer and is not read" },
  crs: { mustLoad: false, why: 'a crs member that names no other CRS says nothing (RFC 7946 has none)' },
  nearCity: {
    mustLoad: false,
    why: 'an address near the city is assigned to the nearest quarter (gaps between boundary files are a known defect)',
  },
} as const;
type Reason = keyof typeof Harmless;
/** How much a refusal of this fault must name: the file, the record (feature or row), or also the field. */
type Names = 'file' | 'record' | 'field';
type Finding = { harmless: Reason; where: string } | { refuse: string; names: Names };

/** Text as every reader of the package takes it: trimmed; numbers and booleans as written; null as empty. */
const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v)).trim();
/** Decimal numbers as German and English exports write them; nothing else is a number. */
const DECIMAL = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;
/** A number, null for an empty value, undefined for one that is no number. */
function number(v: unknown): number | null | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (v !== null && v !== undefined && typeof v !== 'string') return undefined;
  const t = text(v);
  if (t === '') return null;
  if (!DECIMAL.test(t)) return undefined;
  const n = Number(t.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasNul = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes('\u0000')
    : Array.isArray(v)
      ? v.some(hasNul)
      : isObject(v) && Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x));

type Rule =
  | { kind: 'text' }
  | { kind: 'required' }
  | { kind: 'id' }
  | { kind: 'lookup'; values: string[] }
  | { kind: 'count'; negative?: boolean }
  | { kind: 'level'; min: number; max: number }
  | { kind: 'figure' }
  | { kind: 'date' }
  | { kind: 'digits' }
  | { kind: 'coordinate'; axis: 0 | 1 };

/** One value of a read field against its rule. */
function judgeValue(rule: Rule, v: unknown, record: string, field: string): Finding | null {
  const at = `${record}, field ${field}`;
  if (typeof v === 'object' && v !== null)
    return { refuse: `${at}: an object or array where a value belongs`, names: 'field' };
  switch (rule.kind) {
    case 'text':
      return null;
    case 'required':
    case 'id':
    case 'digits':
      if (!text(v)) return { refuse: `${at}: empty`, names: 'field' };
      if (rule.kind === 'digits' && !/^\d+$/.test(text(v))) return { refuse: `${at}: not digits`, names: 'field' };
      return null;
    case 'lookup':
      return rule.values.includes(text(v))
        ? null
        : { refuse: `${at}: "${text(v)}" is not in the manifest`, names: 'field' };
    case 'count': {
      const n = number(v);
      if (n === undefined || (n !== null && (!Number.isInteger(n) || Math.abs(n) > 1_000_000)))
        return { refuse: `${at}: "${text(v)}" is not a count`, names: 'field' };
      if (n !== null && n < 0 && !rule.negative) return { refuse: `${at}: negative count`, names: 'field' };
      return n !== null && n < 0 ? { harmless: 'negativeCount', where: at } : null;
    }
    case 'level': {
      const n = number(v);
      if (n === undefined || (n !== null && (!Number.isInteger(n) || n < rule.min || n > rule.max)))
        return { refuse: `${at}: "${text(v)}" is not a level from ${rule.min} to ${rule.max}`, names: 'field' };
      return null;
    }
    case 'figure': {
      const n = number(v);
      if (n === undefined || (n !== null && Math.abs(n) > 1e12))
        return { refuse: `${at}: "${text(v)}" is not a figure`, names: 'field' };
      return null;
    }
    case 'date':
      // Empty (undated), or a year, month or day: geodata/published.ts orders the values by it.
      return !text(v) || /^\d{4}(-\d{2}(-\d{2})?)?$/.test(text(v))
        ? null
        : { refuse: `${at}: "${text(v)}" is not a date`, names: 'field' };
    case 'coordinate':
      return null; // judged with its pair, in judgePoint
  }
}

/** Longitude and latitude inside the manifest's bounding box of the city. */
function judgePoint(lon: unknown, lat: unknown, record: string, field: string): Finding | null {
  const [x, y] = [number(lon), number(lat)];
  const [x0, y0, x1, y1] = M.city.bbox as number[];
  if (typeof x !== 'number' || typeof y !== 'number')
    return { refuse: `${record}, field ${field}: the position is not two numbers`, names: 'field' };
  if (x < (x0 as number) || x > (x1 as number) || y < (y0 as number) || y > (y1 as number))
    return { refuse: `${record}, field ${field}: (${x}, ${y}) lies outside the city`, names: 'field' };
  return null;
}

const isPosition = (p: unknown) =>
  Array.isArray(p) && p.length >= 2 && p.length <= 4 && p.every((x) => typeof x === 'number' && Number.isFinite(x));

/** A Polygon or MultiPolygon of closed rings of four or more positions, inside the city. */
function judgePolygon(g: Json, record: string): Finding | null {
  const bad = (why: string): Finding => ({ refuse: `${record}, field geometry: ${why}`, names: 'field' });
  if (!isObject(g) || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return bad('not a Polygon or MultiPolygon');
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) return bad('no coordinates');
  for (const rings of polygons) {
    if (!Array.isArray(rings) || rings.length === 0) return bad('a polygon without rings');
    for (const ring of rings) {
      if (!Array.isArray(ring) || ring.length < 4 || !ring.every(isPosition))
        return bad('a ring of fewer than four positions');
      const [a, b] = [ring[0], ring[ring.length - 1]];
      if (a[0] !== b[0] || a[1] !== b[1]) return bad('a ring that is not closed');
      for (const p of ring) {
        const outside = judgePoint(p[0], p[1], record, 'geometry');
        if (outside) return outside;
      }
    }
  }
  return null;
}

interface FileSpec {
  /** The fields the importer reads, with their rules. */
  fields: Record<string, Rule>;
  /** Fields whose (combined) value must be unique among the records. */
  unique?: string[][];
  /** How many records the manifest expects, if it says. */
  count?: number;
  geometry?: 'polygon' | 'point';
  /** For CSV tables: the columns of a position, [lon or x, lat or y]. */
  position?: [string, string];
  /** Only records whose properties equal these are read (the OSM keepWhen). */
  keepWhen?: Record<string, unknown>;
}

const req = { kind: 'required' } as const;
const txt = { kind: 'text' } as const;

/**
 * Every field a part of the manifest names (`…Field`, `…Fields`, `contactFields`), as text: a field the importer
 * reads and the test knows no stricter rule for may hold any text. The rules below are the stricter ones.
 */
function namedFields(part: Json): Record<string, Rule> {
  const out: Record<string, Rule> = {};
  for (const [key, v] of Object.entries(part as Record<string, unknown>)) {
    if (!/Fields?$/.test(key)) continue;
    const names = typeof v === 'string' ? [v] : Array.isArray(v) ? v : isObject(v) ? Object.values(v).flat() : [];
    for (const name of names) if (typeof name === 'string') out[name] = txt;
  }
  return out;
}

/** The manifest's fields of each file, with what a value of each may be. */
const SPECS: Record<string, FileSpec> = {
  [M.districts.file]: {
    fields: {
      ...namedFields(M.districts),
      [M.districts.keyField]: { kind: 'lookup', values: Object.keys(M.districts.lookup) },
    },
    unique: [[M.districts.keyField]],
    count: M.districts.expectedCount,
    geometry: 'polygon',
  },
  [M.quarters.file]: {
    fields: { ...namedFields(M.quarters), [M.quarters.codeField]: { kind: 'id' }, [M.quarters.nameField]: req },
    unique: [[M.quarters.codeField]],
    count: M.quarters.expectedCount,
    geometry: 'polygon',
  },
  [M.actionAreas.file]: {
    // An action area without a number is named by its name (the real package has two).
    fields: { ...namedFields(M.actionAreas), [M.actionAreas.codeField]: txt, [M.actionAreas.nameField]: req },
    unique: [[M.actionAreas.codeField]],
    count: M.actionAreas.expectedCount,
    geometry: 'polygon',
  },
  [M.kitas.file]: {
    fields: {
      ...namedFields(M.kitas),
      [M.kitas.idField]: { kind: 'id' },
      [M.kitas.placesU3Field]: { kind: 'count', negative: true },
      [M.kitas.placesO3Field]: { kind: 'count', negative: true },
      [M.kitas.placesSchoolChildrenField]: { kind: 'count', negative: true },
    },
    unique: [[M.kitas.idField]],
    count: M.kitas.expectedCount,
    geometry: 'point',
  },
  [M.osm.file]: {
    // Which category a point gets is the manifest's rules' business (a point they give none is refused or left
    // out); the test holds any text in these fields for new data.
    fields: {
      osm_type: { kind: 'id' },
      osm_id: { kind: 'id' },
      name: txt,
      class: txt,
      subclass: txt,
      category: txt,
      ...Object.fromEntries(Object.keys(M.osm.keepWhen).map((k) => [k, txt])),
    },
    unique: [['osm_type', 'osm_id']],
    geometry: 'point',
    keepWhen: M.osm.keepWhen,
  },
  [M.addresses.file]: {
    fields: {
      ...namedFields(M.addresses),
      [M.addresses.streetField]: req,
      [M.addresses.xField]: { kind: 'coordinate', axis: 0 },
      [M.addresses.yField]: { kind: 'coordinate', axis: 1 },
      [M.addresses.subquarterField]: { kind: 'digits' },
    },
    count: M.addresses.expectedCount,
    position: [M.addresses.xField, M.addresses.yField],
  },
  [M.schools.file]: {
    fields: {
      ...namedFields(M.schools),
      [M.schools.idField]: { kind: 'id' },
      [M.schools.typeField]: { kind: 'lookup', values: Object.keys(M.schools.types) },
      [M.schools.pupilsField]: { kind: 'count' },
      [M.schools.socialIndexField]: { kind: 'level', min: 1, max: 9 },
      [M.schools.lonField]: { kind: 'coordinate', axis: 0 },
      [M.schools.latField]: { kind: 'coordinate', axis: 1 },
    },
    unique: [[M.schools.idField]],
    count: M.schools.expectedCount,
    position: [M.schools.lonField, M.schools.latField],
  },
  [M.schools.masterData.file]: { fields: namedFields(M.schools.masterData) },
  [M.publishedFigures.file]: {
    // unit_name and unit_code name an area of the package; one that names none is refused by the import
    // (the file alone cannot say), so a changed one is new data here.
    fields: {
      unit_level: { kind: 'lookup', values: Object.keys(M.publishedFigures.levels) },
      unit_name: txt,
      unit_code: txt,
      indicator: { kind: 'lookup', values: Object.keys(CATALOGUE.published) },
      value: { kind: 'figure' },
      reference_date: { kind: 'date' },
      source_title: txt,
      source_url: txt,
      quoted_text: txt,
    },
  },
};

/** Compares records of a file with the pristine ones: which read fields changed, judged by their rules. */
function judgeRecords(
  spec: FileSpec,
  records: Record<string, unknown>[],
  before: Record<string, unknown>[],
  name: (i: number) => string,
): Finding[] {
  const out: Finding[] = [];
  if (spec.count !== undefined && records.length !== spec.count)
    out.push({ refuse: `${records.length} records, the manifest expects ${spec.count}`, names: 'file' });
  else if (spec.count === undefined && records.length !== before.length)
    out.push({ harmless: 'rowsWithoutCount', where: `${before.length} → ${records.length} records` });
  records.forEach((r, i) => {
    const old = before[i] ?? {};
    for (const [field, rule] of Object.entries(spec.fields)) {
      const v = r[field];
      const found = judgeValue(rule, v, name(i), field);
      if (found) out.push(found);
      else if (JSON.stringify(v) !== JSON.stringify(old[field]) && text(v) !== text(old[field]))
        out.push({ harmless: 'value', where: `${name(i)}, field ${field}` });
    }
    for (const field of Object.keys(r))
      if (!(field in spec.fields) && JSON.stringify(r[field]) !== JSON.stringify(old[field]))
        out.push({ harmless: 'unread', where: `${name(i)}, field ${field}` });
  });
  for (const key of spec.unique ?? []) {
    const seen = new Set<string>();
    records.forEach((r, i) => {
      const k = JSON.stringify(key.map((f) => text(r[f])));
      if (key.every((f) => text(r[f]) === '')) return; // empty: judged by the field's own rule
      if (seen.has(k)) out.push({ refuse: `${name(i)}, field ${key.join(' + ')}: duplicate ${k}`, names: 'field' });
      seen.add(k);
    });
  }
  return out;
}

function judgeGeoJson(file: string, mutated: string): Finding[] {
  const spec = SPECS[file] as FileSpec;
  const before = JSON.parse(pristine.get(file) as string) as Json;
  let doc: Json;
  try {
    doc = JSON.parse(mutated);
  } catch {
    return [{ refuse: 'not JSON', names: 'file' }];
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features))
    return [{ refuse: 'not a FeatureCollection', names: 'file' }];
  const out: Finding[] = [];
  if (JSON.stringify(doc.crs) !== JSON.stringify(before.crs)) {
    const name = isObject(doc.crs) && isObject(doc.crs.properties) ? doc.crs.properties.name : undefined;
    if (name === undefined || name === null || name === '' || (typeof name === 'string' && /CRS84|4326/.test(name)))
      out.push({ harmless: 'crs', where: 'crs' });
    else out.push({ refuse: `crs ${JSON.stringify(name)}`, names: 'file' });
  }
  const features = doc.features as unknown[];
  const records: Record<string, unknown>[] = [];
  const beforeRecords: Record<string, unknown>[] = [];
  const names: string[] = [];
  for (const [i, f] of features.entries()) {
    const record = `#${i + 1}`;
    if (!isObject(f)) {
      out.push({ refuse: `${record}: not a Feature object`, names: 'record' });
      continue;
    }
    if (hasNul(f)) {
      out.push({ refuse: `${record}: a NUL character`, names: 'record' });
      continue;
    }
    const props = f.properties;
    if (props !== null && props !== undefined && !isObject(props)) {
      out.push({ refuse: `${record}, field properties: not an object`, names: 'field' });
      continue;
    }
    const p = (props ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(p))
      if (typeof v === 'object' && v !== null)
        out.push({ refuse: `${record}, field ${k}: an object or array where a value belongs`, names: 'field' });
    const old = (before.features as Json[])[i];
    if (spec.keepWhen && !Object.entries(spec.keepWhen).every(([k, v]) => p[k] === v)) {
      if (JSON.stringify(f) !== JSON.stringify(old)) out.push({ harmless: 'notAnOffer', where: record });
      continue;
    }
    if (spec.geometry === 'polygon') {
      const bad = judgePolygon(f.geometry, record);
      if (bad) out.push(bad);
      else if (JSON.stringify(f.geometry) !== JSON.stringify(old?.geometry))
        out.push({ harmless: 'moved', where: record });
    } else {
      const g = f.geometry as Json;
      if (!isObject(g) || g.type !== 'Point' || !isPosition(g.coordinates))
        out.push({ refuse: `${record}, field geometry: not a Point of two numbers`, names: 'field' });
      else {
        const [lon, lat] = g.coordinates as number[];
        const bad = judgePoint(lon, lat, record, 'geometry');
        if (bad) out.push(bad);
        else if (JSON.stringify(g) !== JSON.stringify(old?.geometry)) out.push({ harmless: 'moved', where: record });
      }
    }
    records.push(p);
    beforeRecords.push((old?.properties ?? {}) as Record<string, unknown>);
    names.push(record);
  }
  // Features that are not offers (keepWhen) are left out on both sides, so that records line up.
  if (spec.keepWhen) {
    const kept = (before.features as Json[]).filter((f) =>
      Object.entries(spec.keepWhen as object).every(([k, v]) => f.properties?.[k] === v),
    );
    if (kept.length !== records.length)
      out.push({ harmless: 'rowsWithoutCount', where: `${kept.length} → ${records.length} offers` });
    return [
      ...out,
      ...judgeRecords(
        { ...spec, count: undefined },
        records,
        records.map((_, i) => beforeRecords[i] ?? {}),
        (i) => names[i] as string,
      ).filter((f) => !('harmless' in f && f.harmless === 'rowsWithoutCount')),
    ];
  }
  return [...out, ...judgeRecords(spec, records, beforeRecords, (i) => names[i] as string)];
}

/** The box around the city in the addresses' CRS, with the margin of one box size the importer allows. */
let addressBox: { inner: number[]; outer: number[] };

function judgeCsv(file: string, mutated: string): Finding[] {
  const spec = SPECS[file] as FileSpec;
  const table = (t: string) =>
    parse(t.replace(/^sep=.\r?\n/, ''), { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  let rows: string[][];
  try {
    rows = table(mutated);
  } catch {
    return [{ refuse: 'not a well-formed CSV', names: 'file' }];
  }
  if (hasNul(rows)) return [{ refuse: 'a NUL character', names: 'record' }];
  const [header = [], ...body] = rows;
  const [beforeHeader = [], ...beforeBody] = table(pristine.get(file) as string);
  const out: Finding[] = [];
  if (body.length === 0) return [{ refuse: 'no rows', names: 'file' }];
  for (const field of Object.keys(spec.fields))
    if (beforeHeader.includes(field) && !header.includes(field))
      out.push({ refuse: `column ${field} is missing`, names: 'file' });
  if (JSON.stringify(header) !== JSON.stringify(beforeHeader))
    out.push({ harmless: 'unread', where: `header ${JSON.stringify(header).slice(0, 80)}` });
  body.forEach((r, i) => {
    if (r.length !== header.length)
      out.push({ refuse: `row ${i + 2}: ${r.length} cells under ${header.length} columns`, names: 'record' });
  });
  if (out.some((f) => 'refuse' in f)) return out;
  const records = body.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]])));
  const beforeRecords = beforeBody.map((r) => Object.fromEntries(beforeHeader.map((h, j) => [h, r[j]])));
  const findings = judgeRecords(spec, records, beforeRecords, (i) => `row ${i + 2}`);
  if (spec.position) {
    const [fx, fy] = spec.position;
    const projected = file === M.addresses.file;
    records.forEach((r, i) => {
      if (projected) {
        const [x, y] = [number(r[fx]), number(r[fy])];
        const [ix0, iy0, ix1, iy1] = addressBox.inner as [number, number, number, number];
        const [ox0, oy0, ox1, oy1] = addressBox.outer as [number, number, number, number];
        if (typeof x !== 'number' || typeof y !== 'number')
          findings.push({ refuse: `row ${i + 2}, field ${fx}: the position is not two numbers`, names: 'field' });
        else if (x < ox0 || x > ox1 || y < oy0 || y > oy1)
          findings.push({ refuse: `row ${i + 2}, field ${fx}: (${x}, ${y}) far outside the city`, names: 'field' });
        else if (x < ix0 || x > ix1 || y < iy0 || y > iy1)
          findings.push({ harmless: 'nearCity', where: `row ${i + 2}` });
      } else {
        const bad = judgePoint(r[fx], r[fy], `row ${i + 2}`, fx);
        if (bad) findings.push(bad);
      }
    });
  }
  return [...out, ...findings];
}

/** What the test holds of a mutated package, file by file. */
function judge(texts: Map<string, string>): Finding[] {
  const findings: Finding[] = [];
  for (const [file, t] of texts) {
    if (t === pristine.get(file)) continue;
    const found = t.includes('\u0000')
      ? [{ refuse: 'a NUL character', names: 'record' } as Finding]
      : file.endsWith('.csv')
        ? judgeCsv(file, t)
        : judgeGeoJson(file, t);
    if (!found.length) found.push({ harmless: 'unchanged', where: file });
    for (const f of found)
      findings.push('refuse' in f ? { ...f, refuse: `${file}: ${f.refuse}` } : { ...f, where: `${file}: ${f.where}` });
  }
  return findings;
}

// --- The property ----------------------------------------------------------------------------------------

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/**
 * The error must start with the name of a file of the package, as named in the manifest or by its full path in the
 * package folder (the import log is the operator's): `file[, record …][, field …]: message`.
 */
const namesFile = (dir: string) =>
  new RegExp(
    `^(?:${escapeRegExp(dir)}/)?(${FILES.map(escapeRegExp).join('|')})(, record [^\\n]+?)?(, field [^:\\n]+)?: \\S`,
  );

describe.each(engines)('importing generated broken packages on %s', (engine: Engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let dir: string;
  /** The API's patterns for area codes and offer ids: whatever loads must be reachable through them. */
  let addressable: { area: RegExp; offer: RegExp };
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

  const writePackage = (mutations: Mutation[]): Map<string, string> => {
    const texts = new Map(pristine);
    for (const m of mutations) texts.set(m.file, m.apply(texts.get(m.file) as string));
    for (const [file, text] of texts) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    return texts;
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    db = await freshDb(engine);
    dir = mkdtempSync(join(tmpdir(), 'mini-fuzz-'));
    writePackage([]);
    expect((await runImport(db, { dir, log: () => {} })).status).toBe('loaded');
    const [box] = await db.query<{ x0: number; y0: number; x1: number; y1: number }>(
      `SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
       FROM ST_Transform(ST_MakeEnvelope($1, $2, $3, $4, 4326), $5::int) AS e`,
      [...M.city.bbox, M.addresses.srid],
    );
    const { x0, y0, x1, y1 } = box as { x0: number; y0: number; x1: number; y1: number };
    const margin = Math.max(x1 - x0, y1 - y0);
    addressBox = { inner: [x0, y0, x1, y1], outer: [x0 - margin, y0 - margin, x1 + margin, y1 + margin] };
    const doc = (await (await createApp({ db, env: readEnv({}) }).request('/api/openapi.json')).json()) as Json;
    const pattern = (path: string, name: string) =>
      new RegExp(doc.paths[path].get.parameters.find((p: Json) => p.name === name).schema.pattern);
    addressable = { area: pattern('/api/areas/{level}/{code}', 'code'), offer: pattern('/api/offers/{id}', 'id') };
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    `refuses every harmful one of ${RUNS[engine]} mutated packages, naming file, record and field, and loads the harmless`,
    async () => {
      const outcomes = { loaded: 0, unchanged: 0, refused: 0 };
      const reasons = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const what = mutations.map((m) => `${m.file}: ${m.describe}`).join('; ');
          const texts = writePackage(mutations);
          const findings = judge(texts);
          const refusals = findings.filter((f): f is Extract<Finding, { refuse: string }> => 'refuse' in f);
          const harmless = findings.filter((f): f is Extract<Finding, { harmless: Reason }> => 'harmless' in f);
          const expected = refusals.length
            ? 'refused'
            : harmless.every((f) => Harmless[f.harmless].mustLoad)
              ? 'loaded'
              : 'either';
          const before = await snapshot();
          const [last] = await db.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM app.import_run');
          let error: Error | null = null;
          try {
            const result = await runImport(db, { dir, log: () => {} });
            outcomes[result.status]++;
          } catch (err) {
            error = err as Error;
            outcomes.refused++;
          }
          const staging = await db.query(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = 'atlas_staging'",
          );
          if (staging.length) throw new Error(`${what}: the staging schema was left behind`);
          const runs = await db.query<{ status: string; error: string | null }>(
            'SELECT status, error FROM app.import_run WHERE id > $1 ORDER BY id',
            [last?.id ?? 0],
          );
          if (error) {
            if (expected === 'loaded')
              throw new Error(
                `${what}: refused a package the test holds valid (${harmless.map((f) => f.harmless).join(', ')}): ${error.message}`,
              );
            const named = namesFile(dir).exec(error.message);
            if (!named) throw new Error(`${what}: refused without naming the file: ${error.stack ?? error.message}`);
            // The record and field, where each fault the test found lies in one (a count or a broken file has none).
            if (refusals.length && refusals.every((f) => f.names !== 'file')) {
              if (!named[2]) throw new Error(`${what}: refused without naming the record: ${error.message}`);
              if (refusals.every((f) => f.names === 'field') && !named[3])
                throw new Error(`${what}: refused without naming the field: ${error.message}`);
            }
            // The database keeps the message as well-formed text (a lone surrogate of a mangled file becomes U+FFFD).
            const logged = Buffer.from(error.message, 'utf8').toString('utf8');
            if (runs.length !== 1 || runs[0]?.status !== 'failed' || runs[0]?.error !== logged)
              throw new Error(`${what}: refused, but not logged as one failed run: ${JSON.stringify(runs)}`);
            const after = await snapshot();
            if (after.version !== before.version || after.digest !== before.digest)
              throw new Error(`${what}: refused (${error.message}) but the data changed`);
          } else {
            if (expected === 'refused')
              throw new Error(`${what}: loaded a harmful package: ${refusals.map((f) => f.refuse).join('; ')}`);
            for (const f of harmless) reasons.set(f.harmless, (reasons.get(f.harmless) ?? 0) + 1);
            if (runs.length > 1 || (runs[0] && runs[0].status !== 'loaded'))
              throw new Error(`${what}: loaded, but logged as ${JSON.stringify(runs)}`);
            // Loaded: whole, with every address and offer in a quarter, every polygon valid, every area and offer
            // reachable through the API.
            const [c] = await db.query<{ orphans: number; invalid: number; quarters: number }>(
              `SELECT (SELECT count(*)::int FROM atlas.address WHERE quarter_code IS NULL) +
                    (SELECT count(*)::int FROM atlas.offer WHERE quarter_code IS NULL) AS orphans,
                    (SELECT count(*)::int FROM atlas.area WHERE geom IS NOT NULL AND NOT ST_IsValid(geom)) AS invalid,
                    (SELECT count(*)::int FROM atlas.area WHERE level = 'quarter') AS quarters`,
            );
            expect(c, what).toEqual({ orphans: 0, invalid: 0, quarters: M.quarters.expectedCount });
            const codes = await db.query<{ code: string }>("SELECT code FROM atlas.area WHERE level <> 'subquarter'");
            const ids = await db.query<{ id: string }>('SELECT id FROM atlas.offer');
            const lost = [
              ...codes.map((a) => a.code).filter((code) => !addressable.area.test(code)),
              ...ids.map((o) => o.id).filter((id) => !addressable.offer.test(id)),
            ];
            if (lost.length)
              throw new Error(`${what}: loaded areas or offers the API cannot address: ${lost.join(', ')}`);
          }
        }),
        { numRuns: RUNS[engine], endOnFailure: true },
      );
      console.log(
        `[import fuzz ${engine}] ${RUNS[engine]} mutated packages: ${outcomes.refused} refused, ` +
          `${outcomes.loaded} loaded, ${outcomes.unchanged} unchanged; harmless changes in those loaded: ` +
          [...reasons].map(([r, n]) => `${r} ${n}`).join(', '),
      );
      expect(rejections).toEqual([]);
      // A bound on the whole run, not an assertion on speed: each package takes 0.1 to 1 s, more on a busy machine.
    },
    30 * 60_000,
  );
});
