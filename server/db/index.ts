import { mkdirSync } from 'node:fs';
import pg from 'pg';

/** One query interface over real PostgreSQL (pg) and the embedded engine (PGlite + PostGIS). */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly engine: 'postgres' | 'pglite';
  /**
   * Runs fn in one transaction; it commits when fn resolves and rolls back when it throws. `long` lifts the
   * statement and query timeouts that protect the API, for work that is long by design (the import).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, opts?: { long?: boolean }): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir?: string;
  statementTimeoutMs?: number;
}

export async function openDb(opts: OpenOptions): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.statementTimeoutMs) : openPglite(opts.dataDir);
}

// pg returns int8 and numeric as strings; the atlas has no values beyond 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

async function openPostgres(url: string, statementTimeoutMs = 10_000): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 8,
    connectionTimeoutMillis: 2_000,
    statement_timeout: statementTimeoutMs,
    // The client gives up on a query the server cannot cancel itself (a host gone without closing the socket).
    query_timeout: statementTimeoutMs + 5_000,
    idle_in_transaction_session_timeout: statementTimeoutMs * 6,
    keepAlive: true,
  });
  // An idle client whose server went away emits 'error'; without a listener the process would exit. The pool
  // drops that client and connects anew on the next query, so the server recovers when the database returns.
  pool.on('error', () => {});
  return {
    engine: 'postgres',
    async query(sql, params) {
      return (await pool.query(sql, params as unknown[])).rows;
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn, opts) {
      const client = await pool.connect();
      // A checked-out client has no pool listener: a server going away between two queries would emit an
      // unhandled 'error' and end the process. The failed query rejects by itself; the client is then dropped.
      let broken: Error | undefined;
      const onError = (err: Error) => {
        broken = err;
      };
      client.on('error', onError);
      try {
        await client.query(opts?.long ? 'BEGIN; SET LOCAL statement_timeout = 0' : 'BEGIN');
        // pg takes a query_timeout of 0 as "the pool's default", so a long transaction gets a day.
        const timeout = opts?.long ? { query_timeout: 86_400_000 } : {};
        const result = await fn({
          query: async (sql, params) =>
            (await client.query({ text: sql, values: params as unknown[], ...timeout })).rows,
          exec: async (sql) => {
            await client.query({ text: sql, ...timeout });
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (!broken) await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

async function openPglite(dataDir?: string): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, extensions: { postgis, pg_trgm } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  // PGlite answers one statement at a time; a transaction holds it until it ends.
  return {
    engine: 'pglite',
    async query(sql, params) {
      return (await db.query(sql, params as unknown[])).rows as never;
    },
    async exec(sql) {
      await db.exec(sql);
    },
    async transaction(fn) {
      return db.transaction((tx) =>
        fn({
          query: async (sql, params) => (await tx.query(sql, params as unknown[])).rows as never,
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      );
    },
    async close() {
      await db.close();
    },
  };
}
