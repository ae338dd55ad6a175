import type { Db } from './db/index.ts';
import type { Env } from './env.ts';

/** What the app and every route are built from: the database and the validated settings. */
export interface AppDeps {
  db: Db;
  env: Env;
}
