import { metres, metresPerDegree } from './geo.ts';

/**
 * For every point, the straight line in metres (`metres` of geo.ts) to the nearest of the sites: exactly the minimum
 * over all sites, found without measuring most of them. `metres` scales degrees by the metres per degree at the
 * pair's mean latitude, which lies between the lowest and the highest latitude of all points and sites; metres per
 * degree of longitude fall and of latitude rise with the latitude, so scaling by the smaller of each over that range
 * never gives more than `metres`: a lower bound. Sites are taken in the order of longitude outwards from the point,
 * measured only where the bound is within the nearest measured so far, and not at all once the east-west part of
 * the bound alone exceeds it. Infinity where there is no site.
 */
export function nearestStraight(
  pointLon: ArrayLike<number>,
  pointLat: ArrayLike<number>,
  siteLon: ArrayLike<number>,
  siteLat: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(pointLon.length).fill(Number.POSITIVE_INFINITY);
  const sites = siteLon.length;
  if (sites === 0) return out;
  let latLo = Number.POSITIVE_INFINITY;
  let latHi = Number.NEGATIVE_INFINITY;
  for (const lats of [pointLat, siteLat])
    for (let i = 0; i < lats.length; i++) {
      latLo = Math.min(latLo, lats[i] as number);
      latHi = Math.max(latHi, lats[i] as number);
    }
  const far = metresPerDegree(Math.max(Math.abs(latLo), Math.abs(latHi)));
  const near = metresPerDegree(Math.min(Math.abs(latLo), Math.abs(latHi)));
  // The smaller at either end, less a millionth (far beyond rounding).
  const kLon = Math.min(far.mLon, near.mLon) * (1 - 1e-6);
  const kLat = Math.min(far.mLat, near.mLat) * (1 - 1e-6);
  // Across the equator the metres per degree of latitude are smallest at it.
  const kLatAll = latLo < 0 && latHi > 0 ? Math.min(kLat, metresPerDegree(0).mLat * (1 - 1e-6)) : kLat;
  const order = Array.from({ length: sites }, (_, j) => j).sort(
    (p, q) => (siteLon[p] as number) - (siteLon[q] as number) || p - q,
  );
  const lonOf = Float64Array.from(order, (j) => siteLon[j] as number);
  const latOf = Float64Array.from(order, (j) => siteLat[j] as number);
  for (let i = 0; i < pointLon.length; i++) {
    const lon = pointLon[i] as number;
    const lat = pointLat[i] as number;
    let lo = 0;
    let hi = sites;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((lonOf[mid] as number) < lon) lo = mid + 1;
      else hi = mid;
    }
    let best = Number.POSITIVE_INFINITY;
    let left = lo - 1;
    let right = lo;
    for (;;) {
      if (left < 0 && right >= sites) break;
      // Differences of degrees first, then scaled: the bound stays below `metres` however far from 0° the city is.
      const dl = left >= 0 ? (lon - (lonOf[left] as number)) * kLon : Number.POSITIVE_INFINITY;
      const dr = right < sites ? ((lonOf[right] as number) - lon) * kLon : Number.POSITIVE_INFINITY;
      const k = dl <= dr ? left : right;
      const dx = dl <= dr ? dl : dr;
      if (!(dx * dx <= best * best)) break;
      if (dl <= dr) left--;
      else right++;
      const dy = ((latOf[k] as number) - lat) * kLatAll;
      if (dx * dx + dy * dy <= best * best)
        best = Math.min(best, metres(lon, lat, lonOf[k] as number, latOf[k] as number));
    }
    out[i] = best;
  }
  return out;
}
