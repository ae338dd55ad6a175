import { Hono } from 'hono';
import { z } from 'zod';
import { type OfferListContent, readCurrentLists } from '../db/queries/offer-lists.ts';
import type { AppDeps } from '../deps.ts';
import { requireRole, seesInternal } from '../http/auth.ts';
import { notFound, uploadRejected } from '../http/problem.ts';
import { documentRoute, queryNumber, validateParams, validateQuery } from '../http/validate.ts';
import { readMultipart, uploadLimit } from '../uploads/multipart.ts';
import { rollbackOfferList, uploadOfferList } from '../uploads/offer-lists.ts';
import { readTable } from '../uploads/versions.ts';

/**
 * /api/offer-lists: the city's own lists of offers (issue 21): upload (editors; a dry run reports how every row
 * matched the address register), list, one list with its versions, rollback. Public lists are listed to everyone
 * (their offers are on the map); internal ones only to a request with a token, never in an anonymous answer.
 * The work is in uploads/offer-lists.ts.
 */

const ListParams = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'must be an offer list id')
    .describe('An offer list id from /api/offer-lists'),
});
const UploadQuery = z.strictObject({
  dry_run: z.enum(['0', '1', 'true', 'false']).optional().describe('1: only the report, nothing stored'),
});
const RollbackQuery = z.strictObject({
  version: queryNumber(z.number().int().min(1).max(1_000_000)).describe('The version to make current again'),
});

documentRoute({
  method: 'post',
  path: '/api/offer-lists',
  tag: 'offer-lists',
  summary: 'Upload a list of offers (CSV or XLSX), or check it (dry_run=1)',
  description:
    'Multipart with the file and its metadata (meta: JSON with id, title, publisher, date, licence, attribution, ' +
    'visibility, categories mapping the list’s words to the atlas’s, covers, fixes). Every row is geocoded ' +
    'against the address register and the report says how it matched (exact, normalised, street, unmatched with ' +
    'the nearest candidates, position, outside). A public list replaces the OpenStreetMap points of its ' +
    'categories in the area it covers, and the computed indicators (offers per category, coverage, education ' +
    'chain) are derived again with its offers in the same transaction, which takes seconds: this request is not ' +
    'cut off by REQUEST_TIMEOUT_MS.',
  query: UploadQuery,
  requestBody: {
    contentType: 'multipart/form-data',
    description: 'file and meta',
    schema: {
      type: 'object',
      required: ['file', 'meta'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'The list, CSV (UTF-8) or XLSX' },
        meta: { type: 'string', description: 'The metadata as JSON' },
      },
    },
  },
  role: 'editor',
  status: 201,
  response: { description: 'Stored: the list id, its version and what it did (dry run: 200 with the report)' },
  errors: [
    { status: 413, description: 'The upload is larger than UPLOAD_LIMIT_BYTES' },
    { status: 415, description: 'Not multipart/form-data' },
    { status: 422, description: 'The list has errors: `findings` names row, column and reason of each' },
  ],
});
documentRoute({
  method: 'get',
  path: '/api/offer-lists',
  tag: 'offer-lists',
  summary: 'The offer lists with their current version (internal ones only with a token)',
  response: { description: 'The lists' },
});
documentRoute({
  method: 'get',
  path: '/api/offer-lists/:id',
  tag: 'offer-lists',
  summary: 'One offer list with its rows, as placed, and every version',
  params: ListParams,
  response: { description: 'The list' },
  errors: [{ status: 404, description: 'No such list (or an internal one without a token)' }],
});
documentRoute({
  method: 'post',
  path: '/api/offer-lists/:id/rollback',
  tag: 'offer-lists',
  summary: 'Make an earlier version of an offer list current again (the later ones stay)',
  params: ListParams,
  query: RollbackQuery,
  role: 'editor',
  response: { description: 'The list with its current version' },
  errors: [{ status: 404, description: 'No such list or version' }],
});

function listSummary(id: string, version: number, content: OfferListContent) {
  const { meta, rows } = content;
  return {
    id,
    version,
    title: meta.title,
    publisher: meta.publisher,
    date: meta.date,
    licence: meta.licence,
    attribution: meta.attribution,
    url: meta.url,
    visibility: meta.visibility,
    categories: meta.categories,
    covers: meta.covers,
    offers: rows.length,
  };
}

export function offerListRoutes({ db, env }: Pick<AppDeps, 'db' | 'env'>) {
  const settings = { uploadsDir: env.UPLOADS_DIR, maxRows: env.UPLOAD_MAX_ROWS };
  const visible = async (internal: boolean) =>
    (await readCurrentLists(db)).filter((l) => internal || l.content.meta.visibility === 'public');
  return new Hono()
    .post('/', requireRole('editor'), uploadLimit(env.UPLOAD_LIMIT_BYTES), validateQuery(UploadQuery), async (c) => {
      const dryRun = ['1', 'true'].includes(c.req.valid('query').dry_run ?? '');
      const { file, meta } = await readMultipart(c);
      const actor = c.get('principal')?.name ?? '';
      const { report, stored } = await uploadOfferList(
        db,
        { fileName: file.name, bytes: file.bytes, meta, actor },
        settings,
        dryRun,
      );
      // With the findings, how every row was placed, for the page to offer fixes.
      if (!report.ok)
        throw uploadRejected('The offer list has errors', report.findings, {
          rows: report.rows,
          summary: report.summary,
        });
      if (dryRun || !stored) return c.json({ dry_run: true, ...report });
      return c.json({ ...stored, findings: report.findings, rows: report.rows, summary: report.summary }, 201);
    })
    .get('/', validateQuery(z.strictObject({})), async (c) => {
      const lists = await visible(seesInternal(c.get('principal')));
      return c.json({ lists: lists.map((l) => listSummary(l.id, l.version, l.content)) }, 200, {
        'cache-control': 'no-cache',
      });
    })
    .get('/:id', validateParams(ListParams), validateQuery(z.strictObject({})), async (c) => {
      const { id } = c.req.valid('param');
      const internal = seesInternal(c.get('principal'));
      const list = (await visible(internal)).find((l) => l.id === id);
      if (!list) throw notFound(`No offer list ${id}`);
      const table = internal ? await readTable(db, id) : null;
      return c.json(
        {
          ...listSummary(list.id, list.version, list.content),
          rows: list.content.rows,
          versions: table?.versions_list.map(({ version, created_at, created_by, current }) => ({
            version,
            created_at,
            created_by,
            current,
          })),
        },
        200,
        { 'cache-control': 'no-cache' },
      );
    })
    .post(
      '/:id/rollback',
      requireRole('editor'),
      validateParams(ListParams),
      validateQuery(RollbackQuery),
      async (c) => {
        const { id } = c.req.valid('param');
        const { version } = c.req.valid('query');
        const actor = c.get('principal')?.name ?? '';
        if (!(await rollbackOfferList(db, id, version, actor, env.UPLOADS_DIR)))
          throw notFound(`No offer list ${id} with version ${version}`);
        const list = (await readCurrentLists(db)).find((l) => l.id === id);
        return c.json(list ? listSummary(list.id, list.version, list.content) : { id, version });
      },
    );
}
