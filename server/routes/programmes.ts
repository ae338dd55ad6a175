import { Hono } from 'hono';
import { z } from 'zod';
import { perDataVersion, validityDay } from '../db/data-version.ts';
import { readProgrammeOffers } from '../db/queries/programmes.ts';
import type { AppDeps } from '../deps.ts';
import { listProgrammes, type ProgrammeOfferRow, programmeDetail } from '../domain/programmes.ts';
import { notFound } from '../http/problem.ts';
import { cachedJson, FAST } from '../http/representation.ts';
import { AreaRef, documentRoute, Position, validateParams, validateQuery } from '../http/validate.ts';

/**
 * /api/programmes (issue 21): the programmes the city's offer lists name, and one programme with where it runs by
 * quarter and action area. Built once per data version (which carries the day while offers are dated); internal
 * lists never reach atlas, so no answer, with a token or without, names their programmes.
 */

const ListRef = z.strictObject({ id: z.string(), title: z.string(), date: z.string() });

export const ProgrammeList = z.strictObject({
  programmes: z.array(
    z.strictObject({
      id: z
        .string()
        .describe('For /api/programmes/{id}: the name folded, umlauts spelt out, other characters as dashes'),
      name: z.string(),
      offers: z.number().int(),
      quarters: z.number().int().describe('Quarters with an offer of the programme'),
      categories: z.array(z.string()),
      lists: z.array(ListRef).describe('The offer lists naming it'),
    }),
  ),
});
export type ProgrammeList = z.infer<typeof ProgrammeList>;

export const ProgrammeDetail = z.strictObject({
  id: z.string(),
  name: z.string(),
  offers: z.array(
    z.strictObject({
      id: z.string().describe('For /api/offers/{id}'),
      name: z.string().nullable(),
      category: z.string(),
      point: Position,
      quarter: AreaRef,
      action_area: AreaRef.nullable(),
      list: z.string(),
    }),
  ),
  quarters: z.array(
    z.strictObject({ code: z.string(), name: z.string(), district: AreaRef, offers: z.number().int() }),
  ),
  action_areas: z.array(z.strictObject({ code: z.string(), name: z.string(), offers: z.number().int() })),
  outside_action_areas: z.number().int().describe('Offers outside every action area'),
  lists: z.array(ListRef),
});
export type ProgrammeDetail = z.infer<typeof ProgrammeDetail>;

export const ProgrammeParams = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be a programme id such as sprachbruecke')
    .describe('The programme id from /api/programmes'),
});

documentRoute({
  method: 'get',
  path: '/api/programmes',
  tag: 'offers',
  summary: 'The programmes the city’s offer lists name, with their offers, quarters, categories and lists',
  description:
    'A programme (the `programme` column of an offer list) groups offers across categories. Offers valid today ' +
    'only; internal lists are never read.',
  response: { description: 'Programmes by name', schema: ProgrammeList, cached: true },
});
documentRoute({
  method: 'get',
  path: '/api/programmes/:id',
  tag: 'offers',
  summary: 'One programme: its offers, where it runs by quarter and action area, and its lists',
  params: ProgrammeParams,
  response: { description: 'The programme', schema: ProgrammeDetail, cached: true },
  errors: [{ status: 404, description: 'No programme has this id' }],
});

export function programmeRoutes({ db }: Pick<AppDeps, 'db'>) {
  const offers = perDataVersion<'all', ProgrammeOfferRow[]>(db, (_, version) =>
    readProgrammeOffers(db, validityDay(version)),
  );
  const all = cachedJson<'all'>(
    db,
    async () => ({ programmes: listProgrammes((await offers.get('all')).value) }) satisfies ProgrammeList,
  );
  const one = cachedJson<string>(
    db,
    async (id) => {
      const detail = programmeDetail((await offers.get('all')).value, id);
      if (!detail) throw notFound(`No programme with id ${id}`);
      return detail satisfies ProgrammeDetail;
    },
    { compression: FAST },
  );
  return new Hono()
    .get('/', validateQuery(z.strictObject({})), (c) => all.respond(c, 'all'))
    .get('/:id', validateParams(ProgrammeParams), (c) => one.respond(c, c.req.valid('param').id));
}
