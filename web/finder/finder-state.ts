/**
 * The finder's state as it lives in the URL, so that a search can be shared as a link:
 *   at=7.46520,51.51330   the place searched from (lon,lat, WGS 84)
 *   place=Friedensplatz 1 the place's name, when it has one (a search hit)
 *   from=map|gps          how a place without a name was chosen
 *   cat=childcare,school  the chosen categories (none: every kind of offer)
 *   kind=doctor:general   the chosen kinds within the one category that has them (health): subcategories, or a
 *                         subcategory with its speciality (none: every kind)
 *   sel=kita-123          the result whose details are open
 *   open=now              only offers open now, or at a local time of the city (open=2026-12-11T19:00)
 *   age=4                 only offers for this age (years)
 *   spoken=tr             only offers that speak this language (ISO 639)
 *   stepfree=1            only step-free offers
 *   (the last four filter by what the city's offer lists say: issue 21)
 * Pure functions only: parsing never throws, whatever a link holds.
 */

export type Position = [lon: number, lat: number];

export type PlaceSource = 'search' | 'map' | 'gps';

export interface Place {
  point: Position;
  /** The name of a search hit; null for a point on the map or the device's position. */
  label: string | null;
  source: PlaceSource;
}

/** Filters by what the offer lists say (issue 21). */
export interface OfferFilters {
  /** 'now', a local time of the city ("2026-12-11T19:00"), or null. */
  open: string | null;
  age: number | null;
  /** A language spoken there (ISO 639). */
  spoken: string | null;
  stepFree: boolean;
}

export interface FinderState extends OfferFilters {
  place: Place | null;
  categories: string[];
  kinds: string[];
  selected: string | null;
}

export const FINDER_PARAMS = [
  'at',
  'place',
  'from',
  'cat',
  'kind',
  'sel',
  'open',
  'age',
  'spoken',
  'stepfree',
] as const;

const OPEN = /^(now|\d{4}-\d{2}-\d{2}T\d{2}:\d{2})$/;
const LANGUAGE = /^[a-z]{2,3}$/;

/** The filters of a query string; anything unreadable is no filter. */
export function parseOfferFilters(params: URLSearchParams): OfferFilters {
  const open = params.get('open');
  const ageText = params.get('age');
  const age = ageText !== null && /^\d{1,3}$/.test(ageText) ? Number(ageText) : null;
  const spoken = params.get('spoken');
  return {
    open: open && OPEN.test(open) ? open : null,
    age: age !== null && age <= 120 ? age : null,
    spoken: spoken && LANGUAGE.test(spoken) ? spoken : null,
    stepFree: params.get('stepfree') === '1',
  };
}

const CATEGORY = /^[a-z][a-z0-9-]{0,39}$/;
const KIND = /^[a-z][a-z0-9_-]{0,39}(:[a-z][a-z0-9_-]{0,39})?$/;
const OFFER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Five decimals: about a metre, enough for a doorstep and short in a link. */
export const round5 = (x: number) => Math.round(x * 1e5) / 1e5;

export function parsePosition(text: string | null): Position | null {
  if (!text) return null;
  const parts = text.split(',');
  if (parts.length !== 2) return null;
  const [lon, lat] = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if (lon === undefined || lat === undefined || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return null;
  return [lon, lat];
}

export function parseFinderState(search: string): FinderState {
  const params = new URLSearchParams(search);
  const point = parsePosition(params.get('at'));
  const label = params.get('place')?.trim().slice(0, 200) || null;
  const from = params.get('from');
  const place: Place | null = point
    ? { point, label, source: label ? 'search' : from === 'gps' ? 'gps' : 'map' }
    : null;
  const categories = [
    ...new Set(
      (params.get('cat') ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter((c) => CATEGORY.test(c)),
    ),
  ];
  const kinds = [
    ...new Set(
      (params.get('kind') ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter((c) => KIND.test(c)),
    ),
  ].slice(0, 20);
  const sel = params.get('sel');
  return {
    place,
    categories,
    kinds,
    selected: place && sel && OFFER_ID.test(sel) ? sel : null,
    ...parseOfferFilters(params),
  };
}

/** The query parameters for a state; null removes a parameter (see setSearchParams). */
export function finderParams(state: FinderState): Record<(typeof FINDER_PARAMS)[number], string | null> {
  const { place } = state;
  return {
    at: place ? `${round5(place.point[0]).toFixed(5)},${round5(place.point[1]).toFixed(5)}` : null,
    place: place?.label ?? null,
    from: place && !place.label ? place.source : null,
    cat: state.categories.length ? state.categories.join(',') : null,
    kind: state.kinds.length ? state.kinds.join(',') : null,
    sel: place ? state.selected : null,
    open: state.open,
    age: state.age === null ? null : String(state.age),
    spoken: state.spoken,
    stepfree: state.stepFree ? '1' : null,
  };
}

/** Categories toggled: `code` added when absent, removed when present; the order of `all` is kept. */
export function toggleCategory(chosen: readonly string[], code: string, all: readonly string[]): string[] {
  const next = new Set(chosen);
  if (next.has(code)) next.delete(code);
  else next.add(code);
  const order = (c: string) => {
    const i = all.indexOf(c);
    return i < 0 ? all.length : i;
  };
  return [...next].sort((a, b) => order(a) - order(b));
}
