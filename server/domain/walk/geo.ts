/**
 * Metres on the WGS84 ellipsoid for the short distances of a walking network. A segment of a few hundred metres is
 * measured in the plane tangent at its mean latitude, with the ellipsoid's radii of curvature there (meridian M,
 * prime vertical N): within a millionth of the geodesic length, so that a walk summed from segments is never shorter
 * than PostGIS's geodesic straight line (geography) between its ends, beyond rounding.
 */

const A = 6378137;
const E2 = 0.00669437999014; // first eccentricity squared (WGS84)
const RAD = Math.PI / 180;

/** Metres per degree of latitude and of longitude at a latitude. */
export function metresPerDegree(lat: number): { mLat: number; mLon: number } {
  const s = Math.sin(lat * RAD);
  const w = 1 - E2 * s * s;
  const n = A / Math.sqrt(w);
  const m = (A * (1 - E2)) / (w * Math.sqrt(w));
  return { mLat: m * RAD, mLon: n * Math.cos(lat * RAD) * RAD };
}

/** The distance in metres between two nearby points (lon, lat in degrees). */
export function metres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const { mLat, mLon } = metresPerDegree((lat1 + lat2) / 2);
  return Math.hypot((lon2 - lon1) * mLon, (lat2 - lat1) * mLat);
}

/** A local plane in metres around a point: x east, y north (for indexes and projections, not for lengths). */
export interface Plane {
  lon0: number;
  lat0: number;
  mLon: number;
  mLat: number;
}

export function planeAt(lon0: number, lat0: number): Plane {
  return { lon0, lat0, ...metresPerDegree(lat0) };
}

/**
 * The point of the segment (lon1, lat1)–(lon2, lat2) nearest to (lon, lat): its fraction t along the segment
 * (0 at the first end) and its distance in metres, in the plane tangent at the point.
 */
export function nearestOnSegment(
  lon: number,
  lat: number,
  lon1: number,
  lat1: number,
  lon2: number,
  lat2: number,
): { t: number; m: number } {
  const { mLat, mLon } = metresPerDegree(lat);
  const ax = (lon1 - lon) * mLon;
  const ay = (lat1 - lat) * mLat;
  const dx = (lon2 - lon1) * mLon;
  const dy = (lat2 - lat1) * mLat;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  const lonT = lon1 + t * (lon2 - lon1);
  const latT = lat1 + t * (lat2 - lat1);
  return { t, m: metres(lon, lat, lonT, latT) };
}
