/**
 * Clustering of points for a zoomed-out map. Pure: points in, clusters out.
 *
 * Greedy distance clustering in screen space, as supercluster does it: at a zoom level every point not yet taken
 * gathers the untaken points within `radius` pixels of it (found through a grid of radius-sized cells) and they
 * become one cluster at their mean position. Points are visited in input order, so the result is stable for the
 * same data. Zoom is rounded down to whole levels so clusters do not reshuffle while the map zooms smoothly.
 */

export interface ClusterInput {
  lon: number;
  lat: number;
}

export interface Cluster<T> {
  /** Mean position of the members. */
  lon: number;
  lat: number;
  members: T[];
  /** Stable id: the index of its first member in the input. */
  id: number;
}

/** Web Mercator world pixels (512-px tiles, as MapLibre) at a zoom. */
export function project(lon: number, lat: number, zoom: number): [number, number] {
  const size = 512 * 2 ** zoom;
  const sin = Math.sin((Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180);
  return [((lon + 180) / 360) * size, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size];
}

export function clusterPoints<T extends ClusterInput>(points: readonly T[], zoom: number, radius = 40): Cluster<T>[] {
  const z = Math.floor(zoom);
  const xy = points.map((p) => project(p.lon, p.lat, z));
  const cells = new Map<string, number[]>();
  const cellOf = (x: number, y: number) => `${Math.floor(x / radius)}:${Math.floor(y / radius)}`;
  xy.forEach(([x, y], i) => {
    const key = cellOf(x, y);
    const cell = cells.get(key);
    if (cell) cell.push(i);
    else cells.set(key, [i]);
  });
  const taken = new Uint8Array(points.length);
  const clusters: Cluster<T>[] = [];
  const r2 = radius * radius;
  for (let i = 0; i < points.length; i++) {
    if (taken[i]) continue;
    const [x, y] = xy[i] as [number, number];
    const cx = Math.floor(x / radius);
    const cy = Math.floor(y / radius);
    const members: T[] = [];
    let sumLon = 0;
    let sumLat = 0;
    for (let gx = cx - 1; gx <= cx + 1; gx++) {
      for (let gy = cy - 1; gy <= cy + 1; gy++) {
        for (const j of cells.get(`${gx}:${gy}`) ?? []) {
          if (taken[j]) continue;
          const [xj, yj] = xy[j] as [number, number];
          if ((xj - x) ** 2 + (yj - y) ** 2 > r2) continue;
          taken[j] = 1;
          const p = points[j] as T;
          members.push(p);
          sumLon += p.lon;
          sumLat += p.lat;
        }
      }
    }
    clusters.push({ id: i, lon: sumLon / members.length, lat: sumLat / members.length, members });
  }
  return clusters;
}

/** The bounds [west, south, east, north] of a cluster's members. */
export function clusterBounds(members: readonly ClusterInput[]): [number, number, number, number] {
  let west = Number.POSITIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  for (const { lon, lat } of members) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  return [west, south, east, north];
}
