/**
 * Diagonal hatching of polygons as line segments, for areas without data (deck.gl has no fill patterns without
 * an extension). Pure: GeoJSON-style coordinates in, segments out.
 *
 * Lines run at 45° on the map (in Web Mercator, where a degree of longitude is cos(lat) as long as one of
 * latitude), `spacing` degrees of latitude apart. Each line is cut by the polygon's rings with the even-odd
 * rule, so holes and multipolygons come out right.
 */

export type LonLat = [lon: number, lat: number];
export type Segment = [LonLat, LonLat];
/** Polygon rings (outer first, then holes), as in GeoJSON. */
export type Rings = readonly (readonly (readonly number[])[])[];

/** The segments inside `polygons` (a MultiPolygon's coordinates) along 45° lines `spacing` degrees apart. */
export function hatchSegments(polygons: readonly Rings[], spacing: number): Segment[] {
  const rings = polygons.flat();
  const points = rings.flat();
  if (points.length === 0 || !(spacing > 0)) return [];
  const lats = points.map((p) => p[1] as number);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const k = Math.cos((midLat * Math.PI) / 180);
  // In (u, v) = (lon·k, lat) the lines are u - v = c.
  const cs = points.map((p) => (p[0] as number) * k - (p[1] as number));
  const cMin = Math.min(...cs);
  const cMax = Math.max(...cs);
  const segments: Segment[] = [];
  // Lines on a fixed grid (multiples of spacing) so that neighbouring areas' hatching lines up.
  for (let c = Math.ceil(cMin / spacing) * spacing; c <= cMax; c += spacing) {
    const crossings: number[] = [];
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i] as readonly number[];
        const b = ring[i + 1] as readonly number[];
        const fa = (a[0] as number) * k - (a[1] as number) - c;
        const fb = (b[0] as number) * k - (b[1] as number) - c;
        // Half-open test, so a vertex on the line counts once.
        if (fa > 0 === fb > 0) continue;
        const t = fa / (fa - fb);
        crossings.push((a[1] as number) + t * ((b[1] as number) - (a[1] as number)));
      }
    }
    crossings.sort((x, y) => x - y);
    for (let i = 0; i + 1 < crossings.length; i += 2) {
      const lat0 = crossings[i] as number;
      const lat1 = crossings[i + 1] as number;
      if (lat1 - lat0 < 1e-12) continue;
      segments.push([
        [(c + lat0) / k, lat0],
        [(c + lat1) / k, lat1],
      ]);
    }
  }
  return segments;
}

/** Metres per CSS pixel at a zoom and latitude, in Web Mercator with 512-px tiles (MapLibre). */
export function metresPerPixel(zoom: number, lat: number): number {
  return (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/** The spacing (degrees of latitude) that draws lines about `pixels` apart at a whole zoom level. */
export function hatchSpacing(zoom: number, lat: number, pixels = 7): number {
  const metres = metresPerPixel(Math.floor(zoom), lat) * pixels * Math.SQRT2;
  return metres / 111_320;
}
