import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { perDataVersion } from '../db/data-version.ts';
import type { Catalogue, IndicatorRow } from '../db/queries/indicators.ts';
import {
  catalogueStore,
  readCityValue,
  readDatedValues,
  readValues,
  type ValueRow,
  type Viewer,
} from '../db/queries/indicators.ts';
import { readAreaGeometries, readGpkgSrs, readWkbById } from '../db/queries/ogc.ts';
import type { AppDeps } from '../deps.ts';
import { attributionLines } from '../domain/attribution.ts';
import { changeBetween, comparableDates, type DatedValue, periodEnd, seriesOf } from '../domain/change.ts';
import { CLASS_METHODS, ClassifyError, type ClassMethod, MAX_CLASSES, MIN_CLASSES } from '../domain/classify.ts';
import {
  classificationText,
  GPKG_TYPE,
  gpkgLayer,
  type ValuesBody,
  VIEW_COLUMNS,
  VIEW_NUMERIC,
  viewGeoJson,
  viewRows,
} from '../domain/downloads.ts';
import { writeGeoPackage } from '../domain/gpkg.ts';
import type { IndicatorMethod, ValueLevel } from '../domain/indicators.ts';
import {
  CatalogueResponse,
  MapValuesResponse,
  MethodSchema,
  ValueLevelSchema,
  ValuesResponse,
} from '../domain/indicators-schema.ts';
import {
  catalogueBody,
  hasDate,
  indicatorSummary,
  mapValuesBody,
  parseBreaks,
  valuesBody,
} from '../domain/indicators-show.ts';
import { GEOJSON, geoJsonText } from '../domain/ogc.ts';
import { CRS84, type Crs, EPSG_25832, type Geometry, parseCrs } from '../domain/ogc-crs.ts';
import { hasCredentials, seesInternal } from '../http/auth.ts';
import { badRequest, notFound } from '../http/problem.ts';
import {
  cachedJson,
  DEFAULT_CACHE_CONTROL,
  FAST,
  PRIVATE_CACHE_CONTROL,
  RECENT_ANSWERS,
  type Representation,
  represent,
  send,
  sizeOf,
  THOROUGH,
} from '../http/representation.ts';
import { documentRoute, queryNumber, validateParams, validateQuery } from '../http/validate.ts';

/**
 * /api/indicators: the catalogue of indicators, and the values of one indicator per area with a classification.
 * The bodies are made in domain/indicators-show.ts from the rows of db/queries/indicators.ts, and sent from
 * memory by http/representation.ts.
 */

export type IndicatorDeps = Pick<AppDeps, 'db'> & { minCount: number };

export const IndicatorParams = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9_]{1,80}$/, 'must be an indicator id: lower-case letters, digits and underscores')
    .describe('An indicator id from /api/indicators'),
});

const BREAKS = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(\s*,\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)*\s*$/;

export const ValuesQuery = z.strictObject({
  level: ValueLevelSchema.default('quarter'),
  date: z
    .string()
    .max(40)
    .optional()
    .describe('A reference date from the catalogue: the values of that date instead of the newest of each area'),
  method: MethodSchema.optional().describe('Only values made by this method'),
  classification: z.enum(CLASS_METHODS).default('quantile').describe('How the class breaks are found'),
  classes: queryNumber(z.number().int().min(MIN_CLASSES).max(MAX_CLASSES).default(5)),
  breaks: z
    .string()
    .max(500)
    .regex(BREAKS, 'must be numbers separated by commas')
    .optional()
    .describe('classification=manual: the classes − 1 cut points, ascending, comma separated'),
  fields: z
    .enum(['all', 'map'])
    .default('all')
    .describe(
      'all: every value with name, date, source and note; map: the lean form for the map (code, value and class ' +
        'per area, the classification, the city value), names from /api/areas, titles and sources from /api/indicators',
    ),
  // issue 17: the view as a file for a GIS
  format: z
    .enum(['json', 'geojson', 'gpkg'])
    .default('json')
    .describe(
      'json: this answer; geojson or gpkg: the view as a GeoJSON or GeoPackage file, one feature per area with ' +
        'its value, date, method, source, class (from 1) and class range, and the attribution its sources require',
    ),
  crs: z
    .string()
    .max(100)
    .optional()
    .describe(
      'format=geojson or gpkg: the CRS of the coordinates, CRS84 (the default) or EPSG:25832, by URI or as ' +
        'EPSG:25832',
    ),
});

documentRoute({
  method: 'get',
  path: '/api/indicators',
  tag: 'indicators',
  summary: 'The catalogue of indicators: published, computed and modelled',
  description:
    'Every indicator with its theme, titles and descriptions (German and English), unit, direction, method with ' +
    'a sentence on what it means and a note on how it is made, sources, levels and reference dates, and the ' +
    'families it belongs to (coverage, offers, education chain). Built once per data import; use If-None-Match.',
  response: { description: 'The catalogue', schema: CatalogueResponse, cached: true },
  example: '/api/indicators',
  errors: [{ status: 503, description: 'No data imported yet' }],
});

documentRoute({
  method: 'get',
  path: '/api/indicators/:id/values',
  tag: 'indicators',
  summary: 'The values of one indicator for every area of a level, the city value and a classification',
  description:
    'Every area of the level is listed; a missing value is null with the reason. Count-based values resting on ' +
    'fewer than min_count addresses or persons are withheld (suppressed: true). Classification: quantile, ' +
    'equal-interval, jenks (Fisher), stddev or manual (breaks=), 3 to 9 classes, with the count per class and ' +
    'the areas left out. Answers carry an ETag per data version; If-None-Match gives 304. format=geojson or gpkg ' +
    '(issue 17): the same view as a file for a GIS (application/geo+json or application/geopackage+sqlite3), ' +
    'one feature per area with its geometry in crs (CRS84 or EPSG:25832), value, date, method, source, class ' +
    '(from 1) and class range, and the attribution its sources require (GeoJSON: the attribution member; ' +
    'GeoPackage: gpkg_contents.description and the metadata extension).',
  params: IndicatorParams,
  query: ValuesQuery,
  response: {
    description:
      'Values, city value and classification; with fields=map the lean form (see MapValuesResponse), its body ' +
      'under 2 KB brotli on the Dortmund package',
    schema: z.union([ValuesResponse, MapValuesResponse]),
    cached: true,
  },
  example: '/api/indicators/school_social_index_nearest_primary/values?level=quarter&classification=jenks&classes=5',
  errors: [
    { status: 404, description: 'No indicator with this id' },
    { status: 503, description: 'No data imported yet' },
  ],
});

export const ChangeQuery = z.strictObject({
  level: ValueLevelSchema.default('quarter'),
  from: z
    .string()
    .max(40)
    .optional()
    .describe('The earlier date (YYYY-MM-DD or YYYY, a year standing for its last day); default the earliest'),
  to: z.string().max(40).optional().describe('The later date; default the newest'),
  measure: z
    .enum(['absolute', 'relative'])
    .default('absolute')
    .describe('Which change is classified: absolute, or relative (per cent; percentage points for shares)'),
  classes: queryNumber(z.number().int().min(MIN_CLASSES).max(MAX_CLASSES).default(5)),
});

documentRoute({
  method: 'get',
  path: '/api/indicators/:id/change',
  tag: 'indicators',
  summary: 'The change of one indicator between two dates, per area, classified symmetrically about zero',
  description:
    'Both values with their dates, the absolute change and the relative one (per cent of the earlier value; ' +
    'percentage points for shares), count-based values under min_count withheld, classes symmetric about zero ' +
    '(an odd number, the middle one holding about no change) for a diverging map. `dates` lists the dates ' +
    'that can be compared.',
  params: IndicatorParams,
  query: ChangeQuery,
  response: { description: 'The change per area and its classes', cached: true },
  example: '/api/indicators/population/change?level=district',
  errors: [
    { status: 404, description: 'No indicator with this id' },
    { status: 503, description: 'No data imported yet' },
  ],
});

export const SeriesQuery = z.strictObject({
  level: ValueLevelSchema.default('quarter'),
  code: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be an area code: lower-case letters, digits and hyphens')
    .describe("The area's official code as text: '05' (district), '050' (quarter), '022' (action area)"),
});

documentRoute({
  method: 'get',
  path: '/api/indicators/:id/series',
  tag: 'indicators',
  summary: "One area's values of an indicator over time, oldest first",
  description:
    'One value per date (a year and its last day count as one), each with the date it was given with; ' +
    'count-based values under min_count are withheld (null, suppressed: true).',
  params: IndicatorParams,
  query: SeriesQuery,
  response: { description: 'The series', cached: true },
  example: '/api/indicators/population/series?level=district&code=01',
  errors: [
    { status: 404, description: 'No indicator with this id, or no such area' },
    { status: 503, description: 'No data imported yet' },
  ],
});

export function findIndicator(cat: Catalogue, id: string): IndicatorRow {
  const ind = cat.byId.get(id);
  if (!ind) throw notFound(`No indicator with id ${id}; /api/indicators lists them`);
  return ind;
}

interface ValuesKey {
  id: string;
  level: ValueLevel;
  date: string | null;
  method: IndicatorMethod | null;
  /** A request with a token: internal uploaded indicators may be read (issue 15); never shared with anonymous keys. */
  internal: boolean;
}

interface ChangeKey {
  id: string;
  level: ValueLevel;
  from: string | null;
  to: string | null;
  measure: 'absolute' | 'relative';
  classes: number;
  internal: boolean;
}

interface AnswerKey {
  key: ValuesKey;
  classification: ClassMethod;
  classes: number;
  breaks: string | null;
}

export function indicatorRoutes({ db, minCount }: IndicatorDeps) {
  const catalogue = catalogueStore(db);
  const catalogueJson = cachedJson<Viewer>(db, async (viewer) => catalogueBody(await catalogue(viewer), minCount));
  // The stored values of one indicator, level, date and method, each part checked against the catalogue first.
  const stored = perDataVersion<ValuesKey, { rows: ValueRow[]; city: ValueRow | null }>(db, async (k) => {
    const filter = { date: k.date, method: k.method, internal: k.internal };
    const [rows, city] = await Promise.all([readValues(db, k.id, k.level, filter), readCityValue(db, k.id, filter)]);
    return { rows, city };
  });
  // Every answer of one query is the same until the next import: built and compressed once, then from memory.
  const build = async ({ key, classification, classes, breaks }: AnswerKey) => {
    const cat = await catalogue({ internal: key.internal });
    const ind = findIndicator(cat, key.id);
    const options = { method: classification, classes, breaks: parseBreaks(breaks ?? undefined) };
    try {
      return valuesBody(
        ind,
        cat,
        (await stored.get(key)).value,
        { level: key.level, date: key.date, method: key.method, classification: options },
        minCount,
      );
    } catch (err) {
      if (err instanceof ClassifyError)
        throw badRequest(err.param === 'method' ? 'classification' : err.param, err.message.replace(/^\w+: /, ''));
      throw err;
    }
  };
  const answers = cachedJson<AnswerKey>(db, build, { compression: FAST });
  // Issue 17: the view as a GeoJSON or GeoPackage file (domain/downloads.ts), built once per data version and request.
  const files = perDataVersion<{ answer: AnswerKey; format: 'geojson' | 'gpkg'; crs: string }, Representation>(
    db,
    async ({ answer, format, crs: uri }, version) => {
      const crs = parseCrs(uri) as Crs;
      const body = (await build(answer)) as ValuesBody;
      const { indicator, level } = body;
      const attribution = attributionLines(indicator.sources, indicator.method !== 'published', 'en');
      if (format === 'geojson') {
        const rows = await readAreaGeometries(db, level, crs.srid);
        const geometries = new Map(rows.map((r) => [r.code, JSON.parse(r.geometry) as Geometry]));
        const text = geoJsonText(viewGeoJson(body, geometries, crs, attribution), VIEW_NUMERIC);
        return represent(text, { contentType: GEOJSON, tagPrefix: version, compression: FAST });
      }
      const [wkb, { srs, wgs84 }] = await Promise.all([readWkbById(db, level, crs.srid), readGpkgSrs(db, crs.srid)]);
      const rows = viewRows(body);
      const layer = gpkgLayer({
        table: `${level}_${indicator.id}`,
        identifier: `${indicator.title.en} (${level}${body.date ? `, ${body.date}` : ''})`,
        rows,
        ids: rows.map((r) => r.code as string),
        columns: VIEW_COLUMNS.map((name) => ({
          name,
          type: VIEW_NUMERIC.has(name)
            ? 'REAL'
            : name === 'class'
              ? 'INTEGER'
              : name === 'suppressed'
                ? 'BOOLEAN'
                : 'TEXT',
        })),
        numeric: VIEW_NUMERIC,
        wkb,
        geometryType: 'MULTIPOLYGON',
        srs,
        wgs84,
        attribution,
        about: [
          `${indicator.title.en} (${indicator.unit}), ${level}, ${body.date ?? 'newest value of each area'}`,
          `Classification: ${classificationText(body.classification)}; class 1 holds the lowest values.`,
          `Method: ${indicator.method}. ${indicator.method_note.en}`,
        ],
        timestamp: new Date().toISOString(),
      });
      return represent(await writeGeoPackage(layer), { contentType: GPKG_TYPE, tagPrefix: version, compression: FAST });
    },
    sizeOf,
    RECENT_ANSWERS,
  );
  /**
   * A file of the view, sent like every kept answer with its Content-Crs. It names no file: the page's link does
   * (its `download` attribute, which a Content-Disposition name would override).
   */
  const sendFile = async (c: Context, key: Parameters<typeof files.get>[0]) => {
    const { value } = await files.get(key);
    const cache = hasCredentials(c.req.raw.headers) ? PRIVATE_CACHE_CONTROL : DEFAULT_CACHE_CONTROL;
    return send(c, value, cache, { 'content-crs': `<${key.crs}>` });
  };
  // The map's lean form is small: compressed thoroughly, as the page's first paint waits for it.
  const mapAnswers = cachedJson<AnswerKey>(db, async (k) => mapValuesBody(await build(k)), {
    compression: THOROUGH,
  });

  // Change between two dates (issue 15): every dated value of the indicator at the level, once per data version.
  const dated = perDataVersion<{ id: string; level: ValueLevel; internal: boolean }, DatedValue[]>(db, (k) =>
    readDatedValues(db, k.id, k.level, k.internal),
  );
  const changes = cachedJson<ChangeKey>(
    db,
    async (k) => {
      const cat = await catalogue({ internal: k.internal });
      const ind = findIndicator(cat, k.id);
      const rows = (await dated.get({ id: k.id, level: k.level, internal: k.internal })).value;
      const dates = comparableDates(rows);
      const pick = (param: 'from' | 'to', given: string | null, fallback: string | undefined) => {
        const end = given === null ? fallback : periodEnd(given)?.end;
        if (given !== null && !end) throw badRequest(param, `"${given}" is not a date: YYYY-MM-DD or YYYY`);
        if (!end || !dates.includes(end))
          throw badRequest(
            param,
            `indicator ${k.id} has no ${k.level} values for ${given ?? 'any date'}; dates: ${dates.join(', ') || 'none'}`,
          );
        return given ?? end;
      };
      const from = pick('from', k.from, dates[0]);
      const to = pick('to', k.to, dates[dates.length - 1]);
      const change = changeBetween(rows, from, to, {
        unit: ind.unit,
        countBased: ind.count_based,
        minCount,
        measure: k.measure,
        classes: k.classes,
      });
      return {
        indicator: indicatorSummary(ind, cat),
        level: k.level,
        from,
        to,
        dates,
        unit: ind.unit,
        measure: k.measure,
        relative_unit: change.relativeUnit,
        min_count: minCount,
        values: change.areas,
        classification: { method: 'symmetric', centre: 0, classes: change.breaks.length, breaks: change.breaks },
      };
    },
    { compression: FAST },
  );

  const series = cachedJson<{ id: string; level: ValueLevel; code: string; internal: boolean }>(
    db,
    async (k) => {
      const cat = await catalogue({ internal: k.internal });
      const ind = findIndicator(cat, k.id);
      const rows = (await dated.get({ id: k.id, level: k.level, internal: k.internal })).value;
      const own = rows.filter((r) => r.code === k.code);
      if (own.length === 0) {
        const [area] = await db.query('SELECT 1 FROM atlas.area WHERE level = $1 AND code = $2', [k.level, k.code]);
        if (!area) throw notFound(`No ${k.level} with code ${k.code}; /api/areas?level=${k.level} lists them`);
      }
      return {
        indicator: k.id,
        level: k.level,
        code: k.code,
        unit: ind.unit,
        min_count: minCount,
        points: seriesOf(own, { countBased: ind.count_based, minCount }),
      };
    },
    { compression: FAST, own: RECENT_ANSWERS },
  );

  return new Hono()
    .get('/', validateQuery(z.strictObject({})), (c) =>
      catalogueJson.respond(c, { internal: seesInternal(c.get('principal')) }),
    )
    .get('/:id/values', validateParams(IndicatorParams), validateQuery(ValuesQuery), async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const internal = seesInternal(c.get('principal'));
      const cat = await catalogue({ internal }); // 503 when nothing has been imported yet
      findIndicator(cat, id);
      const date = q.date?.trim() || null;
      if (date !== null && !hasDate(cat, id, date))
        throw badRequest('date', `indicator ${id} has no values dated ${date}; the catalogue lists its dates`);
      const key: ValuesKey = { id, level: q.level, date, method: q.method ?? null, internal };
      const answer: AnswerKey = {
        key,
        classification: q.classification,
        classes: q.classes,
        breaks: q.breaks ?? null,
      };
      if (q.format === 'json') {
        if (q.crs !== undefined)
          throw badRequest('crs', 'is for format=geojson or gpkg; this answer has no coordinates');
        return (q.fields === 'map' ? mapAnswers : answers).respond(c, answer);
      }
      if (q.fields !== 'all') throw badRequest('fields', `is for format=json; format=${q.format} has every field`);
      const crs = q.crs === undefined ? CRS84 : parseCrs(q.crs);
      if (!crs || crs.latLon) throw badRequest('crs', `must be ${CRS84.uri} or ${EPSG_25832.uri} (EPSG:25832)`);
      return sendFile(c, { answer, format: q.format, crs: crs.uri });
    })
    .get('/:id/series', validateParams(IndicatorParams), validateQuery(SeriesQuery), async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const internal = seesInternal(c.get('principal'));
      findIndicator(await catalogue({ internal }), id);
      return series.respond(c, { id, level: q.level, code: q.code, internal });
    })
    .get('/:id/change', validateParams(IndicatorParams), validateQuery(ChangeQuery), async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const internal = seesInternal(c.get('principal'));
      findIndicator(await catalogue({ internal }), id);
      const key: ChangeKey = {
        id,
        level: q.level,
        from: q.from?.trim() || null,
        to: q.to?.trim() || null,
        measure: q.measure,
        classes: q.classes,
        internal,
      };
      return changes.respond(c, key);
    });
}
