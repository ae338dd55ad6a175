import type { Measured } from './api-bench.ts';
import type { LoadStats } from './stats.ts';

/**
 * What BENCHMARKS.md says under "Misses". The explanation of a miss is built from the figures of the run that
 * missed (`measured*` below: the margin, what was measured, what the run shows beside it); nothing in it is fixed
 * wording. `TRIED` holds, apart and marked as such, what was changed or tried before for a row and is still true
 * of the code; keep it so, or delete the line.
 */

const int = (x: number) => Math.round(x).toLocaleString('en');
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const bytes = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} KB` : `${int(x)} B`);

/** A route measured side by side with a bare reference, judged by CPU per answer. */
export function measuredCpu(m: Measured, goal: number, refName: string): string[] {
  const lines: string[] = [];
  const c = m.cpu;
  if (!c || c.ref === null || c.ratio === null) return ['No CPU figure of the reference in this run.'];
  const limit = goal * c.ref;
  lines.push(
    `CPU per answer, the median of ${m.cpuRuns.app.length} run(s) each: the app ${int(c.app)} µs, ${refName} ${int(c.ref)} µs ` +
      `(${c.ratio.toFixed(2)}×). The goal allows ${int(limit)} µs; the app spends ${int(c.app - limit)} µs more ` +
      `(${pct(c.app / limit - 1)} over), ${int(c.app - c.ref)} µs per answer more than the reference in all.`,
  );
  const spread = (runs: { cpuUs: number; answers: number }[]) => {
    const per = runs.filter((r) => r.answers > 0).map((r) => r.cpuUs / r.answers);
    return per.length ? `${int(Math.min(...per))}–${int(Math.max(...per))} µs` : '–';
  };
  lines.push(`Across the runs: the app ${spread(m.cpuRuns.app)}, the reference ${spread(m.cpuRuns.ref)} per answer.`);
  if (m.ref) lines.push(secondary(m.app, m.ref));
  if (m.same)
    lines.push(
      m.same.body && m.same.headersDiffer.length === 0
        ? `Both sent the same body and the same ${m.same.headers.length} headers (compared after the run), so the ` +
            'difference is the work of the app per request: middleware, router, validation and the cache lookup.'
        : `The answers differed (body ${m.same.body ? 'same' : 'different'}; headers ${m.same.headersDiffer.join(', ') || 'same'}): the comparison is not like for like.`,
    );
  return lines;
}

/** Req/s, latency and bytes of the median runs: the secondary figures, for the explanation. */
export function secondary(app: LoadStats, ref: LoadStats): string {
  return (
    `Secondary, from the runs with the median req/s: ${int(app.rps)} against ${int(ref.rps)} req/s ` +
    `(${(app.rps / ref.rps).toFixed(2)}×), p50 ${app.p50.toFixed(2)} against ${ref.p50.toFixed(2)} ms, ` +
    `${bytes(app.bytes)} against ${bytes(ref.bytes)} per answer on the wire.`
  );
}

/** PGlite's CPU per answer on a cached route against PostgreSQL's. */
export function measuredParity(route: string, lite: Measured, pg: Measured, goal: number): string[] {
  const a = lite.cpu?.app;
  const b = pg.cpu?.app;
  if (a === undefined || b === undefined) return ['One of the engines has no CPU figure in this run.'];
  const lines = [
    `${route}: PGlite ${int(a)} µs, PostgreSQL ${int(b)} µs of CPU per answer (${(a / b).toFixed(2)}×; within ` +
      `${pct(goal)} means ${int(b * (1 - goal))}–${int(b * (1 + goal))} µs).`,
  ];
  const refs = [lite.cpu?.ref, pg.cpu?.ref];
  if (refs[0] && refs[1])
    lines.push(
      `The bare reference in the same two processes: ${int(refs[0])} µs (PGlite run) and ${int(refs[1])} µs ` +
        `(PostgreSQL run), ${(refs[0] / refs[1]).toFixed(2)}×: ${
          Math.abs(refs[0] / refs[1] - 1) > goal
            ? 'the process itself costs differently with PGlite loaded, not the route'
            : 'the processes cost alike, so the difference lies in the route'
        }.`,
    );
  return lines;
}

/** Nearest: the HTTP route against its SQL alone. */
export function measuredNearest(m: Measured, limit: number, indexes: string): string[] {
  const lines = [
    `p50 of the route ${m.app.p50.toFixed(2)} ms against ${limit.toFixed(2)} ms allowed ` +
      `(${(m.app.p50 - limit).toFixed(2)} ms over); the SQL alone ${m.ref ? m.ref.p50.toFixed(2) : '?'} ms p50 at the same concurrency.`,
  ];
  if (m.cpu) lines.push(`The server process spent ${int(m.cpu.app)} µs of CPU per answer of the route.`);
  lines.push(`The query plan uses: ${indexes}.`);
  return lines;
}

export function measuredSearch(m: Measured): string[] {
  const lines = [
    `p99 ${m.app.p99.toFixed(2)} ms against 50 ms, p50 ${m.app.p50.toFixed(2)} ms, over ${m.paths} typed prefixes at ` +
      `${m.connections} clients, ${int(m.app.rps)} req/s.`,
  ];
  if (m.cpu) lines.push(`CPU per answer: ${int(m.cpu.app)} µs.`);
  return lines;
}

export function measuredTiles(m: Measured, goal: number): string[] {
  const lines =
    m.cpu?.ratio != null
      ? [
          `CPU per answer: the app ${int(m.cpu.app)} µs, serveStatic ${int(m.cpu.ref ?? 0)} µs ` +
            `(${m.cpu.ratio.toFixed(2)}× against ${goal}×), the median of ${m.cpuRuns.app.length} run(s) each.`,
        ]
      : ['No CPU figure of the reference in this run.'];
  if (m.ref) lines.push(secondary(m.app, m.ref));
  return lines;
}

/** The import's steps by time, largest first, from its own step lines. */
export function measuredImport(steps: string[], importMs: number, copyMs: number, goal: number): string[] {
  const timed = steps
    .map((line) => {
      const m = line.match(/^\[import\] (.+?)(?::\s*[\d,]+)? \(([\d.]+) s\)$/);
      return m ? { name: m[1] as string, s: Number(m[2]) } : null;
    })
    .filter((x): x is { name: string; s: number } => x !== null)
    .sort((a, b) => b.s - a.s)
    .slice(0, 4);
  return [
    `${(importMs / 1000).toFixed(1)} s against ${((goal * copyMs) / 1000).toFixed(1)} s allowed (${goal}× the ` +
      `${(copyMs / 1000).toFixed(1)} s of \\copy and index builds). The largest steps of this run: ` +
      `${timed.map((t) => `${t.name} ${t.s.toFixed(1)} s`).join('; ')}.`,
  ];
}

/**
 * What was changed or tried before, per row, still true of the code. Shown after the measured explanation,
 * as a line of its own starting with "Tried".
 */
export const TRIED: Record<string, string> = {
  areas:
    'The quarters are built once per import and kept precompressed (`cachedJson`, server/http/representation.ts); ' +
    'the body limit passes GET and HEAD unchecked, so @hono/node-server does not build a full Request per answer.',
  values:
    'The answer is built, hashed and compressed once per query and import; a URL answered before is answered in ' +
    'front of the router and the middleware, with the security headers in its header record (`answerFromMemory`).',
  tiles:
    'Not changed on purpose: the app answers with the tiles’ gzip form, as a browser asks for it; dropping gzip ' +
    'would win this benchmark and cost real clients twice the bytes.',
  import:
    'The address b-tree indexes are built once after the load and the assignment instead of row by row; the ' +
    'assignment runs polygon by polygon over prepared geometries.',
};

/** What the code does to be fast, as it stands (not figures). */
export const FAST_PATHS = [
  '- Answers that change only on import are built once per data version and query and kept with their gzip and ' +
    'brotli forms, ETag and 304 (`cachedJson`, server/http/representation.ts): areas and one area, profiles, the ' +
    'catalogue and the values of an indicator, gaps and the education chain, offer categories, lists and single ' +
    'offers, sources, and search answers (lists and search in an LRU of their own, the 2,048 most recent). ' +
    'What still reaches the database per request, and why, is listed at the head of that file.',
  '- A URL answered from memory before is answered again in front of the app (`answerFromMemory`): no router, ' +
    'middleware, validation or handler; the answer is a Response with its headers (security headers included) as ' +
    'a record, which @hono/node-server writes without building a Headers object.',
  '- The body limit passes GET and HEAD unchecked: asking a GET for its body made @hono/node-server build a full ' +
    'Request per answer.',
  '- The import builds the address b-tree indexes after the load.',
  '- The spatial indexes are used (Plans above; tests/api/offers.test.ts and search.test.ts assert the plans), and no ' +
    'answer runs a query per feature.',
  '- Basemap tiles and the web app’s files are served from memory with their compressed forms (server/routes/tiles.ts).',
].join('\n');
