import { afterAll, beforeAll, expect } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { closeBrowser, ensureWebBuild } from './browser.ts';
import { type Engine, realDb } from './db.ts';
import { setUp } from './set-up.ts';

/**
 * The app for a browser test file: the web build, and a server on the real package's database, started before the
 * file's tests and stopped with the browser after them. PostgreSQL is shared by the files and only read; a file
 * that writes takes PGlite, a private copy. Call it at the top of the file's `describe`, before hooks that use it.
 */
export interface AppServer {
  readonly url: string;
  readonly db: Db;
  /** GET `path` from the server; the answer must be 200. */
  api<T>(path: string): Promise<T>;
}

export function useAppServer(options: { engine?: Engine; env?: () => Record<string, string> } = {}): AppServer {
  let db: Db | undefined;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    await ensureWebBuild();
    db = await realDb(options.engine ?? 'postgres');
    server = await startServer({ db, env: readEnv(options.env?.() ?? {}) }, 0, '127.0.0.1');
  });

  afterAll(async () => {
    await closeBrowser();
    await server?.close();
    await db?.close();
  });

  return {
    get url() {
      return setUp('useAppServer', server).url;
    },
    get db() {
      return setUp('useAppServer', db);
    },
    async api<T>(path: string): Promise<T> {
      const res = await fetch(`${setUp('useAppServer', server).url}${path}`);
      expect(res.status, path).toBe(200);
      return (await res.json()) as T;
    },
  };
}
