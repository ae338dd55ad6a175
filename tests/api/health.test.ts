import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { engines, freshDb, packageEngines, realDb } from '../support/db.ts';

describe.each(engines)('health and readiness without data on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  beforeAll(async () => {
    db = await freshDb(engine);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('answers /health with 200 and status ok', async () => {
    const res = await createApp({ db, env: readEnv({}) }).request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /ready with 503 and status no-data before any import', async () => {
    const res = await createApp({ db, env: readEnv({}) }).request('/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'no-data', engine });
  });
});

describe.each(packageEngines)('readiness with the real data package on %s', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await realDb(engine);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('answers /ready with 200 and the data version of the last import', async () => {
    const res = await createApp({ db, env: readEnv({}) }).request('/ready');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; engine: string; dataVersion: string };
    expect(body).toMatchObject({ status: 'ready', engine });
    expect(body.dataVersion).toMatch(/^\d+-[0-9a-f]{12}$/);
  });
});
