import { bbox, multiPoint } from '@turf/turf';
import type { BBox } from '../config.ts';

/** The bounds [west, south, east, north] of points given as [lon, lat], for a map's fitBounds (turf's bbox). */
export function boundsOf(points: readonly (readonly [number, number])[]): BBox {
  if (points.length === 0) throw new Error('boundsOf: no points to bound');
  const [west, south, east, north] = bbox(multiPoint(points.map(([lon, lat]) => [lon, lat])));
  return [west, south, east, north];
}
