import { isPaletteId, type PaletteId } from '../layers/palettes.ts';

/**
 * Everything the planner's view depends on, as plain data that round-trips through the URL's query string.
 * A copied link opens the same view: indicator, level, classification, colours, layers, offer filter, selected
 * area (and the one compared with it), the open offer, the table's sort and the map position.
 * Defaults are left out of the URL so that links stay short; unknown or broken values fall back to them.
 * `lang` belongs to the shell (router.tsx) and is never touched here.
 */

export const CLASS_METHODS = ['quantile', 'equal-interval', 'jenks', 'stddev', 'manual'] as const;
export type ClassMethod = (typeof CLASS_METHODS)[number];
export const MIN_CLASSES = 3;
export const MAX_CLASSES = 9;

export const CHOROPLETH_LEVELS = ['district', 'quarter'] as const;
export type ChoroplethLevel = (typeof CHOROPLETH_LEVELS)[number];

/**
 * What the main area shows: the indicator map, the gap map (need × supply), the indicator's hot spots (LISA
 * clusters, issue 18) or the indicator as a table.
 */
export const VIEWS = ['map', 'gap', 'hotspots', 'change', 'table'] as const;
export type PlannerView = (typeof VIEWS)[number];

export const SORT_KEYS = ['name', 'code', 'value', 'class'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface MapPosition {
  lon: number;
  lat: number;
  zoom: number;
}

export interface PlannerState {
  view: PlannerView;
  /** Indicator id; null: the first of the catalogue. */
  indicator: string | null;
  level: ChoroplethLevel;
  method: ClassMethod;
  classes: number;
  /** Cut points of method `manual` (classes - 1 of them, ascending). */
  breaks: number[] | null;
  /** Colour scheme; null: chosen from the indicator (diverging where it has a meaningful centre). */
  palette: PaletteId | null;
  /** Reference date of the values; null: the latest. In the change view the later of the two dates. */
  date: string | null;
  /** Change view (issue 15): the earlier date; null: the indicator's earliest. */
  since: string | null;
  /** Offer categories shown on the map (none: no offers). */
  offers: string[];
  /** Outlines and names of the action areas. */
  actionAreas: boolean;
  /** Gap view: need and supply indicator ids; null: the API's defaults. */
  need: string | null;
  supply: string | null;
  /** Selected area (code at `level`) whose profile is open, and a second one to compare it with. */
  area: string | null;
  compare: string | null;
  /** Open offer card. */
  offer: string | null;
  /** A point (lon, lat) whose walking catchment is drawn and listed (issue 16); null: none. */
  walk: [number, number] | null;
  sort: { key: SortKey; descending: boolean };
  /** Map position; null: the city's extent. */
  map: MapPosition | null;
}

export const DEFAULT_STATE: PlannerState = {
  view: 'map',
  indicator: null,
  level: 'quarter',
  method: 'quantile',
  classes: 5,
  breaks: null,
  palette: null,
  date: null,
  since: null,
  offers: [],
  actionAreas: false,
  need: null,
  supply: null,
  area: null,
  compare: null,
  offer: null,
  walk: null,
  sort: { key: 'value', descending: true },
  map: null,
};

/** The query parameters the planner owns. */
export const PARAMS = {
  view: 'view',
  indicator: 'ind',
  level: 'level',
  method: 'method',
  classes: 'k',
  breaks: 'breaks',
  palette: 'colors',
  date: 'date',
  since: 'since',
  offers: 'offers',
  actionAreas: 'aa',
  need: 'need',
  supply: 'supply',
  area: 'area',
  compare: 'cmp',
  offer: 'offer',
  walk: 'walk',
  sort: 'sort',
  map: 'map',
} as const satisfies Record<keyof PlannerState, string>;

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;
const DATE = /^[0-9]{4}([-/][0-9]{2}){0,2}$/;

function oneOf<T extends string>(values: readonly T[], value: string | null, fallback: T): T {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

function matching(pattern: RegExp, value: string | null): string | null {
  return value !== null && pattern.test(value) ? value : null;
}

/** "zoom/lat/lon" as on openstreetmap.org; null when broken or out of range. */
export function parseMapPosition(text: string | null): MapPosition | null {
  if (!text) return null;
  const parts = text.split('/');
  if (parts.length !== 3 || parts.some((p) => p.trim() === '')) return null;
  const [zoom, lat, lon] = parts.map(Number) as [number, number, number];
  if (![zoom, lat, lon].every(Number.isFinite)) return null;
  if (zoom < 0 || zoom > 22 || lat < -85 || lat > 85 || lon < -180 || lon > 180) return null;
  return { zoom, lat, lon };
}

/** Enough decimals for about a metre at the zoom shown. */
export function formatMapPosition({ zoom, lat, lon }: MapPosition): string {
  const digits = Math.min(6, Math.max(2, Math.ceil((zoom * Math.LN2) / Math.LN10) + 1));
  const fixed = (x: number, d: number) => String(Number(x.toFixed(d)));
  return `${fixed(zoom, 2)}/${fixed(lat, digits)}/${fixed(lon, digits)}`;
}

/** "lon,lat" (WGS84); null when broken or out of range. */
export function parseWalkPoint(text: string | null): [number, number] | null {
  if (!text) return null;
  const parts = text.split(',');
  if (parts.length !== 2 || parts.some((p) => p.trim() === '')) return null;
  const [lon, lat] = parts.map(Number) as [number, number];
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 85) return null;
  return [lon, lat];
}

/** Five decimals: about a metre. */
export function formatWalkPoint([lon, lat]: [number, number]): string {
  return `${Number(lon.toFixed(5))},${Number(lat.toFixed(5))}`;
}

function parseBreaks(text: string | null, classes: number): number[] | null {
  if (!text) return null;
  const values = text.split(',').map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if (values.length !== classes - 1 || !values.every(Number.isFinite)) return null;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) <= (values[i - 1] as number)) return null;
  return values;
}

export function parsePlannerState(search: string): PlannerState {
  const q = new URLSearchParams(search);
  const d = DEFAULT_STATE;
  const k = Number(q.get(PARAMS.classes));
  const classes = Number.isInteger(k) && k >= MIN_CLASSES && k <= MAX_CLASSES ? k : d.classes;
  let method = oneOf(CLASS_METHODS, q.get(PARAMS.method), d.method);
  const breaks = method === 'manual' ? parseBreaks(q.get(PARAMS.breaks), classes) : null;
  // Manual classes without valid cut points cannot be drawn: fall back to the default method.
  if (method === 'manual' && !breaks) method = d.method;
  const palette = q.get(PARAMS.palette);
  const offers = (q.get(PARAMS.offers) ?? '')
    .split(',')
    .filter((c) => CODE.test(c))
    .filter((c, i, all) => all.indexOf(c) === i);
  const sortText = q.get(PARAMS.sort) ?? '';
  const descending = sortText.startsWith('-');
  const sortKey = oneOf(SORT_KEYS, descending ? sortText.slice(1) : sortText, d.sort.key);
  const area = matching(CODE, q.get(PARAMS.area));
  return {
    view: oneOf(VIEWS, q.get(PARAMS.view), d.view),
    indicator: matching(ID, q.get(PARAMS.indicator)),
    level: oneOf(CHOROPLETH_LEVELS, q.get(PARAMS.level), d.level),
    method,
    classes,
    breaks,
    palette: isPaletteId(palette) ? palette : null,
    date: matching(DATE, q.get(PARAMS.date)),
    since: matching(DATE, q.get(PARAMS.since)),
    offers,
    actionAreas: q.get(PARAMS.actionAreas) === '1',
    need: matching(ID, q.get(PARAMS.need)),
    supply: matching(ID, q.get(PARAMS.supply)),
    area,
    compare: area ? matching(CODE, q.get(PARAMS.compare)) : null,
    offer: matching(ID, q.get(PARAMS.offer)),
    walk: parseWalkPoint(q.get(PARAMS.walk)),
    sort: sortText ? { key: sortKey, descending } : d.sort,
    map: parseMapPosition(q.get(PARAMS.map)),
  };
}

/** The planner's query parameters for a state: a value for each one that differs from the default, else null. */
export function plannerParams(state: PlannerState): Record<string, string | null> {
  const d = DEFAULT_STATE;
  const differs = <K extends keyof PlannerState>(key: K) => state[key] !== d[key];
  return {
    [PARAMS.view]: differs('view') ? state.view : null,
    [PARAMS.indicator]: state.indicator,
    [PARAMS.level]: differs('level') ? state.level : null,
    [PARAMS.method]: differs('method') ? state.method : null,
    [PARAMS.classes]: differs('classes') ? String(state.classes) : null,
    [PARAMS.breaks]: state.method === 'manual' && state.breaks ? state.breaks.map(String).join(',') : null,
    [PARAMS.palette]: state.palette,
    [PARAMS.date]: state.date,
    [PARAMS.since]: state.since,
    [PARAMS.offers]: state.offers.length ? state.offers.join(',') : null,
    [PARAMS.actionAreas]: state.actionAreas ? '1' : null,
    [PARAMS.need]: state.need,
    [PARAMS.supply]: state.supply,
    [PARAMS.area]: state.area,
    [PARAMS.compare]: state.area ? state.compare : null,
    [PARAMS.offer]: state.offer,
    [PARAMS.walk]: state.walk ? formatWalkPoint(state.walk) : null,
    [PARAMS.sort]:
      state.sort.key === d.sort.key && state.sort.descending === d.sort.descending
        ? null
        : `${state.sort.descending ? '-' : ''}${state.sort.key}`,
    [PARAMS.map]: state.map ? formatMapPosition(state.map) : null,
  };
}

/** The query string of a state, keeping parameters that are not the planner's (such as `lang`). */
export function plannerSearch(state: PlannerState, currentSearch = ''): string {
  const params = new URLSearchParams(currentSearch);
  for (const [name, value] of Object.entries(plannerParams(state))) {
    if (value === null) params.delete(name);
    else params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A change of state with its consequences: a new level or indicator clears the selection that no longer fits,
 * a new number of classes or method drops manual cut points of another length.
 */
export function updateState(state: PlannerState, patch: Partial<PlannerState>): PlannerState {
  const next = { ...state, ...patch };
  if (patch.level !== undefined && patch.level !== state.level) {
    next.area = patch.area ?? null;
    next.compare = patch.compare ?? null;
  }
  if (patch.indicator !== undefined && patch.indicator !== state.indicator) {
    next.date = patch.date ?? null;
    next.since = patch.since ?? null;
    if (next.method === 'manual' && patch.breaks === undefined) {
      next.method = 'quantile';
      next.breaks = null;
    }
  }
  if (next.method !== 'manual') next.breaks = null;
  else if (next.breaks && next.breaks.length !== next.classes - 1) next.breaks = null;
  if (!next.area) next.compare = null;
  if (next.compare === next.area) next.compare = null;
  return next;
}
