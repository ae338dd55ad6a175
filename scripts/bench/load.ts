import autocannon from 'autocannon';
import { type LoadStats, summarize } from './stats.ts';

/**
 * One bounded load run with autocannon on loopback: at most `amount` requests and `maxSeconds` of wall time,
 * whichever comes first. The path changes per request, round robin over `paths` (shared by all connections).
 * Latencies are taken from every answer at full precision (autocannon's own histogram keeps whole ms), and the
 * time from the start to the last answer (autocannon ends a run only on its next one-second tick).
 */
export interface LoadSpec {
  /** The server's origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  paths: readonly string[];
  connections: number;
  amount: number;
  maxSeconds: number;
  headers?: Record<string, string>;
  /** The status every answer should have; others count as errors. Default 200. */
  status?: number;
}

export const BROWSER_HEADERS = { 'accept-encoding': 'br, gzip, deflate', accept: 'application/json, */*' };

export function runLoad(spec: LoadSpec): Promise<LoadStats> {
  const expected = spec.status ?? 200;
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  let next = 0;
  let last = 0;
  const paths = spec.paths;
  if (paths.length === 0) throw new Error('runLoad: no paths');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: spec.origin,
        connections: Math.min(spec.connections, spec.amount),
        amount: spec.amount,
        timeout: 30,
        headers: spec.headers ?? BROWSER_HEADERS,
        requests: [
          {
            setupRequest: (req) => {
              const path = paths[next++ % paths.length] as string;
              return { ...req, path };
            },
          },
        ],
      },
      (err) => {
        clearTimeout(timer);
        if (err) return reject(err);
        resolve(summarize(latencies, errors, ((last || performance.now()) - started) / 1000, bytes));
      },
    );
    const timer = setTimeout(() => instance.stop(), spec.maxSeconds * 1000);
    instance.on('response', (_client, status, resBytes, ms) => {
      last = performance.now();
      if (status === expected) {
        latencies.push(ms);
        bytes += resBytes;
      } else errors++;
    });
    instance.on('reqError', () => {
      errors++;
    });
  });
}
