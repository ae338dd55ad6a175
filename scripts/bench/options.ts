import { resolve } from 'node:path';
import { readEnv } from '../../server/env.ts';
import type { LoadPlan } from './api-bench.ts';

/**
 * `npm run bench -- [options]`
 *   --engines postgres,pglite   which engines (default both)
 *   --geodata DIR               the data package (default GEODATA_DIR, else ../shared/geodata)
 *   --database-url URL          an existing PostgreSQL + PostGIS to create the bench databases on, instead of a
 *                               throw-away cluster of its own (the smoke test passes the test cluster)
 *   --out FILE                  the report (default BENCHMARKS.md); --json FILE also writes the raw results
 *   --amount N --seconds S --rounds R --connections C   load per run (default 20000 requests / 3 s / 5 / 50)
 *   --frontend-runs N           Chromium runs of each page (default 5; 0 skips the front end)
 *   --indicator ID              the indicator whose values are loaded (default: the planner's default)
 *   --smoke                     a short run: 300 requests / 2 s, 1 round, 1 front-end run
 *   --render FILE.json          no run: writes the report again from the results a run saved with --json
 */
export interface BenchOptions {
  command: string;
  engines: ('postgres' | 'pglite')[];
  geodataDir: string;
  databaseUrl?: string;
  out: string;
  json?: string;
  plan: LoadPlan;
  frontendRuns: number;
  indicator?: string;
  smoke: boolean;
  render?: string;
}

export function parseOptions(argv: string[]): BenchOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new Error(`bench: unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'smoke') {
      flags.set(name, 'true');
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`bench: --${name} needs a value`);
    flags.set(name, value);
  }
  const known = ['engines', 'geodata', 'database-url', 'out', 'json', 'amount', 'seconds', 'rounds', 'connections'];
  for (const name of flags.keys())
    if (![...known, 'frontend-runs', 'indicator', 'smoke', 'render'].includes(name))
      throw new Error(`bench: unknown option --${name}`);
  const smoke = flags.has('smoke');
  const num = (name: string, fallback: number) => {
    const text = flags.get(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) throw new Error(`bench: --${name} must be a number, got ${text}`);
    return n;
  };
  const engines = (flags.get('engines') ?? 'postgres,pglite').split(',').map((e) => e.trim());
  for (const e of engines)
    if (e !== 'postgres' && e !== 'pglite') throw new Error(`bench: --engines takes postgres and pglite, got ${e}`);
  return {
    command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
    engines: engines as BenchOptions['engines'],
    geodataDir: resolve(flags.get('geodata') ?? readEnv().GEODATA_DIR),
    databaseUrl: flags.get('database-url'),
    out: flags.get('out') ?? 'BENCHMARKS.md',
    json: flags.get('json'),
    plan: {
      amount: num('amount', smoke ? 300 : 20_000),
      maxSeconds: num('seconds', smoke ? 2 : 3),
      rounds: Math.max(1, num('rounds', smoke ? 1 : 5)),
      connections: Math.max(1, num('connections', smoke ? 10 : 50)),
    },
    frontendRuns: num('frontend-runs', smoke ? 1 : 5),
    indicator: flags.get('indicator'),
    smoke,
    render: flags.get('render'),
  };
}
