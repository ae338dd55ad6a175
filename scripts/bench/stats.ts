/** Small statistics over latencies (milliseconds) and repeated measurements. */

/** The q-quantile (0..1) of `values` by linear interpolation between closest ranks; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

/** Throughput and latency of one load run. */
export interface LoadStats {
  /** Answers with the expected status per second of wall time. */
  rps: number;
  p50: number;
  p99: number;
  /** Answers counted (expected status). */
  requests: number;
  /** Answers with another status, connection errors and timeouts. */
  errors: number;
  /** Wall time of the run in seconds. */
  seconds: number;
  /** Mean size of an answer on the wire (headers and body), in bytes. */
  bytes: number;
  /**
   * CPU time of the server process per answer (user + system, µs): unlike req/s it hardly depends on what else
   * the machine is doing. Not measured for the SQL reference.
   */
  cpuUs?: number;
}

export function summarize(latencies: readonly number[], errors: number, seconds: number, bytes: number): LoadStats {
  return {
    rps: seconds > 0 ? latencies.length / seconds : 0,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    requests: latencies.length,
    errors,
    seconds,
    bytes: latencies.length ? bytes / latencies.length : 0,
  };
}

/** The run whose req/s is the median of several (with an even count, the lower middle one). */
export function medianRun(runs: readonly LoadStats[]): LoadStats {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const run = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!run) throw new Error('medianRun of no runs');
  return run;
}
