/**
 * Walking on the network (issue 16), measured side by side in the same run against the same server:
 *   - one 15-minute isochrone (/api/isochrones?minutes=15), a different address each time; goal p50 ≤ 50 ms;
 *   - nearest offers with walk_m (k = 10; every other request for one category, as api-bench.ts's nearest) against
 *     the straight-line nearest (the same route with walk=false), alternating, the same points; goal p50 ≤ 2×;
 *   - the network's build at import (reading the tiles and building the graph; storing, snapping and the walking
 *     indicators), its reading into the server's memory and the bytes it holds there (/api/walk/network).
 * Sequential GETs, wall time per answer (these answers are built per request, never kept).
 */
import { median, quantile } from './stats.ts';

export interface WalkBench {
  runs: number;
  isochrone: { p50: number; p90: number; example: string };
  nearest: { walkP50: number; straightP50: number; example: string; refExample: string };
  network: {
    nodes: number;
    edges: number;
    components: number;
    buildMs: number;
    deriveMs: number | null;
    loadMs: number;
    memoryBytes: number;
  };
}

const CATEGORIES = [null, 'childcare', null, 'school', null, 'health'];

async function timed(url: string): Promise<number> {
  const start = performance.now();
  const res = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
  const text = await res.text();
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text.slice(0, 200)}`);
  return ms;
}

export async function benchWalk(
  appUrl: string,
  points: [number, number][],
  runs: number,
  log: (line: string) => void,
): Promise<WalkBench | null> {
  const info = await fetch(`${appUrl}/api/walk/network`);
  if (info.status === 404) {
    log('walk: the package has no walking network');
    return null;
  }
  // The first answer reads the network into memory: not part of the figures.
  const [lon0, lat0] = points[0] ?? [0, 0];
  // A package whose addresses lie off its network (the bench's smoke test: the mini city beside the real package's
  // tiles) has nothing to measure: no row, as without a network.
  const first = await fetch(`${appUrl}/api/isochrones?lon=${lon0}&lat=${lat0}&minutes=15`);
  await first.arrayBuffer();
  if (first.status >= 400 && first.status < 500) {
    log(`walk: the package's addresses lie off its walking network (isochrone: ${first.status})`);
    return null;
  }
  const net = (await (await fetch(`${appUrl}/api/walk/network`)).json()) as {
    nodes: number;
    edges: number;
    components: number;
    build_ms: number;
    derive_ms: number | null;
    load_ms: number;
    memory_bytes: number;
  };
  const iso: number[] = [];
  const walk: number[] = [];
  const straight: number[] = [];
  const pick = (i: number) => points[(i * 7919) % points.length] as [number, number];
  for (let i = 0; i < runs; i++) {
    const [lon, lat] = pick(i);
    iso.push(await timed(`${appUrl}/api/isochrones?lon=${lon}&lat=${lat}&minutes=15`));
    // The categories of the nearest workload of api-bench.ts: every other request for one category.
    const category = CATEGORIES[i % CATEGORIES.length];
    const nearest = `${appUrl}/api/offers/nearest?lon=${lon}&lat=${lat}&k=10${category ? `&category=${category}` : ''}`;
    walk.push(await timed(nearest));
    straight.push(await timed(`${nearest}&walk=false`));
  }
  const result: WalkBench = {
    runs,
    isochrone: {
      p50: median(iso),
      p90: quantile(iso, 0.9),
      example: `/api/isochrones?lon=${lon0}&lat=${lat0}&minutes=15`,
    },
    nearest: {
      walkP50: median(walk),
      straightP50: median(straight),
      example: `/api/offers/nearest?lon=${lon0}&lat=${lat0}&k=10`,
      refExample: `/api/offers/nearest?lon=${lon0}&lat=${lat0}&k=10&walk=false`,
    },
    network: {
      nodes: net.nodes,
      edges: net.edges,
      components: net.components,
      buildMs: net.build_ms,
      deriveMs: net.derive_ms,
      loadMs: net.load_ms,
      memoryBytes: net.memory_bytes,
    },
  };
  log(
    `walk: isochrone 15 min p50 ${result.isochrone.p50.toFixed(1)} ms; nearest k=10 with walk ${result.nearest.walkP50.toFixed(1)} ms, ` +
      `straight ${result.nearest.straightP50.toFixed(1)} ms; build ${net.build_ms} + ${net.derive_ms} ms; ` +
      `${(net.memory_bytes / 1e6).toFixed(1)} MB in memory, read in ${net.load_ms} ms`,
  );
  return result;
}
