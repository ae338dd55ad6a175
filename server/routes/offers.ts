import { Hono } from 'hono';
import { z } from 'zod';
import { CATEGORIES } from '../../geodata/categories.ts';
import { dataClock, perDataVersion, validityDay } from '../db/data-version.ts';
import type { Db } from '../db/index.ts';
import {
  type NearestRow,
  type OfferRow,
  readAreaExtent,
  readCategoryRows,
  readCityClock,
  readNearest,
  readOfferPage,
  readOfferRow,
} from '../db/queries/offers.ts';
import { walkNetwork } from '../db/queries/walk.ts';
import type { AppDeps } from '../deps.ts';
import { type CityClock, dateOf, openAt, readWallClock, type WallClock, wallClockAt } from '../domain/opening-hours.ts';
import { programmeId } from '../domain/programmes.ts';
import { searchKey } from '../domain/search-key.ts';
import { rankOnFoot, walkCandidates } from '../domain/walk/nearest.ts';
import { START_MAX_M, snapStart, type WalkNetwork, walksTo } from '../domain/walk/network.ts';
import { minutesFor } from '../domain/walk/speed.ts';
import { badRequest, notFound } from '../http/problem.ts';
import { cachedJson, FAST, RECENT_ANSWERS } from '../http/representation.ts';
import {
  AreaRef,
  documentRoute,
  feature,
  featureCollection,
  PointGeometry,
  Position,
  queryList,
  queryNumber,
  validateParams,
  validateQuery,
} from '../http/validate.ts';

export const LIMIT_MAX = 5000;
export const BBOX_MAX_DEGREES = 1;
export const K_MAX = 50;
export const MAX_M_MAX = 20_000;
/** How far outside the extent of the city's areas a point may lie for /nearest. */
export const NEAR_CITY_M = 5_000;
/** Walking: 4.8 km/h along a path 1.3 times the straight line. */
export const WALK_SPEED_KMH = 4.8;
export const DETOUR_FACTOR = 1.3;

const CATEGORY_CODES = CATEGORIES.map((c) => c.code) as [string, ...string[]];
const categoryParam = queryList(CATEGORY_CODES, 'Offer categories.').optional();

const DECIMAL = String.raw`\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*`;
const Bbox = z
  .string()
  .regex(new RegExp(`^${DECIMAL}(,${DECIMAL}){3}$`), 'must be four numbers: minLon,minLat,maxLon,maxLat')
  .describe(`minLon,minLat,maxLon,maxLat in WGS84; at most ${BBOX_MAX_DEGREES} degree wide and high`)
  .transform((text, ctx) => {
    const parts = text.split(',').map((p) => p.trim());
    const numbers = parts.map(Number);
    if (parts.length !== 4 || parts.some((p) => p === '') || numbers.some((n) => !Number.isFinite(n))) {
      ctx.addIssue({ code: 'custom', message: 'must be four numbers: minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    const [minLon, minLat, maxLon, maxLat] = numbers as [number, number, number, number];
    if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
      ctx.addIssue({ code: 'custom', message: 'must lie within -180..180 and -90..90' });
      return z.NEVER;
    }
    if (minLon >= maxLon || minLat >= maxLat) {
      ctx.addIssue({ code: 'custom', message: 'minimum must be below maximum' });
      return z.NEVER;
    }
    if (maxLon - minLon > BBOX_MAX_DEGREES || maxLat - minLat > BBOX_MAX_DEGREES) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${BBOX_MAX_DEGREES} degree wide and high` });
      return z.NEVER;
    }
    return [minLon, minLat, maxLon, maxLat] as [number, number, number, number];
  });

const NameQuery = z
  .string()
  .max(100)
  .describe('Part of the name; case, umlauts (ä = ae), "str."/"straße" and spaces do not matter')
  .transform((text, ctx) => {
    const key = searchKey(text);
    if (!key) {
      ctx.addIssue({ code: 'custom', message: 'must contain a letter or digit' });
      return z.NEVER;
    }
    return key;
  });

export const OfferListQuery = z.strictObject({
  category: categoryParam,
  bbox: Bbox.optional(),
  q: NameQuery.optional(),
  limit: queryNumber(z.number().int().min(1).max(LIMIT_MAX).default(1000)),
  offset: queryNumber(z.number().int().min(0).max(1_000_000).default(0)),
});

const KIND = /^[a-z][a-z0-9_-]{0,39}(:[a-z][a-z0-9_-]{0,39})?$/;
const kindParam = z
  .string()
  .max(500)
  .regex(/^[^,]+(,[^,]+){0,19}$/, 'must be a comma separated list of at most 20 kinds without empty items')
  .describe(
    'Kinds of offer: subcategories ("pharmacy", "dentist") or a subcategory with its speciality ' +
      '("doctor:general", "doctor:paediatrics"). Comma separated; an offer of any of them is listed.',
  )
  .transform((text, ctx) => {
    const kinds = [...new Set(text.split(',').map((k) => k.trim()))];
    const bad = kinds.find((k) => !KIND.test(k));
    if (bad !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${bad.slice(0, 40)}" is not a kind such as pharmacy or doctor:general`,
      });
      return z.NEVER;
    }
    return kinds;
  })
  .optional();

/** With open_at, the nearest offers with opening hours that are looked at for k open ones. */
export const OPEN_CANDIDATES = 200;

export const NearestQuery = z.strictObject({
  lon: queryNumber(z.number().min(-180).max(180)).describe('Longitude, WGS84'),
  lat: queryNumber(z.number().min(-90).max(90)).describe('Latitude, WGS84'),
  category: categoryParam,
  kind: kindParam,
  k: queryNumber(z.number().int().min(1).max(K_MAX).default(5)),
  max_m: queryNumber(z.number().min(1).max(MAX_M_MAX).default(5000)).describe('Largest distance in metres'),
  order: z
    .enum(['distance', 'walk'])
    .default('distance')
    .describe(
      'distance: nearest in a straight line first; walk: nearest on foot on the street and path network first, ' +
        'among the nearest in a straight line (meta.order says how many were looked at and whether the answer is exact)',
    ),
  walk: z
    .enum(['true', 'false'])
    .default('true')
    .describe(
      'false: the straight line only, no walk on the network (walk_m null, walk_minutes estimated from the straight line)',
    ),
  open_at: z
    .string()
    .max(40)
    .regex(
      /^(now|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)$/,
      'must be now, a local date and time of the city (2026-12-11T19:00) or an instant with offset (2026-12-11T18:00Z)',
    )
    .describe(
      'Only offers open then, by their opening hours (OpenStreetMap syntax) on the city’s clock (its time zone ' +
        'and public holidays, from the manifest): "now", a local date and time of the city ("2026-12-11T19:00") ' +
        `or an instant with offset. Offers without opening hours are left out; the ${OPEN_CANDIDATES} nearest ` +
        'offers with hours are looked at.',
    )
    .optional(),
  age: queryNumber(z.number().int().min(0).max(120))
    .describe('Only offers for this age in years: those whose age range (from the city’s offer lists) holds it')
    .optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'must be a language code such as de, tr or ar (ISO 639)')
    .describe('Only offers whose offer list names this language as spoken there (ISO 639 code: de, tr, ar, …)')
    .optional(),
  step_free: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .describe('Only offers whose offer list says they are step-free (wheelchair: yes)')
    .optional(),
});

export const OfferParams = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be an offer id such as school-129379')
    .describe('The offer id: school-<number>, kita-<number> or osm-<type>-<number>'),
});

const OfferProperties = z.strictObject({
  id: z.string(),
  category: z.string(),
  subcategory: z.string().nullable(),
  name: z.string().nullable(),
  quarter: z.string().describe('Quarter code'),
  district: z.string().describe('District code'),
});

export const OfferCollection = featureCollection(
  feature(OfferProperties, PointGeometry),
  z.strictObject({
    total: z.number().int().describe('Offers matching the filter, before limit and offset'),
    limit: z.number().int(),
    offset: z.number().int(),
  }),
);
export type OfferCollection = z.infer<typeof OfferCollection>;

const Labels = z.strictObject({ de: z.string(), en: z.string(), tr: z.string(), ar: z.string() });
const Text = z.strictObject({ de: z.string(), en: z.string() });
const Incomplete = Text.nullable().describe(
  'Why the data are too thin to answer for this category (a handful of points): an empty map or list does not ' +
    'mean there is no offer. null when the data can answer.',
);
const Warnings = z
  .record(z.string(), Text)
  .describe(
    'Warnings every figure of a subcategory carries, by subcategory (e.g. doctors: few OSM points, about 2020)',
  );

export const CategoryList = z.strictObject({
  categories: z.array(
    z.strictObject({
      code: z.string(),
      labels: Labels,
      count: z.number().int(),
      incomplete: Incomplete,
      warnings: Warnings,
    }),
  ),
  total: z.number().int().describe('Offers in all categories; a place that is offer of two categories counts twice'),
});
export type CategoryList = z.infer<typeof CategoryList>;

const NearestAddress = z
  .strictObject({
    street: z.string().describe('Street and house number'),
    postcode: z.string().nullable(),
    city: z.string().nullable(),
    approximate: z
      .boolean()
      .describe('true: the source gives no address; this is the address of the register nearest to the offer'),
    distance_m: z
      .number()
      .nullable()
      .describe('approximate addresses: how far the register’s address lies from the offer, whole metres'),
  })
  .nullable()
  .describe('The address the source gives, else the nearest of the address register (approximate)');

export const NearestCollection = featureCollection(
  feature(
    OfferProperties.extend({
      distance_m: z.number().describe('Geodesic distance (WGS84 spheroid), whole metres'),
      walk_m: z
        .number()
        .int()
        .nullable()
        .describe(
          'Metres on foot on the street and path network (the ways to and from it included), never less than ' +
            'distance_m; null where the offer cannot be reached on the network or there is no network',
        ),
      walk_minutes: z
        .number()
        .int()
        .nullable()
        .describe(
          'Minutes on foot, rounded up: from walk_m where there is a network (null where the offer cannot be reached), ' +
            'else estimated from the straight line (meta.walking says which)',
        ),
      speciality: z.string().nullable().describe('A doctor’s field where known: general, paediatrics'),
      address: NearestAddress,
      reference_date: z.string().nullable().describe('The date of the offer’s data: its own, else its source’s'),
      open_now: z
        .boolean()
        .nullable()
        .describe(
          'Open now by its opening hours, on the city’s clock (time zone and public holidays); null where no hours ' +
            'are known or they say neither (a comment, an open end)',
        ),
      opening_hours: z.string().nullable().describe('The opening hours as the offer list gives them (OSM syntax)'),
      ages: z
        .strictObject({ min: z.number().int().nullable(), max: z.number().int().nullable() })
        .nullable()
        .describe('The ages the offer is for, in years (from its list); null when not known'),
      languages: z.array(z.string()).nullable().describe('Languages spoken there (ISO 639), from its list'),
      speaks_language: z
        .boolean()
        .nullable()
        .describe('With `language`: whether the offer names that language; null without `language`'),
      wheelchair: z.enum(['yes', 'limited', 'no']).nullable().describe('Step-free access, from its list'),
      list: z
        .strictObject({ id: z.string(), version: z.number().int(), title: z.string(), date: z.string() })
        .nullable()
        .describe('The offer list the offer comes from, with that list’s date; null for the data package’s offers'),
    }),
    PointGeometry,
  ),
  z.strictObject({
    origin: Position,
    k: z.number().int(),
    max_m: z.number(),
    categories: z.array(z.string()).nullable(),
    incomplete: z
      .record(z.string(), Text)
      .describe(
        'The asked categories the data cover too thinly, with the reason: fewer or no results there do not mean ' +
          'that there is no offer near by',
      ),
    warnings: z
      .record(z.string(), Text)
      .describe('Warnings of the subcategories of the asked categories, by subcategory'),
    distance: z.string(),
    walking: z.strictObject({
      method: z.enum(['network', 'estimate']),
      speed_kmh: z.number(),
      detour_factor: z.number().nullable(),
      note: z.string(),
      start_snap_m: z.number().nullable().describe('Metres from the point to the nearest walkable way'),
      unreachable: z.number().int().describe('Offers answered that cannot be reached on foot on the network'),
    }),
    order: z.strictObject({
      used: z.enum(['distance', 'walk']),
      candidates: z.number().int().describe('Offers looked at, nearest in a straight line first'),
      exact: z.boolean().describe('false: an offer beyond the candidates might be nearer on foot'),
    }),
    clock: z
      .strictObject({
        time_zone: z.string(),
        now: z.string().describe('The city’s local date and time open_now was judged at'),
        open_at: z.string().nullable().describe('The city’s local date and time `open_at` was judged at'),
        day: z.string().describe('The day the offers are valid on: offers whose list ends before it are left out'),
      })
      .nullable()
      .describe('The city’s clock the hours were read on; null when the data package names no time zone'),
  }),
);
export type NearestCollection = z.infer<typeof NearestCollection>;

export const OfferDetail = z.strictObject({
  id: z.string(),
  category: z.string(),
  category_labels: Labels,
  subcategory: z.string().nullable(),
  name: z.string().nullable(),
  street: z.string().nullable(),
  postcode: z.string().nullable(),
  city: z.string().nullable(),
  point: Position,
  places_u3: z.number().int().nullable().describe('Childcare places for children under three'),
  places_o3: z.number().int().nullable().describe('Childcare places for children from three'),
  pupils: z.number().int().nullable(),
  attrs: z.record(z.string(), z.unknown()).describe('Further attributes of the source (contact, school form, …)'),
  quarter: AreaRef,
  district: AreaRef,
  action_area: AreaRef.nullable(),
  reference_date: z.string().nullable(),
  address: NearestAddress,
  external_id: z.string().nullable().describe('The id in the source (school number, OSM element, …)'),
  programme: z
    .strictObject({ id: z.string().describe('For /api/programmes/{id}'), name: z.string() })
    .nullable()
    .describe('The programme its offer list names (issue 21); null when none'),
  source: z.strictObject({
    id: z.string(),
    title: z.string(),
    publisher: z.string(),
    licence: z.string(),
    attribution: z.string(),
    url: z.string().nullable(),
    reference_date: z.string().nullable(),
  }),
});
export type OfferDetail = z.infer<typeof OfferDetail>;

documentRoute({
  method: 'get',
  path: '/api/offers',
  tag: 'offers',
  summary: 'Offers as GeoJSON points, filtered by category, bounding box and name',
  query: OfferListQuery,
  response: {
    description: 'FeatureCollection ordered by id',
    contentType: 'application/geo+json',
    schema: OfferCollection,
  },
});
documentRoute({
  method: 'get',
  path: '/api/offers/categories',
  tag: 'offers',
  summary: 'The category vocabulary with labels (de, en, tr, ar) and the number of offers in each',
  response: { description: 'Categories in display order', schema: CategoryList, cached: true },
});
documentRoute({
  method: 'get',
  path: '/api/offers/nearest',
  tag: 'offers',
  summary: 'The k offers nearest to a point, with geodesic distance and estimated walking time',
  description:
    `Ranked by geodesic distance on the WGS84 spheroid; preselected through the spatial index (KNN). Walking time ` +
    `assumes ${WALK_SPEED_KMH} km/h along a path ${DETOUR_FACTOR} times the straight line. The point must lie ` +
    `within ${NEAR_CITY_M / 1000} km of the city's extent. Offers of the city's offer lists carry their opening ` +
    'hours (with `open_now` on the city’s clock), ages, languages, step-free access and their list with its date; ' +
    '`open_at`, `age`, `language` and `step_free` narrow the answer to them. An offer whose list says it ended ' +
    '(valid_to) is left out from the day after.',
  query: NearestQuery,
  response: {
    description: 'FeatureCollection, nearest first',
    contentType: 'application/geo+json',
    schema: NearestCollection,
  },
});
documentRoute({
  method: 'get',
  path: '/api/offers/:id',
  tag: 'offers',
  summary: 'One offer with its source, licence, reference date and areas',
  params: OfferParams,
  response: { description: 'The offer', schema: OfferDetail },
  errors: [{ status: 404, description: 'No offer has this id' }],
});

const r5 = (x: number) => Math.round(x * 1e5) / 1e5;

function point(lon: number, lat: number) {
  return { type: 'Point' as const, coordinates: [r5(lon), r5(lat)] as [number, number] };
}

function offerProperties(r: OfferRow) {
  return {
    id: r.id,
    category: r.category,
    subcategory: r.subcategory,
    name: r.name,
    quarter: r.quarter_code,
    district: r.district_code,
  };
}

export function walkMinutes(distanceM: number): number {
  return Math.ceil((distanceM * DETOUR_FACTOR) / ((WALK_SPEED_KMH * 1000) / 60));
}

export async function listOffers(
  db: Db,
  q: z.output<typeof OfferListQuery>,
  day: string | null = null,
): Promise<OfferCollection> {
  const { rows, total } = await readOfferPage(
    db,
    { category: q.category ?? null, bbox: q.bbox ?? null, q: q.q ?? null },
    q.limit,
    q.offset,
    day,
  );
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      id: r.id,
      properties: offerProperties(r),
      geometry: point(r.lon, r.lat),
    })),
    meta: { total, limit: q.limit, offset: q.offset },
  };
}

/** The categories with the number of their offers valid on `day` (null: every offer). */
export async function readCategories(db: Db, day: string | null = null): Promise<CategoryList> {
  const rows = await readCategoryRows(db, day);
  return { categories: rows, total: rows.reduce((sum, r) => sum + r.count, 0) };
}

/** [minLon, minLat, maxLon, maxLat] of all areas, widened by NEAR_CITY_M. */
async function nearCityBox(db: Db): Promise<[number, number, number, number] | null> {
  const extent = await readAreaExtent(db);
  if (!extent) return null;
  const [minLon, minLat, maxLon, maxLat] = extent;
  const dLat = NEAR_CITY_M / 110_000;
  const dLon = NEAR_CITY_M / (110_000 * Math.cos((Math.max(Math.abs(minLat), Math.abs(maxLat)) * Math.PI) / 180));
  return [minLon - dLon, minLat - dLat, maxLon + dLon, maxLat + dLat];
}

export async function nearestOffers(
  db: Db,
  q: z.output<typeof NearestQuery>,
  box: [number, number, number, number] | null,
  categories: CategoryList,
  clock: CityClock | null = null,
  walk: WalkNetwork | null = null,
  instant: Date = new Date(),
): Promise<NearestCollection> {
  if (box) {
    const [minLon, minLat, maxLon, maxLat] = box;
    const where = `[${box.map(r5).join(', ')}] (the city and ${NEAR_CITY_M / 1000} km around it)`;
    if (q.lon < minLon || q.lon > maxLon) throw badRequest('lon', `the point must lie within ${where}`);
    if (q.lat < minLat || q.lat > maxLat) throw badRequest('lat', `the point must lie within ${where}`);
  }
  const now = clock ? wallClockAt(instant, clock.timeZone) : null;
  let at: WallClock | null = null;
  if (q.open_at !== undefined) {
    if (!clock || !now)
      throw badRequest('open_at', 'the data package names no time zone for its city (manifest: city.timeZone)');
    at = q.open_at === 'now' ? now : readWallClock(q.open_at, clock.timeZone);
    if (!at) throw badRequest('open_at', `"${q.open_at}" is no date and time (2026-12-11T19:00)`);
  }
  const day = at ?? now;
  // Ranked on foot, more of the nearest in a straight line are looked at (rankOnFoot).
  const candidates = walk && q.order === 'walk' ? walkCandidates(q.k) : q.k;
  let rows = await readNearest(db, {
    ...q,
    category: q.category ?? null,
    kind: q.kind ?? null,
    k: at ? Math.max(candidates, OPEN_CANDIDATES) : candidates,
    day: day ? dateOf(day) : null,
    age: q.age ?? null,
    language: q.language ?? null,
    stepFree: q.step_free ?? false,
    withHours: at !== null,
  });
  if (at && clock) {
    const when = at;
    rows = rows.filter((r) => openAt(r.opening_hours, when, clock) === true).slice(0, candidates);
  }
  const start = walk ? snapStart(walk, q.lon, q.lat) : null;
  const walks =
    walk && start
      ? walksTo(
          walk,
          start,
          rows.map((r) => r.id),
        )
      : rows.map(() => null);
  const ranked = rankOnFoot(rows, walks, walk ? q.order : 'distance', q.k, rows.length < candidates);
  const stamp = (w: WallClock) =>
    `${dateOf(w)}T${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
  return {
    type: 'FeatureCollection',
    features: ranked.rows.map((r) => ({
      type: 'Feature',
      id: r.id,
      properties: {
        ...offerProperties(r),
        distance_m: Math.round(r.distance_m),
        walk_m: r.walk_m === null ? null : Math.round(r.walk_m),
        walk_minutes: walk ? (r.walk_m === null ? null : minutesFor(Math.round(r.walk_m))) : walkMinutes(r.distance_m),
        speciality: r.speciality,
        address: addressOf(r),
        reference_date: r.reference_date,
        open_now: clock && now ? openAt(r.opening_hours, now, clock) : null,
        opening_hours: r.opening_hours,
        ages: r.age_min === null && r.age_max === null ? null : { min: r.age_min, max: r.age_max },
        languages: r.languages,
        speaks_language: q.language === undefined ? null : (r.languages ?? []).includes(q.language),
        wheelchair: (r.wheelchair as 'yes' | 'limited' | 'no' | null) ?? null,
        list: r.list,
      },
      geometry: point(r.lon, r.lat),
    })),
    meta: {
      origin: [q.lon, q.lat],
      k: q.k,
      max_m: q.max_m,
      categories: q.category ?? null,
      ...caveatsOf(categories, q.category ?? []),
      distance: 'geodesic, on the WGS84 spheroid, straight line',
      walking: walk
        ? {
            method: 'network' as const,
            speed_kmh: WALK_SPEED_KMH,
            detour_factor: null,
            note: start
              ? `The shortest walk on the street and path network of the basemap (OpenStreetMap, about 2020), with the ways from the point to the network and from the network to the offer, at ${WALK_SPEED_KMH} km/h. walk_m null: the offer cannot be reached on the network.`
              : `No walkable way lies within ${START_MAX_M} m of the point: no walk is given.`,
            start_snap_m: start ? Math.round(start.m) : null,
            unreachable: ranked.rows.filter((r) => r.walk_m === null).length,
          }
        : {
            method: 'estimate' as const,
            speed_kmh: WALK_SPEED_KMH,
            detour_factor: DETOUR_FACTOR,
            note: `An estimate: the straight-line distance times ${DETOUR_FACTOR} for the path, walked at ${WALK_SPEED_KMH} km/h; not a route (${q.walk === 'false' ? 'walk=false asked for the straight line only' : 'the data package has no walking network'}).`,
            start_snap_m: null,
            unreachable: 0,
          },
      order: { used: walk ? q.order : 'distance', candidates: rows.length, exact: ranked.exact },
      clock:
        clock && now && day
          ? { time_zone: clock.timeZone, now: stamp(now), open_at: at ? stamp(at) : null, day: dateOf(day) }
          : null,
    },
  };
}

/** The source's address, else the register's nearest one, marked approximate; null when there is neither. */
export function addressOf(r: Pick<NearestRow, 'street' | 'postcode' | 'city' | 'near_address' | 'near_address_m'>) {
  if (r.street) return { street: r.street, postcode: r.postcode, city: r.city, approximate: false, distance_m: null };
  if (r.near_address)
    return {
      street: r.near_address,
      postcode: null,
      city: null,
      approximate: true,
      distance_m: r.near_address_m === null ? null : Math.round(r.near_address_m),
    };
  return null;
}

/** The reasons and warnings of the asked categories; none when every kind of offer is asked. */
export function caveatsOf(
  list: CategoryList,
  asked: string[],
): { incomplete: Record<string, z.infer<typeof Text>>; warnings: Record<string, z.infer<typeof Text>> } {
  const chosen = list.categories.filter((c) => asked.includes(c.code));
  return {
    incomplete: Object.fromEntries(chosen.flatMap((c) => (c.incomplete ? [[c.code, c.incomplete]] : []))),
    warnings: Object.fromEntries(chosen.flatMap((c) => Object.entries(c.warnings))),
  };
}

/** One offer; null when there is none of that id, or it is not valid on `day` (null: no check). */
export async function readOffer(db: Db, id: string, day: string | null = null): Promise<OfferDetail | null> {
  const r = await readOfferRow(db, id, day);
  if (!r) return null;
  return {
    id: r.id,
    category: r.category,
    category_labels: r.category_labels,
    subcategory: r.subcategory,
    name: r.name,
    street: r.street,
    postcode: r.postcode,
    city: r.city,
    point: [r5(r.lon), r5(r.lat)],
    places_u3: r.places_u3,
    places_o3: r.places_o3,
    pupils: r.pupils,
    attrs: r.attrs,
    quarter: { code: r.quarter_code, name: r.quarter_name },
    district: { code: r.district_code, name: r.district_name },
    action_area: r.action_area_code
      ? { code: r.action_area_code, name: r.action_area_name ?? r.action_area_code }
      : null,
    reference_date: r.reference_date,
    address: addressOf(r),
    external_id: r.external_id,
    programme:
      typeof r.attrs.programme === 'string' && programmeId(r.attrs.programme)
        ? { id: programmeId(r.attrs.programme), name: r.attrs.programme }
        : null,
    source: {
      id: r.source_id,
      title: r.source_title,
      publisher: r.publisher,
      licence: r.licence,
      attribution: r.attribution,
      url: r.url,
      reference_date: r.source_reference_date,
    },
  };
}

/** /api/offers. The static paths come before /:id. */
export function offerRoutes({ db }: Pick<AppDeps, 'db'>) {
  // Every answer about offers counts those valid on the day of the data version (issue 21: validityDay).
  const categories = cachedJson<'all'>(db, (_, version) => readCategories(db, validityDay(version)));
  const cityBox = perDataVersion<'box', [number, number, number, number] | null>(db, () => nearCityBox(db));
  const categoryList = perDataVersion<'all', CategoryList>(db, (_, version) =>
    readCategories(db, validityDay(version)),
  );
  const cityClock = perDataVersion<'clock', CityClock | null>(db, () => readCityClock(db));
  // Lists (a category for the map, an area's box for a council page) and one offer change with the data version: built
  // once per data version and query, the most recent lists in an LRU of their own (RECENT_ANSWERS).
  const lists = cachedJson<z.output<typeof OfferListQuery>>(
    db,
    (q, version) => listOffers(db, q, validityDay(version)),
    {
      contentType: 'application/geo+json',
      compression: FAST,
      own: RECENT_ANSWERS,
    },
  );
  const details = cachedJson<string>(
    db,
    async (id, version) => {
      const offer = await readOffer(db, id, validityDay(version));
      if (!offer) throw notFound(`No offer with id ${id}`);
      return offer;
    },
    { compression: FAST },
  );
  return new Hono()
    .get('/', validateQuery(OfferListQuery), (c) => lists.respond(c, c.req.valid('query')))
    .get('/categories', validateQuery(z.strictObject({})), (c) => categories.respond(c, 'all'))
    .get('/nearest', validateQuery(NearestQuery), async (c) => {
      const list = (await categoryList.get('all')).value;
      const clock = (await cityClock.get('clock')).value;
      const body = await nearestOffers(
        db,
        c.req.valid('query'),
        (await cityBox.get('box')).value,
        list,
        clock,
        c.req.valid('query').walk === 'false' ? null : await walkNetwork(db),
        dataClock(db)(),
      );
      return c.body(JSON.stringify(body), 200, { 'content-type': 'application/geo+json' });
    })
    .get('/:id', validateParams(OfferParams), (c) => details.respond(c, c.req.valid('param').id));
}
