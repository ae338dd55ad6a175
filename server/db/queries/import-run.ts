/** The import log (app.import_run) as the API reads it: which data is live. */
import type { Queryable } from '../index.ts';

export interface LoadedRun {
  id: number;
  package_sha256: string;
  city: string | null;
}

/** The last import run that loaded, or null before the first one. */
export async function readLastLoadedRun(db: Queryable): Promise<LoadedRun | null> {
  const [row] = await db.query<LoadedRun>(
    "SELECT id, package_sha256, city FROM app.import_run WHERE status = 'loaded' ORDER BY id DESC LIMIT 1",
  );
  return row ?? null;
}
