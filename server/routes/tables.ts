import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import type { UploadContent } from '../domain/table-upload.ts';
import { requireRole } from '../http/auth.ts';
import { notFound, uploadRejected } from '../http/problem.ts';
import { documentRoute, queryNumber, validateParams, validateQuery } from '../http/validate.ts';
import { rollbackIndicatorTable, uploadIndicatorTable } from '../uploads/indicator-tables.ts';
import { readMultipart, uploadLimit } from '../uploads/multipart.ts';
import { listTables, readAudit, readTable, readVersionContent } from '../uploads/versions.ts';

/**
 * /api/tables: the city's own tables of indicator values (issue 15), for editors with a token. Upload (with a
 * dry run that only reports), list, one table with its versions and audit log, two versions compared, rollback.
 * The work is in uploads/indicator-tables.ts; the checks in domain/table-upload.ts.
 */

const TableParams = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,79}$/, 'must be a table id')
    .describe('A table id from /api/tables'),
});
const UploadQuery = z.strictObject({
  dry_run: z.enum(['0', '1', 'true', 'false']).optional().describe('1: only the validation report, nothing stored'),
});
const RollbackQuery = z.strictObject({
  version: queryNumber(z.number().int().min(1).max(1_000_000)).describe('The version to make current again'),
});
const CompareQuery = z.strictObject({
  from: queryNumber(z.number().int().min(1).max(1_000_000)).describe('The earlier version'),
  to: queryNumber(z.number().int().min(1).max(1_000_000)).describe('The later version'),
});

const FORM_SCHEMA = {
  type: 'object',
  required: ['file', 'meta'],
  properties: {
    file: { type: 'string', format: 'binary', description: 'The table, CSV (UTF-8) or XLSX' },
    meta: { type: 'string', description: 'The metadata as JSON: {"indicators": {"<id>": {title, unit, …}}}' },
    date: { type: 'string', description: 'Wide form: the date of every value, YYYY-MM-DD or YYYY' },
    level: {
      type: 'string',
      enum: ['district', 'quarter', 'action-area'],
      description: 'Wide form without a level column',
    },
  },
};

documentRoute({
  method: 'post',
  path: '/api/tables',
  tag: 'tables',
  summary: 'Upload a table of indicator values (CSV or XLSX, long or wide form), or check it (dry_run=1)',
  description:
    'Multipart with the file and its metadata. The report names row, column and reason of every finding. An ' +
    'accepted upload is stored as the next version of its table, its original kept in the archive.',
  query: UploadQuery,
  requestBody: {
    contentType: 'multipart/form-data',
    description: 'file, meta, and date/level for the wide form',
    schema: FORM_SCHEMA,
  },
  role: 'editor',
  status: 201,
  response: { description: 'Stored: the table id, its version and indicators (dry run: 200 with the report)' },
  errors: [
    { status: 413, description: 'The upload is larger than UPLOAD_LIMIT_BYTES' },
    { status: 415, description: 'Not multipart/form-data' },
    { status: 422, description: 'The table has errors: `findings` names row, column and reason of each' },
  ],
});
documentRoute({
  method: 'get',
  path: '/api/tables',
  tag: 'tables',
  summary: 'The uploaded tables with their current version',
  role: 'editor',
  response: { description: 'The tables' },
});
documentRoute({
  method: 'get',
  path: '/api/tables/:id',
  tag: 'tables',
  summary: 'One uploaded table with every version and its audit log',
  params: TableParams,
  role: 'editor',
  response: { description: 'The table, its versions (newest first) and who did what' },
  errors: [{ status: 404, description: 'No such table' }],
});
documentRoute({
  method: 'get',
  path: '/api/tables/:id/compare',
  tag: 'tables',
  summary: 'What changed between two versions of a table: values added, removed and changed',
  params: TableParams,
  query: CompareQuery,
  role: 'editor',
  response: { description: 'The differences, per indicator, level, area and date' },
  errors: [{ status: 404, description: 'No such table or version' }],
});
documentRoute({
  method: 'post',
  path: '/api/tables/:id/rollback',
  tag: 'tables',
  summary: 'Make an earlier version of a table current again (the later ones stay)',
  params: TableParams,
  query: RollbackQuery,
  role: 'editor',
  response: { description: 'The table with its current version' },
  errors: [{ status: 404, description: 'No such table or version' }],
});

documentRoute({
  method: 'get',
  path: '/api/audit',
  tag: 'tables',
  summary: 'The audit log: who uploaded, replaced or rolled back which table, and tokens made and revoked',
  role: 'admin',
  response: { description: 'The newest 200 entries, newest first' },
});

export type TableDeps = Pick<AppDeps, 'db' | 'env'>;

/** /api/audit: the whole audit log, for admins. */
export function auditRoutes({ db }: Pick<AppDeps, 'db'>) {
  return new Hono().get('/', requireRole('admin'), validateQuery(z.strictObject({})), async (c) =>
    c.json({ audit: await readAudit(db) }),
  );
}

/** The differences between two versions' values. */
function compare(a: UploadContent, b: UploadContent) {
  const key = (v: UploadContent['values'][number]) => `${v.indicator}\n${v.level}\n${v.code}\n${v.date}`;
  const before = new Map(a.values.map((v) => [key(v), v]));
  const after = new Map(b.values.map((v) => [key(v), v]));
  const pick = ({ indicator, level, code, date, value }: UploadContent['values'][number]) => ({
    indicator,
    level,
    code,
    date,
    value,
  });
  return {
    added: [...after].filter(([k]) => !before.has(k)).map(([, v]) => pick(v)),
    removed: [...before].filter(([k]) => !after.has(k)).map(([, v]) => pick(v)),
    changed: [...after]
      .filter(([k, v]) => before.has(k) && before.get(k)?.value !== v.value)
      .map(([k, v]) => ({ ...pick(v), before: before.get(k)?.value ?? null })),
    indicators: {
      added: Object.keys(b.indicators).filter((i) => !(i in a.indicators)),
      removed: Object.keys(a.indicators).filter((i) => !(i in b.indicators)),
    },
  };
}

export function tableRoutes({ db, env }: TableDeps) {
  const settings = { uploadsDir: env.UPLOADS_DIR, maxRows: env.UPLOAD_MAX_ROWS, minCount: env.MIN_COUNT };
  return new Hono()
    .post('/', requireRole('editor'), uploadLimit(env.UPLOAD_LIMIT_BYTES), validateQuery(UploadQuery), async (c) => {
      const dryRun = ['1', 'true'].includes(c.req.valid('query').dry_run ?? '');
      const { file, meta, fields: options } = await readMultipart(c);
      const actor = c.get('principal')?.name ?? '';
      const { report, stored } = await uploadIndicatorTable(
        db,
        { fileName: file.name, bytes: file.bytes, meta, options, actor },
        settings,
        dryRun,
      );
      const { content: _content, ...shown } = report;
      if (!report.ok) throw uploadRejected('The table has errors', report.findings);
      if (dryRun || !stored) return c.json({ dry_run: true, ...shown });
      return c.json({ ...stored, findings: report.findings, summary: report.summary }, 201);
    })
    .get('/', requireRole('editor'), validateQuery(z.strictObject({})), async (c) =>
      c.json({ tables: await listTables(db) }),
    )
    .get('/:id', requireRole('editor'), validateParams(TableParams), validateQuery(z.strictObject({})), async (c) => {
      const { id } = c.req.valid('param');
      const table = await readTable(db, id);
      if (!table) throw notFound(`No table ${id}; /api/tables lists them`);
      const { versions_list, ...rest } = table;
      return c.json({ ...rest, versions: versions_list, audit: await readAudit(db, id) });
    })
    .get('/:id/compare', requireRole('editor'), validateParams(TableParams), validateQuery(CompareQuery), async (c) => {
      const { id } = c.req.valid('param');
      const { from, to } = c.req.valid('query');
      const [a, b] = await Promise.all([readVersionContent(db, id, from), readVersionContent(db, id, to)]);
      if (!a || !b) throw notFound(`Table ${id} has no version ${a ? to : from}`);
      return c.json({ table: id, from, to, ...compare(a as UploadContent, b as UploadContent) });
    })
    .post(
      '/:id/rollback',
      requireRole('editor'),
      validateParams(TableParams),
      validateQuery(RollbackQuery),
      async (c) => {
        const { id } = c.req.valid('param');
        const { version } = c.req.valid('query');
        const actor = c.get('principal')?.name ?? '';
        if (!(await rollbackIndicatorTable(db, id, version, actor, env.UPLOADS_DIR)))
          throw notFound(`Table ${id} has no version ${version}`);
        const table = await readTable(db, id);
        return c.json({ id, current_version: table?.current_version ?? version });
      },
    );
}
