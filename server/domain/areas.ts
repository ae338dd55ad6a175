/**
 * Areas as the API shows them: pure functions from the rows of db/queries/areas.ts to the answers of /api/areas.
 * Areas in km² with 2 decimals, coordinates with 5 (about a metre), address shares with 4.
 */
import type { AreaDetailRows, AreaShapeRow } from '../db/queries/areas.ts';

/** Douglas-Peucker tolerance of the shared-edge simplification, in metres (quarters: about 20 KB brotli). */
export const SIMPLIFY_TOLERANCE_M = 5;
export const COORDINATE_DECIMALS = 5;

export const round = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;

/** m² → km², 2 decimals. */
export const km2 = (m2: number) => round(m2 / 1e6, 2);

/** The FeatureCollection of one level, one feature per row in the order given. */
export function areaCollection<L extends string>(level: L, rows: readonly AreaShapeRow[]) {
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      id: r.code,
      properties: {
        code: r.code,
        name: r.name,
        parent: r.parent,
        numbered: r.numbered,
        area_km2: km2(r.area_m2),
        label: [r.label_lon, r.label_lat] as [number, number],
      },
      geometry: JSON.parse(r.geometry),
    })),
    meta: {
      level,
      count: rows.length,
      simplification: {
        method: 'Douglas-Peucker on the noded boundary arcs shared by neighbours, in the UTM zone of the city',
        tolerance_m: SIMPLIFY_TOLERANCE_M,
      },
      coordinate_decimals: COORDINATE_DECIMALS,
    },
  };
}

/** One area with its relations; the addresses outside any action area are left out of `action_areas`. */
export function areaDetail<L extends string>(level: L, code: string, rows: AreaDetailRows) {
  const { area } = rows;
  return {
    level,
    code,
    name: area.name,
    numbered: area.numbered,
    area_km2: km2(area.area_m2),
    label: [round(area.label_lon, COORDINATE_DECIMALS), round(area.label_lat, COORDINATE_DECIMALS)] as [number, number],
    bbox: area.bbox.map((x) => round(x, COORDINATE_DECIMALS)) as [number, number, number, number],
    parent: rows.parent ? { level: 'district' as const, code: rows.parent.code, name: rows.parent.name } : null,
    children: rows.children.map((c) => ({
      ...c,
      address_share: c.address_share === null ? null : round(c.address_share, 4),
    })),
    neighbours: rows.neighbours,
    action_areas: rows.actionAreas.flatMap((a) =>
      a.code === null
        ? []
        : [{ code: a.code, name: a.name, numbered: a.numbered, address_share: round(a.address_share, 4) }],
    ),
  };
}
