import type { z } from 'zod';
import type {
  DesignationResponse,
  IndexResponse,
  LisaResponse,
  PresetsResponse,
} from '../../server/domain/analysis-schema.ts';
import type {
  CatalogueResponse,
  GapsResponse,
  MapValuesResponse,
  ProfileResponse,
  ValuesResponse,
} from '../../server/domain/indicators-schema.ts';
import type { AreaCollection, AreaDetail, AreaLevel } from '../../server/routes/areas.ts';
import type { WebConfig } from '../../server/routes/config.ts';
import type { CategoryList, NearestCollection, OfferCollection, OfferDetail } from '../../server/routes/offers.ts';
import type { ProgrammeDetail, ProgrammeList } from '../../server/routes/programmes.ts';
import type { SearchHit, SearchResult } from '../../server/routes/search.ts';
import type { SourceList } from '../../server/routes/sources.ts';
import type { IsochroneCollection, RouteFeature } from '../../server/routes/walk.ts';
import type { OfferListReport } from '../../server/uploads/offer-lists.ts';
import type { Finding } from '../../server/uploads/table-file.ts';
import type { AuditRow, TableSummary, VersionRow } from '../../server/uploads/versions.ts';

/**
 * The typed client of the atlas API for the web app, the one place that calls `fetch`. The response types are
 * the server's own (inferred from the zod schemas that also make /api/openapi.json), imported as types only:
 * nothing of the server is bundled. Caching, deduplication and retries are the query layer's (queries.ts).
 */

export type Catalogue = z.infer<typeof CatalogueResponse>;
export type CatalogueIndicator = Catalogue['indicators'][number];
export type IndicatorValues = z.infer<typeof ValuesResponse>;
export type AreaValue = IndicatorValues['values'][number];
export type Classification = IndicatorValues['classification'];
/** The lean form of the values for the map (`fields=map`): code, value and class per area, the classification. */
export type MapValues = z.infer<typeof MapValuesResponse>;
export type Gaps = z.infer<typeof GapsResponse>;
export type Profile = z.infer<typeof ProfileResponse>;
export type ProfileIndicator = Profile['indicators'][number];
/** Hot spots (issue 18): global and local Moran's I of one indicator. */
export type Lisa = z.infer<typeof LisaResponse>;
/** The composite social index, its presets, and the designation a rule on it gives. */
export type SocialIndex = z.infer<typeof IndexResponse>;
export type IndexPresets = z.infer<typeof PresetsResponse>;
export type Designation = z.infer<typeof DesignationResponse>;
/** The levels indicator values, gaps and profiles are given for. */
export type ValueLevel = IndicatorValues['level'];

export type {
  AreaCollection,
  AreaDetail,
  AreaLevel,
  CategoryList,
  NearestCollection,
  OfferCollection,
  OfferDetail,
  ProgrammeDetail,
  ProgrammeList,
  SearchHit,
  SearchResult,
  SourceList,
  WebConfig,
};

/** The problem+json body of a failed request (RFC 9457); `param` names the parameter that was wrong. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  param?: string;
  errors?: { param: string; message: string }[];
  /** An upload's 422 (issues 15, 21): every finding, and for an offer list how each row was placed. */
  findings?: Finding[];
  rows?: OfferListReport['rows'];
}

// --- The editors' requests (issues 15, 21): sent with a token as `Authorization: Bearer` ---------------------

export type UploadFinding = Finding;
export type RowPlacement = OfferListReport['rows'][number];
export type { AuditRow, TableSummary, VersionRow };
export interface TableDetail extends Omit<TableSummary, 'versions'> {
  versions: VersionRow[];
  audit: AuditRow[];
}
/** One offer list as GET /api/offer-lists lists it. */
export interface OfferListSummary {
  id: string;
  version: number;
  title: string;
  publisher: string;
  date: string;
  licence: string;
  attribution: string;
  url: string | null;
  visibility: 'public' | 'internal';
  categories: Record<string, string>;
  offers: number;
}
export interface OfferListDetail extends OfferListSummary {
  versions?: { version: number; created_at: string; created_by: string; current: boolean }[];
}
/**
 * What a check or an upload answered: stored (201), checked without errors (200, dry run), or refused with its
 * findings (422). For an offer list, `rows` says how each row was placed with the nearest candidates.
 */
export interface UploadOutcome {
  status: number;
  ok: boolean;
  findings: Finding[];
  rows?: RowPlacement[];
  summary?: unknown;
  /** When stored: the table's or list's id and its new version (and a table's indicators). */
  id?: string;
  version?: number;
  indicators?: string[];
}
export type UploadKind = 'tables' | 'offer-lists';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }
}

export type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export interface OfferFilter {
  category?: string[];
  bbox?: Bbox;
  /** Part of the name. */
  q?: string;
  /** 1–5000, default 1000. */
  limit?: number;
  offset?: number;
}

/** Walking on the network (issue 16): the bands reachable from a point, and the line to an offer. */
export type Isochrones = z.infer<typeof IsochroneCollection>;
export type WalkRoute = z.infer<typeof RouteFeature>;
export interface IsochroneQuery {
  lon: number;
  lat: number;
  /** Comma separated minutes, 5,10,15 by default. */
  minutes?: string;
}
export interface WalkRouteQuery {
  lon: number;
  lat: number;
  to: string;
}

export interface NearestQuery {
  lon: number;
  lat: number;
  category?: string[];
  /** Kinds of offer: subcategories, or a subcategory with its speciality ("doctor:general"). */
  kind?: string[];
  /** 1–50, default 5. */
  k?: number;
  /** Up to 20000 m, default 5000. */
  max_m?: number;
  /** Only offers open then: "now", a local time of the city or an instant (issue 21). */
  open_at?: string;
  /** Only offers for this age in years. */
  age?: number;
  /** Only offers that speak this language (ISO 639). */
  language?: string;
  /** 'true': only step-free offers. */
  step_free?: 'true';
}

export interface ValuesQuery {
  indicator: string;
  level: ValueLevel;
  /** quantile, equal, jenks, stddev or manual. */
  method?: string;
  classes?: number;
  /** The inner class breaks, for the manual method. */
  breaks?: readonly number[] | null;
  /** A reference date; null or absent: the latest value of each area. */
  date?: string | null;
}

/** GET /api/indicators/{id}/change (issue 15): the change between two dates per area, classed about zero. */
export interface IndicatorChange {
  indicator: { id: string; title: { de: string; en: string }; unit: string };
  level: ValueLevel;
  from: string;
  to: string;
  dates: string[];
  unit: string;
  measure: 'absolute' | 'relative';
  relative_unit: 'percent' | 'percentage-points';
  min_count: number;
  values: {
    code: string;
    name: string;
    from: { date: string; value: number } | null;
    to: { date: string; value: number } | null;
    absolute: number | null;
    relative: number | null;
    suppressed: boolean;
    class: number | null;
  }[];
  classification: { method: 'symmetric'; centre: number; classes: number; breaks: number[] };
}

/** GET /api/indicators/{id}/series (issue 15): one area's values over time, oldest first. */
export interface IndicatorSeries {
  indicator: string;
  level: ValueLevel;
  code: string;
  unit: string;
  min_count: number;
  points: { date: string; value: number | null; suppressed: boolean }[];
}

export interface ChangeQuery {
  indicator: string;
  level: ValueLevel;
  /** Null: the earliest date, and the newest. */
  from: string | null;
  to: string | null;
}

export interface LisaQuery {
  indicator: string;
  level: ValueLevel;
  date?: string | null;
}

/** The index builder's choice: a preset or indicators, weights, method, and for a designation the rule. */
export interface IndexQuery {
  preset?: string | null;
  indicators?: readonly string[] | null;
  weights?: readonly number[] | null;
  method?: 'z' | 'rank';
  rule?: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  /** Origin of the API; empty for the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

type QueryValue = string | number | readonly (string | number)[] | undefined;

export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    search.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The query of a values request, in either form. */
function valuesParams(q: ValuesQuery): Record<string, QueryValue> {
  return {
    level: q.level,
    classification: q.method,
    classes: q.classes,
    breaks: q.method === 'manual' && q.breaks ? q.breaks : undefined,
    date: q.date ?? undefined,
  };
}

/**
 * The address of a view's values as a file for a GIS (issue 17): GeoJSON or GeoPackage, each area with its value,
 * date, class and class range, in WGS 84 (CRS84) or the city's grid (EPSG:25832); for a link to download.
 */
export function valuesFileUrl(q: ValuesQuery, format: 'geojson' | 'gpkg', crs?: 'EPSG:25832'): string {
  return `/api/indicators/${encodeURIComponent(q.indicator)}/values${queryString({ ...valuesParams(q), format, crs })}`;
}

export function createApiClient({
  baseUrl = '',
  fetch: fetchFn = (input, init) => globalThis.fetch(input, init),
}: ApiClientOptions = {}) {
  async function get<T>(path: string, params: Record<string, QueryValue> = {}, options: RequestOptions = {}) {
    const res = await fetchFn(`${baseUrl}${path}${queryString(params)}`, {
      headers: { accept: 'application/json, application/geo+json' },
      signal: options.signal,
    });
    if (!res.ok) {
      const problem: Problem = res.headers.get('content-type')?.includes('json')
        ? ((await res.json()) as Problem)
        : { title: res.statusText || 'Error', status: res.status };
      throw new ApiError(res.status, problem);
    }
    return (await res.json()) as T;
  }
  const seg = encodeURIComponent;

  /** An editor's request: the token in the Authorization header, never in the URL. */
  async function authorised<T>(
    method: 'GET' | 'POST',
    path: string,
    token: string,
    body?: FormData,
    accept422 = false,
  ): Promise<{ status: number; json: T }> {
    const res = await fetchFn(`${baseUrl}${path}`, {
      method,
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    const json = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
    if (!res.ok && !(accept422 && res.status === 422)) {
      throw new ApiError(
        res.status,
        (json as Problem | null) ?? { title: res.statusText || 'Error', status: res.status },
      );
    }
    return { status: res.status, json: json as T };
  }

  /** POST /api/tables or /api/offer-lists (multipart file + meta), as a dry run or for real. */
  async function upload(
    kind: UploadKind,
    token: string,
    file: File,
    meta: string,
    dryRun: boolean,
    /** A table's wide form: the `date` of every value and the `level` of rows without one. */
    fields: Record<string, string> = {},
  ) {
    const form = new FormData();
    form.set('file', file, file.name);
    form.set('meta', meta);
    for (const [name, value] of Object.entries(fields)) if (value) form.set(name, value);
    const { status, json } = await authorised<Record<string, unknown> & Problem>(
      'POST',
      `/api/${kind}${dryRun ? '?dry_run=1' : ''}`,
      token,
      form,
      true,
    );
    const outcome: UploadOutcome = {
      status,
      ok: status < 300,
      findings: json.findings ?? [],
      rows: json.rows,
      summary: json.summary,
    };
    if (status === 201) {
      outcome.id = String(json.id ?? json.table ?? json.list ?? '');
      outcome.version = Number(json.version);
      if (Array.isArray(json.indicators)) outcome.indicators = json.indicators as string[];
    }
    return outcome;
  }

  return {
    /** GET /api/areas?level= — the areas of a level as GeoJSON, simplified with shared edges. */
    areas: (level: AreaLevel, options?: RequestOptions) => get<AreaCollection>('/api/areas', { level }, options),
    /** GET /api/areas/{level}/{code} — parent, children, neighbours and action areas of one area. */
    area: (level: AreaLevel, code: string, options?: RequestOptions) =>
      get<AreaDetail>(`/api/areas/${seg(level)}/${seg(code)}`, {}, options),
    /** GET /api/offers — offers as GeoJSON points. */
    offers: (filter: OfferFilter = {}, options?: RequestOptions) =>
      get<OfferCollection>('/api/offers', { ...filter }, options),
    /** GET /api/offers/categories — the vocabulary with labels in de, en, tr, ar and counts. */
    categories: (options?: RequestOptions) => get<CategoryList>('/api/offers/categories', {}, options),
    /** GET /api/offers/nearest — the k nearest offers with distance and walking minutes. */
    nearest: (query: NearestQuery, options?: RequestOptions) =>
      get<NearestCollection>('/api/offers/nearest', { ...query }, options),
    /** GET /api/isochrones — the areas reachable on foot in 5, 10, 15 minutes, with what lies inside. */
    isochrones: (query: IsochroneQuery, options?: RequestOptions) =>
      get<Isochrones>('/api/isochrones', { ...query }, options),
    /** GET /api/walk/route — the shortest walk from a point to an offer, as a line. */
    walkRoute: (query: WalkRouteQuery, options?: RequestOptions) =>
      get<WalkRoute>('/api/walk/route', { ...query }, options),
    /** GET /api/offers/{id} — one offer with its source and licence. */
    offer: (id: string, options?: RequestOptions) => get<OfferDetail>(`/api/offers/${seg(id)}`, {}, options),
    // Issue 21: the programmes of the city's offer lists.
    programmes: (options?: RequestOptions) => get<ProgrammeList>('/api/programmes', {}, options),
    programme: (id: string, options?: RequestOptions) =>
      get<ProgrammeDetail>(`/api/programmes/${seg(id)}`, {}, options),
    /** GET /api/search?q= — addresses, offers and areas for the search box. */
    search: (q: string, options?: RequestOptions & { limit?: number }) =>
      get<SearchResult>('/api/search', { q, limit: options?.limit }, options),
    /** GET /api/sources — every source with licence, attribution and checksums. */
    sources: (options?: RequestOptions) => get<SourceList>('/api/sources', {}, options),
    /** GET /api/indicators — the catalogue: themes, indicators with levels and dates, methods. */
    catalogue: (options?: RequestOptions) => get<Catalogue>('/api/indicators', {}, options),
    /** GET /api/indicators/{id}/values — values per area, the city value and a classification. */
    values: (q: ValuesQuery, options?: RequestOptions) =>
      get<IndicatorValues>(`/api/indicators/${seg(q.indicator)}/values`, valuesParams(q), options),
    /** GET /api/indicators/{id}/values?fields=map — the lean form for the map: code, value, class per area. */
    mapValues: (q: ValuesQuery, options?: RequestOptions) =>
      get<MapValues>(`/api/indicators/${seg(q.indicator)}/values`, { ...valuesParams(q), fields: 'map' }, options),
    /** GET /api/analysis/gaps — need × supply terciles, the ranked gaps and the action areas' comparison. */
    gaps: (need: string, supply: string, level: ValueLevel, options?: RequestOptions) =>
      get<Gaps>('/api/analysis/gaps', { need, supply, level }, options),
    /** GET /api/indicators/{id}/change — the change between two dates per area (issue 15). */
    change: (q: ChangeQuery, options?: RequestOptions) =>
      get<IndicatorChange>(
        `/api/indicators/${seg(q.indicator)}/change`,
        { level: q.level, from: q.from ?? undefined, to: q.to ?? undefined },
        options,
      ),
    /** GET /api/indicators/{id}/series — one area's values over time (issue 15). */
    series: (q: { indicator: string; level: ValueLevel; code: string }, options?: RequestOptions) =>
      get<IndicatorSeries>(`/api/indicators/${seg(q.indicator)}/series`, { level: q.level, code: q.code }, options),
    /** GET /api/analysis/lisa — hot spots: Moran's I, LISA clusters with pseudo p-values (seed fixed: repeatable). */
    lisa: (q: LisaQuery, options?: RequestOptions) =>
      get<Lisa>('/api/analysis/lisa', { indicator: q.indicator, level: q.level, date: q.date ?? undefined }, options),
    /** GET /api/analysis/index/presets — the index presets with what each can fill at the quarters. */
    indexPresets: (options?: RequestOptions) =>
      get<IndexPresets>('/api/analysis/index/presets', { level: 'quarter' }, options),
    /** GET /api/analysis/designation — the quarters a rule on the index selects against today's Aktionsräume. */
    designation: (q: IndexQuery & { rule: string }, options?: RequestOptions) =>
      get<Designation>(
        '/api/analysis/designation',
        {
          preset: q.preset ?? undefined,
          indicators: q.indicators?.length ? q.indicators : undefined,
          weights: q.weights?.length ? q.weights : undefined,
          method: q.method,
          rule: q.rule,
        },
        options,
      ),
    /** GET /api/areas/{level}/{code}/profile — the fact sheet of an area. */
    profile: (level: ValueLevel, code: string, options?: RequestOptions) =>
      get<Profile>(`/api/areas/${seg(level)}/${seg(code)}/profile`, {}, options),
    /** GET /api/config — the city, its extent and attribution, the editorial selections, the route link. */
    config: (options?: RequestOptions) => get<WebConfig>('/api/config', {}, options),
    // Editors (issues 15, 21).
    /** GET /api/tables — uploaded tables of every kind with their current version. */
    tables: async (token: string) =>
      (await authorised<{ tables: TableSummary[] }>('GET', '/api/tables', token)).json.tables,
    /** GET /api/tables/{id} — one table with its versions and audit log. */
    table: async (token: string, id: string) =>
      (await authorised<TableDetail>('GET', `/api/tables/${seg(id)}`, token)).json,
    /** GET /api/offer-lists — the lists (internal ones too, with a token). */
    offerLists: async (token: string) =>
      (await authorised<{ lists: OfferListSummary[] }>('GET', '/api/offer-lists', token)).json.lists,
    /** GET /api/offer-lists/{id} — one list with its versions. */
    offerList: async (token: string, id: string) =>
      (await authorised<OfferListDetail>('GET', `/api/offer-lists/${seg(id)}`, token)).json,
    /** POST /api/tables or /api/offer-lists: check (dry run) or store an upload. */
    upload,
    /** POST /api/{kind}/{id}/rollback?version=N — makes an earlier version current again. */
    rollback: async (kind: UploadKind, token: string, id: string, version: number) =>
      (await authorised<unknown>('POST', `/api/${kind}/${seg(id)}/rollback${queryString({ version })}`, token)).json,
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The client for the page's own origin. */
export const api: ApiClient = createApiClient();
