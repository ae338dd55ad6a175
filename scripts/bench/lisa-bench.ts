/**
 * Hot spots (issue 18): how long the server takes to build a LISA answer with 999 permutations on the quarters,
 * against the same route with no permutations (values, weights and body the same; only the permutation tests
 * left out), measured side by side in the same run: each request has a seed of its own, so that every answer is
 * built, not sent from memory. Beside it the pure computation (server/domain/lisa.ts) on the same values and
 * neighbours in the bench process.
 */
import { lisa } from '../../server/domain/lisa.ts';
import { median } from './stats.ts';

export interface LisaBench {
  indicator: string;
  areas: number;
  permutations: number;
  runs: number;
  /** Median wall time per answer built, ms: with the permutations, and the reference without them. */
  appMs: number;
  refMs: number;
  /** Median time of lisa() alone in this process, ms. */
  pureMs: number;
  example: string;
  refExample: string;
}

const PERMUTATIONS = 999;

async function timed(url: string): Promise<{ ms: number; body: unknown }> {
  const start = performance.now();
  const res = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
  const body = await res.json();
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  return { ms, body };
}

export async function benchLisa(
  appUrl: string,
  indicator: string,
  runs: number,
  log: (line: string) => void,
): Promise<LisaBench> {
  const path = (permutations: number, seed: number) =>
    `/api/analysis/lisa?indicator=${indicator}&level=quarter&permutations=${permutations}&seed=${seed}`;
  // Seeds of this run only: a second run against the same server would otherwise be answered from memory.
  const base = 1 + (Date.now() % 1_000_000) * 100;
  // The first answer reads the values and the neighbours (kept per import): not part of the figure.
  const first = (await timed(appUrl + path(PERMUTATIONS, base))).body as {
    areas: { code: string; value: number | null; neighbours: string[] }[];
  };
  const app: number[] = [];
  const ref: number[] = [];
  for (let i = 1; i <= runs; i++) {
    app.push((await timed(appUrl + path(PERMUTATIONS, base + i))).ms);
    ref.push((await timed(appUrl + path(0, base + i))).ms);
  }
  const values = first.areas.map((a) => ({ code: a.code, value: a.value }));
  const touches = new Map(first.areas.map((a) => [a.code, a.neighbours]));
  const pure: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    lisa(values, touches, { permutations: PERMUTATIONS, seed: base + i, alpha: 0.05, fdr: false });
    pure.push(performance.now() - start);
  }
  const result: LisaBench = {
    indicator,
    areas: first.areas.length,
    permutations: PERMUTATIONS,
    runs,
    appMs: median(app),
    refMs: median(ref),
    pureMs: median(pure),
    example: path(PERMUTATIONS, base + 1),
    refExample: path(0, base + 1),
  };
  log(
    `LISA, ${result.areas} quarters, ${PERMUTATIONS} permutations: ${result.appMs.toFixed(1)} ms per answer built, ` +
      `without permutations ${result.refMs.toFixed(1)} ms, lisa() alone ${result.pureMs.toFixed(1)} ms (medians of ${runs})`,
  );
  return result;
}
