/**
 * The collections of the OGC API – Features service (/ogc) and their features, as pure functions: which collections
 * the atlas offers, their features from stored rows, and the selection of a page of items (bbox ids, property
 * filters, datetime, offset and limit). domain/ogc.ts writes the answers about them.
 *
 * - `districts`, `quarters`, `action-areas`: one feature per area with code, name, parent and area, and for every
 *   indicator of the catalogue its newest value as the property `<indicator id>` and that value's reference date
 *   as `<indicator id>__date` (the privacy rule applied: a withheld value is null); unit, sources, method and dates
 *   of each in the collection's `properties`.
 * - `offers`: one point per offer, `category` and the other codes as queryables.
 * - `<level>.<indicator id>` (e.g. `quarters.residents`): one value per area: value, unit, date, method, source.
 */
import type { Catalogue, IndicatorRow, LatestRow } from '../db/queries/indicators.ts';
import { METHOD_TEXT, parseNote, roundValue, suppress, type ValueLevel } from './indicators.ts';
import { type Geometry, type Interval, intersects, referenceInterval } from './ogc-crs.ts';

/** The area levels as collections: collection id → level. */
export const AREA_COLLECTIONS: Record<string, ValueLevel> = {
  districts: 'district',
  quarters: 'quarter',
  'action-areas': 'action-area',
};
const LEVEL_COLLECTION: Record<ValueLevel, string> = {
  district: 'districts',
  quarter: 'quarters',
  'action-area': 'action-areas',
};
const LEVEL_TITLE: Record<ValueLevel, string> = {
  district: 'Districts (Stadtbezirke)',
  quarter: 'Quarters (statistische Bezirke)',
  'action-area': 'Action areas (Aktionsräume)',
};

/** The suffix of the property that holds the reference date of an indicator's value in an area collection. */
export const DATE_SUFFIX = '__date';

export type Scalar = string | number | boolean | null;

export interface Queryable {
  type: 'string' | 'number' | 'boolean';
  title: string;
}

export interface PropertyInfo {
  name: string;
  title: string;
  unit?: string;
  method?: string;
  method_note?: string;
  sources?: string[];
  dates?: string[];
}

export interface CollectionInfo {
  id: string;
  title: string;
  description: string;
  kind: 'areas' | 'offers' | 'indicator';
  level: ValueLevel | null;
  indicator: string | null;
  queryables: Record<string, Queryable>;
  properties: PropertyInfo[];
  /** Reference dates of the features (indicator collections); empty where the features carry none. */
  dates: string[];
  /** The ids of the sources of the collection's data. */
  sources: string[];
  /** Whether any of its values was computed or modelled from the sources (the licence note says so). */
  computed: boolean;
}

export interface OgcFeature {
  id: string;
  properties: Record<string, Scalar>;
  /** x, y order, in the CRS the store read it in (CRS84 or EPSG:25832). */
  geometry: Geometry | null;
  /** The days its data refer to (indicator collections), for `datetime`. */
  interval: Interval | null;
}

const areaQueryables = (level: ValueLevel): Record<string, Queryable> => ({
  code: { type: 'string', title: 'Official code of the area' },
  name: { type: 'string', title: 'Name of the area' },
  ...(level === 'quarter' ? { parent: { type: 'string', title: 'Code of the district the quarter lies in' } } : {}),
});

function indicatorProperty(ind: IndicatorRow, cat: Catalogue, level: ValueLevel): PropertyInfo {
  const dates = cat.levels.find((l) => l.indicator_id === ind.id && l.level === level)?.latest_dates ?? [];
  return {
    name: ind.id,
    title: ind.title.en,
    unit: ind.unit,
    method: ind.method,
    method_note: ind.method_note.en,
    sources: ind.source_ids,
    dates,
  };
}

/** The indicators with values at a level, in the catalogue's order. */
function indicatorsAt(cat: Catalogue, level: ValueLevel): IndicatorRow[] {
  const present = new Set(cat.levels.filter((l) => l.level === level && l.areas > 0).map((l) => l.indicator_id));
  return cat.indicators.filter((i) => present.has(i.id));
}

/**
 * Every collection, in a fixed order: the area levels, the offers, then one per indicator and level. Only the
 * indicators of `cat` appear: the catalogue read for anonymous readers is the whole of what this service shows.
 */
export function ogcCollections(cat: Catalogue, offerSources: string[]): CollectionInfo[] {
  const out: CollectionInfo[] = [];
  for (const [id, level] of Object.entries(AREA_COLLECTIONS)) {
    const inds = indicatorsAt(cat, level);
    out.push({
      id,
      title: LEVEL_TITLE[level],
      description:
        `The ${LEVEL_TITLE[level].toLowerCase()} of ${cat.city || 'the city'} with the newest value of every ` +
        `indicator: the property named by the indicator's id holds the value, <id>${DATE_SUFFIX} its reference ` +
        'date; unit, method and sources of each are listed under properties. A value withheld for privacy or ' +
        'missing in the source is null.',
      kind: 'areas',
      level,
      indicator: null,
      queryables: areaQueryables(level),
      properties: [
        { name: 'code', title: 'Official code' },
        { name: 'name', title: 'Name' },
        { name: 'parent', title: 'Code of the district (quarters only)' },
        { name: 'area_km2', title: 'Area in km², 2 decimals', unit: 'km²' },
        ...inds.map((i) => indicatorProperty(i, cat, level)),
      ],
      dates: [],
      sources: [...new Set(inds.flatMap((i) => i.source_ids))].sort(),
      computed: inds.some((i) => i.method !== 'published'),
    });
  }
  out.push({
    id: 'offers',
    title: 'Offers (social services)',
    description:
      'Kitas, schools, family, youth and senior services, libraries, doctors, sport and transit stops as points, ' +
      'with their category and the codes of the quarter and district they lie in.',
    kind: 'offers',
    level: null,
    indicator: null,
    queryables: {
      category: { type: 'string', title: 'Category code (/api/offers/categories lists them)' },
      subcategory: { type: 'string', title: 'Subcategory' },
      quarter_code: { type: 'string', title: 'Code of the quarter' },
      district_code: { type: 'string', title: 'Code of the district' },
    },
    properties: [
      { name: 'id', title: 'Offer id' },
      { name: 'category', title: 'Category code' },
      { name: 'subcategory', title: 'Subcategory' },
      { name: 'name', title: 'Name' },
      { name: 'quarter_code', title: 'Quarter' },
      { name: 'district_code', title: 'District' },
      { name: 'source', title: 'Source id' },
      { name: 'reference_date', title: 'Reference date of the offer or its source' },
    ],
    dates: [],
    sources: offerSources,
    computed: false,
  });
  for (const level of Object.values(AREA_COLLECTIONS)) {
    for (const ind of indicatorsAt(cat, level)) {
      const info = indicatorProperty(ind, cat, level);
      const dates = cat.levels.find((l) => l.indicator_id === ind.id && l.level === level)?.latest_dates ?? [];
      out.push({
        id: `${LEVEL_COLLECTION[level]}.${ind.id}`,
        title: `${ind.title.en} · ${LEVEL_TITLE[level]}`,
        description: `${ind.description.en} ${METHOD_TEXT[ind.method].en} Unit: ${ind.unit}.`,
        kind: 'indicator',
        level,
        indicator: ind.id,
        queryables: {
          ...areaQueryables(level),
          method: { type: 'string', title: 'published, computed or modelled' },
        },
        properties: [
          { name: 'code', title: 'Official code' },
          { name: 'name', title: 'Name' },
          { ...info, name: 'value' },
          { name: 'reference_date', title: 'Reference date of the value' },
          { name: 'method', title: 'published, computed or modelled' },
          { name: 'source', title: 'Source id' },
          { name: 'suppressed', title: 'Withheld for privacy (fewer addresses or persons than the minimum)' },
          { name: 'note', title: 'Why a value is missing or withheld' },
        ],
        dates,
        sources: ind.source_ids,
        computed: ind.method !== 'published',
      });
    }
  }
  return out;
}

/** The collection an id names, or null. */
export function findCollection(all: readonly CollectionInfo[], id: string): CollectionInfo | null {
  return all.find((c) => c.id === id) ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// Features from rows

export interface AreaGeometryRow {
  code: string;
  name: string;
  parent: string | null;
  area_m2: number;
  /** GeoJSON text in x, y order. */
  geometry: string;
}

export interface OfferGeometryRow {
  id: string;
  category: string;
  subcategory: string | null;
  name: string | null;
  quarter_code: string;
  district_code: string;
  source_id: string;
  reference_date: string | null;
  geometry: string;
}

const km2 = (m2: number) => Math.round(m2 / 1e4) / 100;

/** The value of a latest row as it may be shown: null when withheld for privacy or missing. */
function shownValue(ind: IndicatorRow, row: LatestRow | undefined, minCount: number): number | null {
  if (!row || row.value === null) return null;
  return suppress(ind.count_based, row.basis_count, row.value, minCount).suppressed ? null : roundValue(row.value);
}

/** The features of an area collection: every area with the newest value of each of the collection's indicators. */
export function areaFeatures(
  info: CollectionInfo,
  rows: readonly AreaGeometryRow[],
  cat: Catalogue,
  latest: Map<string, Map<string, LatestRow>>,
  minCount: number,
): OgcFeature[] {
  const inds = info.properties.flatMap((p) => {
    const ind = cat.byId.get(p.name);
    return ind ? [ind] : [];
  });
  return rows.map((r) => {
    const properties: Record<string, Scalar> = {
      code: r.code,
      name: r.name,
      parent: r.parent,
      area_km2: km2(r.area_m2),
    };
    for (const ind of inds) {
      const row = latest.get(ind.id)?.get(r.code);
      properties[ind.id] = shownValue(ind, row, minCount);
      properties[`${ind.id}${DATE_SUFFIX}`] = row?.reference_date ?? null;
    }
    return { id: r.code, properties, geometry: JSON.parse(r.geometry) as Geometry, interval: null };
  });
}

/** The features of an indicator collection: one per area, its newest value, date, method and source. */
export function indicatorFeatures(
  ind: IndicatorRow,
  rows: readonly AreaGeometryRow[],
  latest: Map<string, LatestRow> | undefined,
  minCount: number,
): OgcFeature[] {
  return rows.map((r) => {
    const row = latest?.get(r.code);
    const withheld = row ? suppress(ind.count_based, row.basis_count, row.value, minCount) : null;
    const note = withheld?.suppressed
      ? withheld.reason
      : !row
        ? { en: 'There is no value for this area.' }
        : row.value === null
          ? (parseNote(row.note) ?? { en: 'The source has no value.' })
          : null;
    return {
      id: r.code,
      properties: {
        code: r.code,
        name: r.name,
        value: shownValue(ind, row, minCount),
        reference_date: row?.reference_date ?? null,
        method: row?.method ?? null,
        source: row?.source_id ?? null,
        suppressed: withheld?.suppressed ?? false,
        note: note?.en ?? null,
      },
      geometry: JSON.parse(r.geometry) as Geometry,
      interval: row?.reference_date ? referenceInterval(row.reference_date) : null,
    };
  });
}

export function offerFeatures(rows: readonly OfferGeometryRow[]): OgcFeature[] {
  return rows.map((r) => ({
    id: r.id,
    properties: {
      id: r.id,
      category: r.category,
      subcategory: r.subcategory,
      name: r.name,
      quarter_code: r.quarter_code,
      district_code: r.district_code,
      source: r.source_id,
      reference_date: r.reference_date,
    },
    geometry: JSON.parse(r.geometry) as Geometry,
    interval: null,
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Selecting a page

export interface ItemsSelection {
  /** Ids of the features inside the bbox, or null without a bbox. */
  inBox: ReadonlySet<string> | null;
  /** Queryable → the value a feature's property must equal. */
  filters: Record<string, string>;
  datetime: Interval | null;
  offset: number;
  limit: number;
}

/** The features matching a selection, and the page of them from offset. */
export function selectItems(
  features: readonly OgcFeature[],
  s: ItemsSelection,
): { matched: number; page: OgcFeature[] } {
  const filters = Object.entries(s.filters);
  const all = features.filter(
    (f) =>
      (s.inBox === null || s.inBox.has(f.id)) &&
      filters.every(([name, want]) => {
        const have = f.properties[name];
        return have !== null && have !== undefined && String(have) === want;
      }) &&
      (s.datetime === null || (f.interval !== null && intersects(f.interval, s.datetime))),
  );
  return { matched: all.length, page: all.slice(s.offset, s.offset + s.limit) };
}
