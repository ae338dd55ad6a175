import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Db, openDb } from '../../server/db/index.ts';
import { createToken, findToken, hashToken, revokeToken } from '../../server/db/queries/tokens.ts';
import { authenticate, requireRole } from '../../server/http/auth.ts';
import { ProblemError, problemResponse } from '../../server/http/problem.ts';
import { archiveOriginal, archiveRecord, readArchive, readOriginal } from '../../server/uploads/archive.ts';
import { nextVersion, readAudit, readTable, rollbackTo, storeVersion } from '../../server/uploads/versions.ts';
import { engines, freshDb } from '../support/db.ts';

/** Issue 15's primitives on both engines: tokens (hash only), roles, versions with rollback, the audit log, the archive. */
describe.each(engines)('upload primitives on %s', (engine) => {
  let db: Db & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await freshDb(engine);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('stores only a hash of a token, finds its holder, and forgets it when revoked', async () => {
    const token = await createToken(db, 'statistik', 'editor');
    expect(token).toMatch(/^qa_[A-Za-z0-9_-]{43}$/);
    const stored = await db.query<{ hash: string }>("SELECT * FROM app.token WHERE name = 'statistik'");
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored[0]?.hash).toBe(hashToken(token));
    expect(await findToken(db, token)).toEqual({ name: 'statistik', role: 'editor' });
    await expect(createToken(db, 'statistik', 'admin')).rejects.toThrow(/exists already/);
    expect(await revokeToken(db, 'statistik')).toBe(true);
    expect(await findToken(db, token)).toBeNull();
    expect(await revokeToken(db, 'statistik')).toBe(false);
  });

  it('answers a write without a token 401, with a bad token 401, with too low a role 403, all problem+json', async () => {
    const editor = await createToken(db, 'ed', 'editor');
    const admin = await createToken(db, 'ad', 'admin');
    const app = new Hono()
      .use('*', authenticate(db))
      .post('/edit', requireRole('editor'), (c) => c.json({ who: c.get('principal')?.name }))
      .post('/admin', requireRole('admin'), (c) => c.json({ ok: true }));
    app.onError((err, c) =>
      err instanceof ProblemError ? problemResponse(c, err.problem, err.headers) : c.text('x', 500),
    );
    const post = (path: string, token?: string) =>
      app.request(path, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
    for (const [path, token, status] of [
      ['/edit', undefined, 401],
      ['/edit', 'qa_wrong', 401],
      ['/edit', `qa_${'A'.repeat(43)}`, 401],
      ['/admin', editor, 403],
      ['/edit', editor, 200],
      ['/edit', admin, 200],
      ['/admin', admin, 200],
    ] as const) {
      const res = await post(path, token);
      expect(res.status, `${path} ${token}`).toBe(status);
      if (status !== 200) {
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(((await res.json()) as { status: number }).status).toBe(status);
      } else expect(res.headers.get('cache-control')).toBe('private, no-store');
    }
  });

  it('keeps every version, rolls back, and logs who did what', async () => {
    const store = async (n: number) =>
      db.transaction(async (tx) => {
        const version = await storeVersion(tx, 'indicators', {
          tableId: 'demo',
          sha256: `sum${n}`,
          fileName: `demo${n}.csv`,
          meta: { n },
          content: { rows: [n] },
          summary: { rows: 1 },
          actor: 'ed',
        });
        return version;
      });
    expect(await store(1)).toBe(1);
    expect(await store(2)).toBe(2);
    await expect(db.transaction((tx) => nextVersion(tx, 'demo', 'offers'))).rejects.toThrow(/holds indicators/);
    expect(await db.transaction((tx) => rollbackTo(tx, 'demo', 1, 'ad'))).toBe(true);
    expect(await db.transaction((tx) => rollbackTo(tx, 'demo', 9, 'ad'))).toBe(false);
    const table = await readTable(db, 'demo');
    expect(table?.current_version).toBe(1);
    expect(table?.versions_list.map((v) => [v.version, v.current])).toEqual([
      [2, false],
      [1, true],
    ]);
    const log = (await readAudit(db, 'demo')).map((a) => [a.actor, a.action, a.version]);
    expect(log).toEqual([
      ['ad', 'rollback', 1],
      ['ed', 'replace', 2],
      ['ed', 'upload', 1],
    ]);
  });
});

describe('the archive of originals', () => {
  it('keeps each original once by checksum, its records in order, and refuses a changed file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-archive-'));
    try {
      const bytes = new TextEncoder().encode('level;code\nquarter;010\n');
      const a = archiveOriginal(dir, 'Tabelle 1.CSV', bytes);
      expect(archiveOriginal(dir, 'copy.csv', bytes).sha256).toBe(a.sha256);
      expect(a.file).toBe(`originals/${a.sha256}.csv`);
      const base = {
        kind: 'indicators',
        tableId: 't',
        fileName: 'Tabelle 1.CSV',
        meta: {},
        options: {},
        createdBy: 'ed',
      };
      archiveRecord(dir, { ...base, ...a, version: 2, createdAt: '2026-12-07T12:00:01.000Z', action: 'upload' });
      archiveRecord(dir, { ...base, ...a, version: 1, createdAt: '2026-12-07T12:00:00.000Z', action: 'upload' });
      const records = readArchive(dir);
      expect(records.map((r) => r.version)).toEqual([1, 2]);
      const [first] = records;
      if (!first) throw new Error('no record read back');
      expect(readOriginal(dir, first)).toEqual(bytes);
      expect(() => readOriginal(dir, { ...first, sha256: 'other' })).toThrow(/checksum/);
      expect(readdirSync(join(dir, 'originals')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(engines.filter((e) => e === 'pglite'))('npm run token on %s', () => {
  it('prints the token once on its last line, stores its hash and revokes it by name', async () => {
    // The embedded engine's folder is held by one process: the command runs while no server holds it (README).
    const dir = mkdtempSync(join(tmpdir(), 'atlas-token-'));
    cpSync(inject('pgliteEmptyDir'), dir, { recursive: true });
    const run = (...args: string[]) =>
      execFileSync('node_modules/.bin/tsx', ['scripts/token.ts', ...args], {
        env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir },
        encoding: 'utf8',
      });
    try {
      const out = run('create', '--role', 'admin', '--name', 'lead').trim().split('\n');
      const token = out[out.length - 1] ?? '';
      expect(token).toMatch(/^qa_[A-Za-z0-9_-]{43}$/);
      expect(run('revoke', 'lead')).toMatch(/revoked/);
      const db = await openDb({ dataDir: dir });
      try {
        const rows = await db.query<{ hash: string; revoked: boolean }>(
          "SELECT hash, revoked_at IS NOT NULL AS revoked FROM app.token WHERE name = 'lead'",
        );
        expect(rows).toEqual([{ hash: hashToken(token), revoked: true }]);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
