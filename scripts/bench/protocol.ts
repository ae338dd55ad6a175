import type { LoadStats } from './stats.ts';

/** What scripts/bench.ts and its server process (scripts/bench/server-child.ts) say to each other over IPC. */

export interface ChildOptions {
  engine: 'postgres' | 'pglite';
  /** PostgreSQL: the database with the package imported. */
  databaseUrl?: string;
  /** PGlite: the data folder; made and imported into when `importPackage` is set. */
  dataDir?: string;
  geodataDir: string;
  /** PGlite: migrate and import the package (timed) before serving. */
  importPackage?: boolean;
}

export interface ChildReady {
  /** The app as `npm start` serves it. */
  appUrl: string;
  /** Bare Hono: /bytes/:name (registered bodies) and /static/* (the basemap folder through serveStatic). */
  refUrl: string;
  /** Opening the database (PGlite: creating its folder, starting the engine). */
  openMs: number;
  /** PGlite: the import, when asked for. */
  importMs?: number;
  importCounts?: Record<string, number>;
}

export interface Workload {
  /** e.g. "PostgreSQL 15.18 (Debian …), PostGIS 3.3.2" */
  engineVersion: string;
  /** Points at addresses spread over the city: [lon, lat]. */
  points: [number, number][];
  /** Streets with many addresses: name and one house number. */
  streets: { street: string; number: string }[];
  offerNames: string[];
  areaNames: string[];
  /** Basemap tiles in the package, as z/x/y. */
  tiles: string[];
}

export type Request =
  | { type: 'workload' }
  /** Fetches `path` from the app with `headers` and serves the bytes as they came at /bytes/`name`. */
  | { type: 'mirror'; name: string; path: string; headers: Record<string, string> }
  /** Runs `sql` with each parameter list in turn through the app's own database handle, `concurrency` at once. */
  | { type: 'sql'; sql: string; params: unknown[][]; concurrency: number; amount: number; maxSeconds: number }
  /** Starts the front-end reference server: the bare MapLibre page at /bench/, everything else to the app. */
  | { type: 'frontend'; page: string }
  | { type: 'explain'; sql: string; params: unknown[] }
  /** process.cpuUsage() of the server process, user + system, µs. */
  | { type: 'cpu' }
  | { type: 'stop' };

export type Reply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string }
  | { id: 0; ready: ChildReady }
  | { id: 0; failed: string };

export type SqlResult = LoadStats;
