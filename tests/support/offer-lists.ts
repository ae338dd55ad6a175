import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { type AppType, createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { createToken } from '../../server/db/queries/tokens.ts';
import { readEnv } from '../../server/env.ts';
import { type Engine, freshDb } from './db.ts';
import { setUp } from './set-up.ts';

const MINI = join(import.meta.dirname, '../fixtures/mini-city');
const LISTS = join(import.meta.dirname, '../fixtures/offer-lists');
/** The README's example list (tests/fixtures/offer-lists): youth clubs, one of them at an address to be fixed. */
export const LIST_CSV = readFileSync(join(LISTS, 'youth-clubs.csv'));
export const LIST_META = JSON.parse(readFileSync(join(LISTS, 'youth-clubs.meta.json'), 'utf8'));

export interface OfferListCity {
  readonly db: Db;
  readonly app: AppType;
  /** An editor's token. */
  readonly editor: string;
  /** The uploads folder (UPLOADS_DIR). */
  readonly uploads: string;
  /** POSTs a list to /api/offer-lists (`query` e.g. '?dry_run=1'), as the editor unless another token is given. */
  upload(meta: object, csv?: Uint8Array | string, query?: string, token?: string | null): Promise<Response>;
}

/**
 * The mini city on a fresh database, with an editor's token and an uploads folder of its own, for a test file's
 * `describe` on offer lists: set up before its tests, dropped and removed after them.
 */
export function useOfferListCity(engine: Engine): OfferListCity {
  let db: (Db & { drop(): Promise<void> }) | undefined;
  let app: AppType | undefined;
  let editor: string | undefined;
  const uploads = mkdtempSync(join(tmpdir(), 'atlas-lists-'));
  beforeAll(async () => {
    db = await freshDb(engine);
    await runImport(db, { dir: MINI, log: () => {} });
    editor = await createToken(db, 'jugendamt', 'editor');
    app = createApp({ db, env: readEnv({ UPLOADS_DIR: uploads }) });
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(uploads, { recursive: true, force: true });
  });
  const city: OfferListCity = {
    get db() {
      return setUp('useOfferListCity', db);
    },
    get app() {
      return setUp('useOfferListCity', app);
    },
    get editor() {
      return setUp('useOfferListCity', editor);
    },
    uploads,
    async upload(meta, csv = LIST_CSV, query = '', token = city.editor) {
      const form = new FormData();
      const bytes = typeof csv === 'string' ? csv : new Uint8Array(csv);
      form.set('file', new File([bytes], 'list.csv', { type: 'text/csv' }));
      form.set('meta', JSON.stringify(meta));
      return city.app.request(`/api/offer-lists${query}`, {
        method: 'POST',
        body: form,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    },
  };
  return city;
}
