/**
 * Indicators as the API shows them: pure functions from the stored rows (db/queries/indicators.ts) to the
 * bodies of /api/indicators and its values, with the privacy rule (`suppress`) applied to every value shown.
 */
import type { z } from 'zod';
import type { Catalogue, IndicatorRow, LatestByIndicator, SourceRow, ValueRow } from '../db/queries/indicators.ts';
import { type ClassifyOptions, classify } from './classify.ts';
import { KEYWORDS, MISSING_TOPICS } from './indicator-search-data.ts';
import {
  INDICATOR_METHODS,
  type IndicatorMethod,
  keywordsOf,
  METHOD_TEXT,
  NO_VALUE,
  noValueForDate,
  parseNote,
  roundValue,
  suppress,
  type Text,
  THEME_LABELS,
  themeLabel,
  VALUE_LEVELS,
  VALUE_MISSING,
  type ValueLevel,
} from './indicators.ts';
import type {
  AreaValue,
  CatalogueResponse,
  IndicatorSummary,
  MapValuesResponse,
  ValueSource,
  ValuesResponse,
} from './indicators-schema.ts';

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

/** The source of one value: the catalogue's entry, the value's own URL and quote. */
export function valueSource(
  row: Pick<ValueRow, 'source_id' | 'source_url' | 'quote'>,
  cat: Catalogue,
): z.infer<typeof ValueSource> | null {
  if (!row.source_id) return null;
  const s = cat.sources.get(row.source_id);
  return {
    id: row.source_id,
    title: s?.title ?? row.source_id,
    attribution: s?.attribution ?? row.source_id,
    url: row.source_url ?? s?.url ?? null,
    quote: row.quote,
  };
}

export type StoredValue = Omit<ValueRow, 'code' | 'name' | 'has_row'> & { has_row?: boolean };
export type ShownValue = Omit<z.infer<typeof AreaValue>, 'code' | 'name' | 'class'>;

/** One stored value as the API shows it: the privacy rule applied, a missing value with its reason. */
export function showValue(
  row: StoredValue,
  ind: IndicatorRow,
  cat: Catalogue,
  minCount: number,
  missingReason: Text = NO_VALUE,
): ShownValue {
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

const NO_ROW: StoredValue = {
  has_row: false,
  value: null,
  reference_date: null,
  method: null,
  source_id: null,
  source_url: null,
  quote: null,
  note: null,
  basis_count: null,
};

/** The newest value of one indicator for one area as the API shows it, or null with the reason. */
export function shownLatest(
  latest: LatestByIndicator,
  ind: IndicatorRow,
  code: string,
  cat: Catalogue,
  minCount: number,
): ShownValue {
  const row = latest.get(ind.id)?.get(code);
  return showValue(row ? { ...row, has_row: true } : NO_ROW, ind, cat, minCount);
}

/** The body of /api/indicators: every indicator with its levels, dates and families; themes; methods. */
export function catalogueBody(cat: Catalogue, minCount: number): z.infer<typeof CatalogueResponse> {
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
      keywords: keywordsOf(ind.id, ind.theme, KEYWORDS),
      coverage: VALUE_LEVELS.map((level) => ({
        level,
        with_value: cat.levels.find((l) => l.indicator_id === ind.id && l.level === level)?.with_value ?? 0,
        of: cat.areaCounts?.get(level) ?? 0,
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
    // Proxies the catalogue does not hold (another city's data) are left out.
    missing_topics: MISSING_TOPICS.map((m) => ({ ...m, proxies: m.proxies.filter((id) => cat.byId.has(id)) })),
  };
}

/** Whether the catalogue lists values of indicator `id` dated `date` (at any level). */
export function hasDate(cat: Catalogue, id: string, date: string): boolean {
  return cat.levels.some((l) => l.indicator_id === id && l.dates.includes(date));
}

/** Class breaks as the query gives them: `"1, 2.5,4"` → [1, 2.5, 4]. */
export function parseBreaks(text: string | undefined): number[] | undefined {
  return text === undefined ? undefined : text.split(',').map((b) => Number(b.trim()));
}

export interface ValuesRequest {
  level: ValueLevel;
  /** A reference date from the catalogue, or null for the newest value of each area. */
  date: string | null;
  method: IndicatorMethod | null;
  classification: ClassifyOptions;
}

/**
 * The body of /api/indicators/:id/values: every area of the level with its value shown (or withheld, or
 * missing with the reason), the city value, and the classification of the values shown.
 * Throws ClassifyError for classification options the values do not allow.
 */
export function valuesBody(
  ind: IndicatorRow,
  cat: Catalogue,
  stored: { rows: readonly ValueRow[]; city: ValueRow | null },
  request: ValuesRequest,
  minCount: number,
): z.infer<typeof ValuesResponse> {
  const missingReason = request.date === null ? NO_VALUE : noValueForDate(request.date);
  const shown = stored.rows.map((r) => ({
    code: r.code,
    name: r.name,
    ...showValue(r, ind, cat, minCount, missingReason),
  }));
  const classification = classify(
    shown.map((v) => v.value),
    request.classification,
  );
  const { city } = stored;
  return {
    indicator: indicatorSummary(ind, cat),
    level: request.level,
    date: request.date,
    method: request.method,
    min_count: minCount,
    values: shown.map((v) => ({ ...v, class: classification.classOf(v.value) })),
    city: city ? { code: city.code, name: cat.city, ...showValue(city, ind, cat, minCount), class: null } : null,
    classification: {
      method: classification.method,
      classes_requested: request.classification.classes,
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
}

/**
 * The lean form of a values body (`fields=map`): per area only code, value and class; the missing ones with their
 * reason; the reference dates once. Names, notes and sources stay with the areas and the catalogue.
 */
export function mapValuesBody(full: z.infer<typeof ValuesResponse>): z.infer<typeof MapValuesResponse> {
  const { missing: _names, ...classification } = full.classification;
  const dates = [...new Set(full.values.map((v) => v.reference_date).filter((d): d is string => d !== null))];
  return {
    indicator: full.indicator.id,
    level: full.level,
    date: full.date,
    method: full.method,
    min_count: full.min_count,
    dates: dates.sort().reverse(),
    values: full.values.map((v) => ({ code: v.code, value: v.value, class: v.class })),
    city: full.city ? { value: full.city.value, reference_date: full.city.reference_date } : null,
    classification,
    missing: full.values
      .filter((v) => v.value === null)
      .map((v) => ({ code: v.code, suppressed: v.suppressed, reason: v.reason ?? NO_VALUE })),
  };
}
