import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { loadManifest } from '../../geodata/manifest.ts';
import { loadPackageTables } from '../../geodata/package-tables.ts';
import { createApp } from '../../server/app.ts';
import { dumpAppData, restoreAppData } from '../../server/db/backup.ts';
import type { Db } from '../../server/db/index.ts';
import { createToken, revokeToken } from '../../server/db/queries/tokens.ts';
import { readEnv } from '../../server/env.ts';
import { readArchive, sha256 } from '../../server/uploads/archive.ts';
import { replayArchive } from '../../server/uploads/indicator-tables.ts';
import { engines, freshDb, packageEngines, realDb } from '../support/db.ts';

/**
 * Issue 15 on the mini city, on both engines: tables uploaded through POST /api/tables (long and wide form, CSV and
 * XLSX), every validation finding, versions, comparison, rollback, the audit log, the archive, a re-import that
 * keeps the uploads, and internal indicators absent from every anonymous answer.
 */

const MINI = join(import.meta.dirname, '../fixtures/mini-city');
const TABLES = join(import.meta.dirname, '../fixtures/tables');
const fixture = (name: string) => readFileSync(join(TABLES, name));
const META = JSON.parse(readFileSync(join(TABLES, 'sgb2-meta.json'), 'utf8'));
const WELFARE_META = JSON.parse(readFileSync(join(TABLES, 'welfare-meta.json'), 'utf8'));

type Finding = { row: number | null; column: string | null; reason: string; severity: string };

describe.each(engines)('uploaded tables on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let app: ReturnType<typeof createApp>;
  let uploads: string;
  let editor: string;
  let admin: string;

  const auth = (token: string | undefined): Record<string, string> =>
    token ? { authorization: `Bearer ${token}` } : {};
  const upload = async (
    file: Uint8Array | Buffer,
    name: string,
    meta: unknown,
    opts: { token?: string; dryRun?: boolean; fields?: Record<string, string> } = {},
  ) => {
    const form = new FormData();
    form.set('file', new File([new Uint8Array(file)], name));
    form.set('meta', typeof meta === 'string' ? meta : JSON.stringify(meta));
    for (const [k, v] of Object.entries(opts.fields ?? {})) form.set(k, v);
    const res = await app.request(`/api/tables${opts.dryRun ? '?dry_run=1' : ''}`, {
      method: 'POST',
      body: form,
      headers: auth(opts.token ?? editor),
    });
    return { res, body: (await res.json()) as Record<string, unknown> };
  };
  const get = async (path: string, token?: string) => {
    const res = await app.request(path, { headers: auth(token) });
    return { res, text: await res.text() };
  };

  beforeAll(async () => {
    db = await freshDb(engine);
    await runImport(db, { dir: MINI, log: () => {} });
    uploads = mkdtempSync(join(tmpdir(), 'atlas-uploads-'));
    app = createApp({ db, env: readEnv({ MIN_COUNT: '5', UPLOADS_DIR: uploads }) });
    editor = await createToken(db, 'statistikstelle', 'editor');
    admin = await createToken(db, 'lead', 'admin');
  });
  afterAll(async () => {
    await db?.drop();
    if (uploads) rmSync(uploads, { recursive: true, force: true });
  });

  it('answers writes and the table routes without a token 401, with too low a role 403, both problem+json', async () => {
    const anon = await upload(fixture('sgb2-long.csv'), 'sgb2.csv', META, { token: '' });
    expect(anon.res.status).toBe(401);
    expect(anon.res.headers.get('content-type')).toBe('application/problem+json');
    expect((await get('/api/tables')).res.status).toBe(401);
    expect((await app.request('/api/tables/sgb2_rate/rollback?version=1', { method: 'POST' })).status).toBe(401);
    const audit = await get('/api/audit', editor);
    expect(audit.res.status).toBe(403);
    expect(audit.res.headers.get('content-type')).toBe('application/problem+json');
    const gone = await createToken(db, 'gone', 'editor');
    await revokeToken(db, 'gone');
    expect((await get('/api/tables', gone)).res.status).toBe(401);
  });

  it('reports every finding with row, column and reason, and stores nothing', async () => {
    const { res, body } = await upload(fixture('findings.csv'), 'findings.csv', META, { dryRun: true });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const findings = body.findings as Finding[];
    const at = (row: number) => findings.filter((f) => f.row === row).map((f) => `${f.column}: ${f.reason}`);
    expect(at(2)).toEqual([]);
    expect(at(3)).toEqual([expect.stringMatching(/^code: unknown quarter code "999"/)]);
    // A near miss of a name is refused with the area it probably means.
    expect(at(4)).toEqual([expect.stringMatching(/^name: unknown quarter name "Sudviertl"; did you mean 020/)]);
    expect(at(5)).toEqual([expect.stringMatching(/^value: duplicate: .* already in row 2/)]);
    expect(at(6)).toEqual(['value: "viel" is not a number']);
    expect(at(7)).toEqual([expect.stringMatching(/^value: 130 is out of range for the unit %/)]);
    expect(at(8)).toEqual([expect.stringMatching(/^date: "31.12.2023" is not a date/)]);
    expect(at(9)).toEqual([expect.stringMatching(/^level: "town" is not a level/)]);
    expect(at(10)).toEqual([expect.stringMatching(/^indicator: "unknown_rate" is no indicator of the metadata/)]);
    // An id the package computes itself is refused; the id comes from the package's own catalogue.
    const cat = JSON.parse((await get('/api/indicators')).text) as { indicators: { id: string; method: string }[] };
    const computed = cat.indicators.find((i) => i.method === 'computed')?.id as string;
    expect(computed).toBeTruthy();
    const clash = await upload(
      fixture('sgb2-long.csv'),
      'x.csv',
      { indicators: { [computed]: META.indicators.sgb2_rate } },
      {
        dryRun: true,
      },
    );
    expect(clash.res.status).toBe(422);
    expect(clash.body.findings).toContainEqual(
      expect.objectContaining({
        column: `meta.indicators.${computed}`,
        reason: expect.stringMatching(/clashes with the package's computed/),
      }),
    );
    const bad = await upload(fixture('sgb2-long.csv'), 'x.csv', {
      indicators: { sgb2_rate: { ...META.indicators.sgb2_rate, visibility: 'secret' } },
    });
    expect((bad.body.findings as Finding[])[0]?.column).toBe('meta.indicators.sgb2_rate.visibility');
    expect((await upload(fixture('sgb2-long.csv'), 'x.csv', '{no json')).res.status).toBe(400);
    expect(JSON.parse((await get('/api/tables', editor)).text)).toEqual({ tables: [] });
  });

  it('gives a dry-run report, then stores the long form as version 1 with both dates, newest by default', async () => {
    const dry = await upload(fixture('sgb2-long.csv'), 'sgb2-long.csv', META, { dryRun: true });
    expect(dry.res.status).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, ok: true, table: 'sgb2_rate', form: 'long' });
    expect(dry.body.summary).toMatchObject({ values: 10, dates: ['2022-12-31', '2023-12-31'] });
    expect(dry.body.findings).toEqual([expect.objectContaining({ row: 9, column: 'value', severity: 'warning' })]);
    expect((await get('/api/indicators/sgb2_rate/values')).res.status).toBe(404);

    const { res, body } = await upload(fixture('sgb2-long.csv'), 'sgb2-long.csv', META);
    expect(res.status).toBe(201);
    expect(body).toMatchObject({ table: 'sgb2_rate', version: 1, indicators: ['sgb2_rate'] });
    const cat = JSON.parse((await get('/api/indicators')).text) as {
      indicators: { id: string; method: string; levels: { level: string; dates: string[] }[] }[];
    };
    const sgb2 = cat.indicators.find((i) => i.id === 'sgb2_rate');
    expect(sgb2?.method).toBe('published');
    expect(sgb2?.levels.find((l) => l.level === 'quarter')?.dates).toEqual(['2023-12-31', '2022-12-31']);
    const values = (path: string) =>
      get(path).then(
        (r) =>
          (JSON.parse(r.text) as { values: { code: string; value: number | null; reference_date: string | null }[] })
            .values,
      );
    const newest = await values('/api/indicators/sgb2_rate/values?level=quarter');
    expect(newest.map((v) => [v.code, v.value, v.reference_date])).toEqual([
      ['010', 13.1, '2023-12-31'],
      ['020', 7.9, '2023-12-31'],
      ['030', 16.2, '2023-12-31'],
      ['040', null, '2023-12-31'],
    ]);
    const older = await values('/api/indicators/sgb2_rate/values?level=quarter&date=2022-12-31');
    expect(older.map((v) => v.value)).toEqual([12.5, 8.1, 15, 6.4]);
    // The original is in the archive with its checksum and record.
    const [record] = readArchive(uploads);
    expect(record).toMatchObject({
      tableId: 'sgb2_rate',
      version: 1,
      createdBy: 'statistikstelle',
      fileName: 'sgb2-long.csv',
    });
    expect(record?.sha256).toBe(sha256(fixture('sgb2-long.csv')));
    expect(existsSync(join(uploads, record?.file ?? 'none'))).toBe(true);
  });

  it('gives the change between two dates per area, in percentage points for a share, classed about zero', async () => {
    const { res, text } = await get('/api/indicators/sgb2_rate/change?level=quarter');
    expect(res.status).toBe(200);
    const body = JSON.parse(text);
    expect(body).toMatchObject({ from: '2022-12-31', to: '2023-12-31', dates: ['2022-12-31', '2023-12-31'] });
    expect(body.relative_unit).toBe('percentage-points');
    expect(body.values.map((v: { code: string; absolute: number | null }) => [v.code, v.absolute])).toEqual([
      ['010', 0.6],
      ['020', -0.2],
      ['030', 1.2],
      ['040', null],
    ]);
    const breaks = body.classification.breaks as number[];
    expect(breaks).toHaveLength(5);
    expect(breaks[0]).toBeCloseTo(-(breaks[3] as number));
    const series = JSON.parse((await get('/api/indicators/sgb2_rate/series?level=quarter&code=010')).text);
    expect(series.points).toEqual([
      { date: '2022-12-31', value: 12.5, suppressed: false },
      { date: '2023-12-31', value: 13.1, suppressed: false },
    ]);
    expect((await get('/api/indicators/sgb2_rate/series?level=quarter&code=999')).res.status).toBe(404);
    const bad = await get('/api/indicators/sgb2_rate/change?level=quarter&from=2019');
    expect(bad.res.status).toBe(400);
    expect(JSON.parse(bad.text).param).toBe('from');
  });

  it('reads XLSX: stored formula results, a date column, and refuses merged cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('SGB II');
    ws.addRow(['level', 'code', 'date', 'indicator', 'value']);
    ws.addRow(['quarter', '010', new Date(Date.UTC(2024, 11, 31)), 'sgb2_rate', { formula: '10+3.5', result: 13.5 }]);
    ws.addRow(['quarter', '020', new Date(Date.UTC(2024, 11, 31)), 'sgb2_rate', 7.5]);
    const good = new Uint8Array(await wb.xlsx.writeBuffer());
    const dry = await upload(good, 'sgb2.xlsx', META, { dryRun: true });
    expect(dry.res.status).toBe(200);
    expect(dry.body.summary).toMatchObject({ values: 2, dates: ['2024-12-31'] });
    ws.addRow(['quarter', '030', new Date(Date.UTC(2024, 11, 31)), 'sgb2_rate', 1]);
    ws.addRow(['quarter', '040', new Date(Date.UTC(2024, 11, 31)), 'sgb2_rate', 2]);
    ws.mergeCells('E4:E5');
    const merged = await upload(new Uint8Array(await wb.xlsx.writeBuffer()), 'sgb2.xlsx', META, { dryRun: true });
    expect(merged.res.status).toBe(422);
    expect(merged.body.findings).toContainEqual(
      expect.objectContaining({ row: 5, column: 'value', reason: expect.stringMatching(/merged with E4/) }),
    );
  });

  it('refuses a 20 MB upload with 413 before reading it', async () => {
    const big = new Uint8Array(20 * 1024 * 1024).fill(0x31);
    const { res, body } = await upload(big, 'big.csv', META);
    expect(res.status).toBe(413);
    expect(body.param).toBe('file');
  });

  it('stores the next version, compares two, rolls back, and logs who did what', async () => {
    const text = fixture('sgb2-long.csv')
      .toString('utf8')
      .replace('quarter;010;2023-12-31;sgb2_rate;13,1', 'quarter;010;2023-12-31;sgb2_rate;14');
    const v2 = await upload(Buffer.from(text), 'sgb2-long-v2.csv', META);
    expect(v2.res.status).toBe(201);
    expect(v2.body).toMatchObject({ table: 'sgb2_rate', version: 2 });
    const value010 = async () =>
      (
        JSON.parse((await get('/api/indicators/sgb2_rate/values?level=quarter')).text) as {
          values: { value: number }[];
        }
      ).values[0]?.value;
    expect(await value010()).toBe(14);
    const diff = JSON.parse((await get('/api/tables/sgb2_rate/compare?from=1&to=2', editor)).text);
    expect(diff).toMatchObject({
      added: [],
      removed: [],
      changed: [{ code: '010', date: '2023-12-31', value: 14, before: 13.1 }],
    });
    const back = await app.request('/api/tables/sgb2_rate/rollback?version=1', {
      method: 'POST',
      headers: auth(editor),
    });
    expect(back.status).toBe(200);
    expect(await value010()).toBe(13.1);
    expect(
      (await app.request('/api/tables/sgb2_rate/rollback?version=7', { method: 'POST', headers: auth(editor) })).status,
    ).toBe(404);
    const table = JSON.parse((await get('/api/tables/sgb2_rate', editor)).text);
    expect(table.current_version).toBe(1);
    expect(table.versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
      [2, false],
      [1, true],
    ]);
    const audit = JSON.parse((await get('/api/audit', admin)).text) as {
      audit: { actor: string; action: string; table_id: string; version: number }[];
    };
    expect(audit.audit.filter((a) => a.table_id === 'sgb2_rate').map((a) => [a.actor, a.action, a.version])).toEqual([
      ['statistikstelle', 'rollback', 1],
      ['statistikstelle', 'replace', 2],
      ['statistikstelle', 'upload', 1],
    ]);
  });

  it('never shows an internal indicator to an anonymous request, on any route, and shows it with a token', async () => {
    const wide = await upload(fixture('welfare-wide.csv'), 'welfare-wide.csv', WELFARE_META, {
      fields: { date: '2023' },
    });
    expect(wide.res.status).toBe(201);
    expect(wide.body).toMatchObject({ table: 'welfare', version: 1 });
    expect(wide.body.findings).toContainEqual(
      expect.objectContaining({ row: 3, column: 'welfare_cases', reason: expect.stringMatching(/MIN_COUNT 5/) }),
    );
    // With a token first: the catalogue and values show it, and are neither kept nor served by URL for others.
    const withToken = await get('/api/indicators', editor);
    expect(withToken.text).toContain('welfare_cases');
    expect(withToken.res.headers.get('cache-control')).toBe('private, no-store');
    const values = await get('/api/indicators/welfare_cases/values?level=quarter', editor);
    expect(values.res.status).toBe(200);
    expect(JSON.parse(values.text).values.map((v: { suppressed: boolean }) => v.suppressed)).toEqual([
      false,
      true,
      false,
      false,
    ]);

    const secret = ['welfare_cases', 'Hilfefälle', 'Welfare cases', 'Fallstatistik', 'example.org/intern'];
    const anonymous = [
      '/api/indicators',
      '/api/indicators/welfare_cases/values?level=quarter',
      '/api/indicators/welfare_cases/values?level=quarter&fields=map',
      '/api/areas/quarter/010/profile',
      '/api/areas/district/01/profile',
      '/api/analysis/gaps?need=welfare_cases&supply=single_parent_share',
      '/api/analysis/gaps?need=single_parent_share&supply=welfare_cases',
      '/api/search?q=Hilfef',
      '/api/search?q=welfare',
      '/api/sources',
      '/api/openapi.json',
      '/api/config',
    ];
    for (const path of anonymous)
      for (const round of [1, 2]) {
        const { res, text } = await get(path);
        expect(res.status, path).toBeLessThan(500);
        if (path.includes('welfare_cases')) {
          // A request naming the id gets the very answer an id that never existed gets (the id echoed, nothing more).
          const never = await get(path.replaceAll('welfare_cases', 'never_uploaded'));
          expect(res.status, path).toBe(never.res.status);
          expect(text, path).toBe(never.text.replaceAll('never_uploaded', 'welfare_cases'));
        } else for (const word of secret) expect(text, `${path} (request ${round}) names ${word}`).not.toContain(word);
      }
    expect((await get('/api/indicators/welfare_cases/values?level=quarter')).res.status).toBe(404);
    // The public indicator of the same table is there for everyone.
    expect((await get('/api/indicators')).text).toContain('single_parent_share');
  });

  it('rebuilds from the package and the archive to the same tables (checksums compared)', async () => {
    const sums = async (d: Db) => ({
      versions: await d.query(
        `SELECT table_id, version, sha256, md5(content::text) AS content FROM app.upload_version ORDER BY 1, 2`,
      ),
      current: await d.query('SELECT id, current_version FROM app.upload_table ORDER BY id'),
      values: await d.query(
        `SELECT md5(string_agg(concat_ws('|', indicator_id, level, area_code, reference_date, value, is_latest, basis_count),
                               ',' ORDER BY indicator_id, level, area_code, reference_date)) AS sum, count(*)::int AS n
         FROM atlas.indicator_value WHERE source_id LIKE 'upload:%'`,
      ),
    });
    const other = await freshDb(engine);
    try {
      await runImport(other, { dir: MINI, log: () => {} });
      const done = await replayArchive(other, { uploadsDir: uploads, maxRows: 1000, minCount: 5 }, () => {});
      expect(done).toEqual({ uploads: 3, rollbacks: 1 });
      expect(await sums(other)).toEqual(await sums(db));
    } finally {
      await other.drop();
    }
  });

  it('backs up and restores the app data in a round trip: tokens, tables, versions, audit log', async () => {
    const before = await dumpAppData(db);
    expect(before.tables.upload_version.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(before)).not.toContain(editor);
    // A change after the backup, then the restore: the dump read again is the one written.
    expect((await upload(fixture('sgb2-long.csv'), 'again.csv', META)).res.status).toBe(201);
    await restoreAppData(db, JSON.parse(JSON.stringify(before)));
    const after = await dumpAppData(db);
    expect(after.tables).toEqual(before.tables);
    expect((await get('/api/tables/sgb2_rate', editor)).res.status).toBe(200);
    // The audit log goes on numbering after the restored entries.
    await revokeToken(db, 'lead');
    const [last] = (await dumpAppData(db)).tables.audit_log.slice(-1);
    expect(last?.id).toBe((before.tables.audit_log.at(-1)?.id as number) + 1);
    await restoreAppData(db, before);
  });

  it('keeps every uploaded table and version through a re-import of the package', async () => {
    await runImport(db, { dir: MINI, log: () => {}, force: true });
    const cat = (await get('/api/indicators')).text;
    expect(cat).toContain('sgb2_rate');
    expect(cat).toContain('single_parent_share');
    expect(cat).not.toContain('welfare_cases');
    expect((await get('/api/indicators', editor)).text).toContain('welfare_cases');
    const values = JSON.parse((await get('/api/indicators/sgb2_rate/values?level=quarter&date=2022-12-31')).text);
    expect(values.values.map((v: { value: number }) => v.value)).toEqual([12.5, 8.1, 15, 6.4]);
    expect(JSON.parse((await get('/api/tables/sgb2_rate', editor)).text).versions).toHaveLength(2);
  });
});

describe.each(engines)('tables delivered in the data package on %s', (engine) => {
  it('imports a table folder named in the manifest as a version, again only when it changed, and fails on a bad row naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-pkg-'));
    const db = await freshDb(engine);
    try {
      cpSync(MINI, dir, { recursive: true });
      mkdirSync(join(dir, 'city-tables'));
      cpSync(join(TABLES, 'sgb2-long.csv'), join(dir, 'city-tables/sgb2.csv'));
      cpSync(join(TABLES, 'sgb2-meta.json'), join(dir, 'city-tables/sgb2.meta.json'));
      const manifest = JSON.parse(readFileSync(join(dir, 'quartiersatlas.json'), 'utf8'));
      manifest.tables = [{ file: 'city-tables/sgb2.csv', meta: 'city-tables/sgb2.meta.json' }];
      writeFileSync(join(dir, 'quartiersatlas.json'), JSON.stringify(manifest));
      await runImport(db, { dir, log: () => {} });
      const app = createApp({ db, env: readEnv({ UPLOADS_DIR: join(dir, 'uploads') }) });
      const values = async () =>
        (
          (await (await app.request('/api/indicators/sgb2_rate/values?level=quarter')).json()) as {
            values: { value: number | null }[];
          }
        ).values.map((v) => v.value);
      expect(await values()).toEqual([13.1, 7.9, 16.2, null]);
      const versions = async () =>
        (
          await db.query<{ version: number; created_by: string }>(
            "SELECT version, created_by FROM app.upload_version WHERE table_id = 'sgb2_rate' ORDER BY version",
          )
        ).map((v) => [v.version, v.created_by]);
      expect(await versions()).toEqual([[1, 'data package']]);
      // Run again (as each import does, here without the import around it): an unchanged file adds no version.
      const m = loadManifest(join(dir, 'quartiersatlas.json'));
      await db.transaction((tx) => loadPackageTables(tx, dir, m, () => {}));
      expect(await versions()).toEqual([[1, 'data package']]);
      // A row naming an unknown quarter fails (and with it the import) with file, row and field.
      writeFileSync(
        join(dir, 'city-tables/sgb2.csv'),
        `${readFileSync(join(TABLES, 'sgb2-long.csv'), 'utf8')}quarter;777;2023-12-31;sgb2_rate;1\n`,
      );
      await expect(db.transaction((tx) => loadPackageTables(tx, dir, m, () => {}))).rejects.toThrow(
        /city-tables\/sgb2\.csv, record row 12, field code: unknown quarter code "777"/,
      );
      expect(await versions()).toEqual([[1, 'data package']]);
      // A changed file becomes the next version.
      writeFileSync(
        join(dir, 'city-tables/sgb2.csv'),
        readFileSync(join(TABLES, 'sgb2-long.csv'), 'utf8').replace('13,1', '13,3'),
      );
      await db.transaction((tx) => loadPackageTables(tx, dir, m, () => {}));
      expect(await versions()).toEqual([
        [1, 'data package'],
        [2, 'data package'],
      ]);
    } finally {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(packageEngines)('the published quarter populations as a time series on %s', (engine) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('lists several dates of the population per quarter and compares the earliest with the newest', async () => {
    const cat = (await (await app.request('/api/indicators')).json()) as {
      indicators: { id: string; levels: { level: string; dates: string[] }[] }[];
    };
    const quarterDates =
      cat.indicators.find((i) => i.id === 'population')?.levels.find((l) => l.level === 'quarter')?.dates ?? [];
    expect(quarterDates.length).toBeGreaterThan(2);
    const res = await app.request('/api/indicators/population/change?level=quarter');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      from: string;
      to: string;
      dates: string[];
      values: {
        from: { value: number } | null;
        to: { value: number } | null;
        absolute: number | null;
        relative: number | null;
      }[];
    };
    expect(body.dates.length).toBeGreaterThan(2);
    expect(body.from).toBe(body.dates[0]);
    expect(body.to).toBe(body.dates[body.dates.length - 1]);
    const both = body.values.filter((v) => v.from && v.to);
    expect(both.length).toBeGreaterThan(0);
    for (const v of both) {
      expect(v.absolute).toBeCloseTo((v.to?.value ?? 0) - (v.from?.value ?? 0), 5);
      expect(v.relative).toBeCloseTo(
        (((v.to?.value ?? 0) - (v.from?.value ?? 0)) / Math.abs(v.from?.value ?? 1)) * 100,
        3,
      );
    }
    // Values at one date are those the values route gives for that date.
    const at = body.dates.find((d) => quarterDates.includes(d)) as string;
    const values = (await (await app.request(`/api/indicators/population/values?level=quarter&date=${at}`)).json()) as {
      values: { code: string; value: number | null }[];
    };
    const change = (await (
      await app.request(`/api/indicators/population/change?level=quarter&from=${at}&to=${body.to}`)
    ).json()) as {
      values: { code: string; from: { date: string; value: number } | null }[];
    };
    for (const v of change.values.filter((x) => x.from?.date === at))
      expect(v.from?.value).toBe(values.values.find((x) => x.code === v.code)?.value);
  });
});
