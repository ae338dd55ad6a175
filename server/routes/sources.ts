import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import type { Db } from '../db/index.ts';
import { cachedJson } from '../http/cached.ts';
import { documentRoute, validateQuery } from '../http/validate.ts';

/** /api/sources: where every piece of data comes from, under which licence, and how to attribute it. */

export const SourceList = z.strictObject({
  sources: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      publisher: z.string(),
      licence: z.string(),
      attribution: z.string().describe('The text the licence asks to show'),
      url: z.string().nullable(),
      reference_date: z.string().nullable().describe('The date the data describes, as precise as known'),
      note: z.string().nullable(),
      files: z
        .array(z.strictObject({ path: z.string(), sha256: z.string().nullable() }))
        .describe('The files of the data package it was imported from, with their SHA-256'),
    }),
  ),
});
export type SourceList = z.infer<typeof SourceList>;

documentRoute({
  method: 'get',
  path: '/api/sources',
  tag: 'sources',
  summary: 'Every source with publisher, licence, attribution, URL, reference date and file checksums',
  response: { description: 'Sources ordered by id', schema: SourceList, cached: true },
});

export async function readSources(db: Db): Promise<SourceList> {
  const rows = await db.query<{
    id: string;
    title: string;
    publisher: string;
    licence: string;
    attribution: string;
    url: string | null;
    file: string | null;
    sha256: string | null;
    reference_date: string | null;
    note: string | null;
  }>(
    `SELECT id, title, publisher, licence, attribution, url, file, sha256, reference_date, note
     FROM atlas.source ORDER BY id`,
  );
  return {
    sources: rows.map(({ file, sha256, ...s }) => {
      // The importer stores the files comma separated and their checksums space separated, in the same order.
      const paths = file ? file.split(',').map((f) => f.trim()) : [];
      const sums = sha256 ? sha256.split(/\s+/) : [];
      return { ...s, files: paths.map((path, i) => ({ path, sha256: sums[i] ?? null })) };
    }),
  };
}

export function sourceRoutes({ db }: Pick<AppDeps, 'db'>) {
  const sources = cachedJson<'all'>(db, () => readSources(db));
  return new Hono().get('/', validateQuery(z.strictObject({})), (c) => sources.respond(c, 'all'));
}
