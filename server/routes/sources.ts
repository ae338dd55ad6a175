import { Hono } from 'hono';
import { z } from 'zod';
import { readSources } from '../db/queries/sources.ts';
import type { AppDeps } from '../deps.ts';
import { cachedJson } from '../http/representation.ts';
import { documentRoute, validateQuery } from '../http/validate.ts';

/** /api/sources: where every piece of data comes from, under which licence, and how to attribute it. */

const ShownSource = z.strictObject({ title: z.string(), publisher: z.string(), licence: z.string() });

export const SourceList = z.strictObject({
  sources: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string().describe('In German; `shown` has it per language'),
      publisher: z.string(),
      licence: z.string().describe('The public licence line in German; open questions stay in the docs (DATA.md)'),
      attribution: z.string().describe('The text the licence asks to show'),
      url: z.string().nullable(),
      reference_date: z.string().nullable().describe('The date the data describes, as precise as known'),
      note: z.string().nullable().describe('How the data were taken into the package (provenance, in English)'),
      shown: z
        .strictObject({ de: ShownSource, en: ShownSource })
        .describe('Title, publisher and licence as finished text for a page in German and in English'),
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

export function sourceRoutes({ db }: Pick<AppDeps, 'db'>) {
  const sources = cachedJson<'all'>(db, async () => (await readSources(db)) satisfies SourceList);
  return new Hono().get('/', validateQuery(z.strictObject({})), (c) => sources.respond(c, 'all'));
}
