import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import type { Db } from '../db/index.ts';
import { CLASS_METHODS, ClassifyError, classify, MAX_CLASSES, MIN_CLASSES } from '../domain/classify.ts';
import {
  INDICATOR_METHODS,
  type IndicatorMethod,
  METHOD_TEXT,
  NO_VALUE,
  noValueForDate,
  parseNote,
  roundValue,
  suppress,
  type Text,
  THEME_LABELS,
  themeLabel,
  VALUE_MISSING,
  type ValueLevel,
} from '../domain/indicators.ts';
import {
  type AreaValue,
  CatalogueResponse,
  type IndicatorSummary,
  MethodSchema,
  ValueLevelSchema,
  type ValueSource,
  ValuesResponse,
} from '../domain/indicators-schema.ts';
import {
  type Catalogue,
  type IndicatorRow,
  readCatalogue,
  readCityValue,
  readValues,
  type SourceRow,
  type ValueRow,
} from '../domain/indicators-store.ts';
import {
  cachedJson,
  chooseEncoding,
  DEFAULT_CACHE_CONTROL,
  etagFor,
  ifNoneMatch,
  perDataVersion,
  recentJson,
  requireDataVersion,
} from '../http/cached.ts';
import { badRequest, notFound } from '../http/problem.ts';
import { documentRoute, queryNumber, validateParams, validateQuery } from '../http/validate.ts';

/**
 * /api/indicators: the catalogue of indicators, and the values of one indicator per area with a classification.
 * Also the helpers the analysis and profile routes share: the catalogue per data version, one indicator's
 * summary, one value as the API shows it (with the privacy rule applied), and JSON answers with an ETag.
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
    'the areas left out. Answers carry an ETag per data version; If-None-Match gives 304.',
  params: IndicatorParams,
  query: ValuesQuery,
  response: { description: 'Values, city value and classification', schema: ValuesResponse },
  example: '/api/indicators/school_social_index_nearest_primary/values?level=quarter&classification=jenks&classes=5',
  errors: [
    { status: 404, description: 'No indicator with this id' },
    { status: 503, description: 'No data imported yet' },
  ],
});

/** The catalogue of the live data version, read once per import. */
export function catalogueStore(db: Db) {
  const store = perDataVersion<'all', Catalogue>(db, () => readCatalogue(db));
  return async () => (await store.get('all')).value;
}

export function indicatorSummary(ind: IndicatorRow, cat: Catalogue): z.infer<typeof IndicatorSummary> {
  return {
    id: ind.id,
    theme: ind.theme,
    theme_label: themeLabel(ind.theme),
    title: ind.title,
    description: ind.description,
    unit: ind.unit,
    direction: ind.direction,
    method: ind.method,
    method_text: METHOD_TEXT[ind.method],
    method_note: ind.method_note,
    count_based: ind.count_based,
    sources: ind.source_ids.flatMap((id) => {
      const s = cat.sources.get(id);
      return s ? [sourceRef(s)] : [];
    }),
  };
}

export function sourceRef(s: SourceRow) {
  return {
    id: s.id,
    title: s.title,
    publisher: s.publisher,
    licence: s.licence,
    attribution: s.attribution,
    url: s.url,
  };
}

export function findIndicator(cat: Catalogue, id: string): IndicatorRow {
  const ind = cat.byId.get(id);
  if (!ind) throw notFound(`No indicator with id ${id}; /api/indicators lists them`);
  return ind;
}

function valueSource(row: Pick<ValueRow, 'source_id' | 'source_url' | 'quote'>, cat: Catalogue) {
  if (!row.source_id) return null;
  const s = cat.sources.get(row.source_id);
  return {
    id: row.source_id,
    title: s?.title ?? row.source_id,
    attribution: s?.attribution ?? row.source_id,
    url: row.source_url ?? s?.url ?? null,
    quote: row.quote,
  } satisfies z.infer<typeof ValueSource>;
}

/** One stored value as the API shows it: the privacy rule applied, a missing value with its reason. */
export function showValue(
  row: Omit<ValueRow, 'code' | 'name' | 'has_row'> & { has_row?: boolean },
  ind: IndicatorRow,
  cat: Catalogue,
  minCount: number,
  missingReason: Text = NO_VALUE,
): Omit<z.infer<typeof AreaValue>, 'code' | 'name' | 'class'> {
  const note = parseNote(row.note);
  if (row.has_row === false)
    return {
      value: null,
      reference_date: null,
      method: null,
      source: null,
      note: null,
      basis_count: null,
      suppressed: false,
      reason: missingReason,
    };
  const privacy = suppress(ind.count_based, row.basis_count, row.value, minCount);
  const reason = privacy.reason ?? (row.value === null ? (note ?? VALUE_MISSING) : null);
  return {
    value: privacy.suppressed ? null : roundValue(row.value),
    reference_date: row.reference_date,
    method: row.method,
    source: valueSource(row, cat),
    note,
    basis_count: privacy.suppressed ? null : row.basis_count,
    suppressed: privacy.suppressed,
    reason,
  };
}

/**
 * A JSON answer computed per request from data that changes only on import: its ETag is the data version and a
 * hash of the body, so a client revalidating with If-None-Match gets 304 until the next import. The body is
 * compressed (brotli or gzip, fast settings) when the client accepts it.
 */
export function jsonWithEtag(c: Context, version: string, body: unknown): Response {
  const json = Buffer.from(JSON.stringify(body));
  const tag = `${version}-${createHash('sha256').update(json).digest('hex').slice(0, 16)}`;
  const encoding = json.length < 1024 ? 'identity' : chooseEncoding(c.req.header('accept-encoding'));
  const headers: Record<string, string> = {
    etag: etagFor(tag, encoding),
    'cache-control': DEFAULT_CACHE_CONTROL,
    vary: 'Accept-Encoding',
  };
  if (ifNoneMatch(c.req.header('if-none-match'), tag)) return c.body(null, 304, headers);
  const bytes =
    encoding === 'br'
      ? brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
      : encoding === 'gzip'
        ? gzipSync(json, { level: 6 })
        : json;
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  return c.body(new Uint8Array(bytes), 200, { ...headers, 'content-type': 'application/json' });
}

function parseBreaks(text: string | undefined): number[] | undefined {
  return text === undefined ? undefined : text.split(',').map((b) => Number(b.trim()));
}

async function buildCatalogue(cat: Catalogue, minCount: number): Promise<z.infer<typeof CatalogueResponse>> {
  const themes = [...new Set(cat.indicators.map((i) => i.theme))];
  return {
    indicators: cat.indicators.map((ind) => ({
      ...indicatorSummary(ind, cat),
      levels: cat.levels
        .filter((l) => l.indicator_id === ind.id)
        .map((l) => ({
          level: l.level,
          dates: l.dates,
          latest_dates: l.latest_dates,
          areas: l.areas,
          with_value: l.with_value,
        })),
      families: cat.facets
        .filter((f) => f.indicator_id === ind.id)
        .map((f) => ({
          family: f.family,
          member: f.member,
          label: f.label,
          measure: f.measure,
          radius_m: f.radius_m,
          parent: f.parent,
          sort: f.sort,
        })),
    })),
    themes: themes.map((id) => ({ id, label: THEME_LABELS[id] ?? themeLabel(id) })),
    methods: INDICATOR_METHODS.map((method) => ({ method, text: METHOD_TEXT[method] })),
    min_count: minCount,
  };
}

interface ValuesKey {
  id: string;
  level: ValueLevel;
  date: string | null;
  method: IndicatorMethod | null;
}

export function indicatorRoutes({ db, minCount }: IndicatorDeps) {
  const catalogue = catalogueStore(db);
  const catalogueJson = cachedJson<'all'>(db, async () => buildCatalogue(await catalogue(), minCount));
  const answers = recentJson(256);
  // The stored values of one indicator, level, date and method: a bounded set of keys, since each part is
  // checked against the catalogue before it is used.
  const stored = perDataVersion<string, { rows: ValueRow[]; city: ValueRow | null }>(db, async (key) => {
    const k = JSON.parse(key) as ValuesKey;
    const filter = { date: k.date, method: k.method };
    const [rows, city] = await Promise.all([readValues(db, k.id, k.level, filter), readCityValue(db, k.id, filter)]);
    return { rows, city };
  });

  return new Hono()
    .get('/', validateQuery(z.strictObject({})), (c) => catalogueJson.respond(c, 'all'))
    .get('/:id/values', validateParams(IndicatorParams), validateQuery(ValuesQuery), async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const version = await requireDataVersion(db);
      const cat = await catalogue();
      const ind = findIndicator(cat, id);
      const date = q.date?.trim() || null;
      if (date !== null && !cat.levels.some((l) => l.indicator_id === id && l.dates.includes(date)))
        throw badRequest('date', `indicator ${id} has no values dated ${date}; the catalogue lists its dates`);
      const key: ValuesKey = { id, level: q.level, date, method: q.method ?? null };
      // Every answer of one key is the same until the next import: built and compressed once, then from memory.
      const answerKey = JSON.stringify([key, q.classification, q.classes, q.breaks ?? null]);
      return answers.respond(c, version, answerKey, async () => {
        const { rows, city } = (await stored.get(JSON.stringify(key))).value;

        const missingReason = date === null ? NO_VALUE : noValueForDate(date);
        const shown = rows.map((r) => ({
          code: r.code,
          name: r.name,
          ...showValue(r, ind, cat, minCount, missingReason),
        }));
        let classification: ReturnType<typeof classify>;
        try {
          classification = classify(
            shown.map((v) => v.value),
            { method: q.classification, classes: q.classes, breaks: parseBreaks(q.breaks) },
          );
        } catch (err) {
          if (err instanceof ClassifyError)
            throw badRequest(err.param === 'method' ? 'classification' : err.param, err.message.replace(/^\w+: /, ''));
          throw err;
        }
        const body: z.infer<typeof ValuesResponse> = {
          indicator: indicatorSummary(ind, cat),
          level: q.level,
          date,
          method: q.method ?? null,
          min_count: minCount,
          values: shown.map((v) => ({ ...v, class: classification.classOf(v.value) })),
          city: city ? { code: city.code, name: cat.city, ...showValue(city, ind, cat, minCount), class: null } : null,
          classification: {
            method: classification.method,
            classes_requested: q.classes,
            classes: classification.classes,
            breaks: classification.breaks.map((b) => roundValue(b) as number),
            min: roundValue(classification.min),
            max: roundValue(classification.max),
            counts: classification.counts,
            missing: shown
              .filter((v) => v.value === null)
              .map((v) => ({ code: v.code, name: v.name, reason: v.reason ?? NO_VALUE })),
            merged: classification.merged,
          },
        };
        return body;
      });
    });
}
