import { Hono } from 'hono';
import { z } from 'zod';
import { validityDay } from '../db/data-version.ts';
import { readArea, readMembership } from '../db/queries/areas.ts';
import { catalogueStore, latestStore } from '../db/queries/indicators.ts';
import { readListOfferAges, readListSources } from '../db/queries/offers.ts';
import { AGE_STAGE_NOTE, countByAgeStage } from '../domain/age-stages.ts';
import { chainOfArea, chainStages, DEFAULT_THRESHOLD, THRESHOLD_DESCRIPTION } from '../domain/education-chain.ts';
import type { ValueLevel } from '../domain/indicators.ts';
import { profileBody } from '../domain/indicators-profile.ts';
import { ProfileResponse, ValueLevelSchema } from '../domain/indicators-schema.ts';
import { notFound } from '../http/problem.ts';
import { cachedJson, FAST } from '../http/representation.ts';
import { documentRoute, queryNumber, validateParams, validateQuery } from '../http/validate.ts';
import type { IndicatorDeps } from './indicators.ts';

/**
 * /api/areas/:level/:code/profile: the fact sheet of one area. Every indicator with a value at the area's level
 * (value, city value, rank among the areas of the level, date, source, method), offers by category, coverage,
 * action-area membership, the education chain and the offers of the city's lists per age stage (issue 21).
 */

export const ProfileParams = z.strictObject({
  level: ValueLevelSchema,
  code: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be an area code: lower-case letters, digits and hyphens')
    .describe("The official code as text: '05' (district), '050' (quarter), '022' (action area)"),
});

export const ProfileQuery = z.strictObject({
  threshold: queryNumber(z.number().min(0).max(100).default(DEFAULT_THRESHOLD)).describe(THRESHOLD_DESCRIPTION),
});

documentRoute({
  method: 'get',
  path: '/api/areas/:level/:code/profile',
  tag: 'areas',
  summary:
    'The fact sheet of one area: indicators, offers, coverage, action areas, education chain, offers per age stage',
  description:
    'Every indicator that has values at the area’s level, with the area’s value (null with the reason when ' +
    'missing or withheld), the city value, the rank among the areas of the level (1 = highest), reference date, ' +
    'source and method. Count-based values resting on fewer than min_count addresses or persons are withheld.',
  params: ProfileParams,
  query: ProfileQuery,
  response: { description: 'The fact sheet', schema: ProfileResponse, cached: true },
  example: '/api/areas/quarter/050/profile',
  errors: [
    { status: 404, description: 'No area of that level has this code' },
    { status: 503, description: 'No data imported yet' },
  ],
});

/** The fact sheet of every area and threshold asked for, built once per data version and kept in memory. */
export function profileRoutes({ db, minCount }: IndicatorDeps) {
  const catalogue = catalogueStore(db);
  const latest = latestStore(db);
  const sheets = cachedJson<{ level: ValueLevel; code: string; threshold: number }>(
    db,
    async ({ level, code, threshold }, version) => {
      const area = await readArea(db, level, code);
      if (!area) throw notFound(`No ${level} with code ${code}`);
      const [cat, atLevel, city, members, lists, listOffers] = await Promise.all([
        catalogue(),
        latest(level),
        latest('city'),
        readMembership(db, level, code),
        readListSources(db),
        readListOfferAges(db, level, code, validityDay(version)),
      ]);
      const stages = chainStages(cat);
      const chain = chainOfArea(stages, atLevel, code, threshold, cat, minCount);
      const ages =
        lists.length === 0
          ? null
          : { ...countByAgeStage(stages, listOffers), offers: listOffers.length, lists, note: AGE_STAGE_NOTE };
      return profileBody({
        area,
        cat,
        atLevel,
        city,
        members,
        chain: { threshold, stages, values: chain.values, breaks: chain.breaks },
        minCount,
        ageStages: ages,
      });
    },
    { compression: FAST },
  );

  return new Hono().get('/:level/:code/profile', validateParams(ProfileParams), validateQuery(ProfileQuery), (c) =>
    sheets.respond(c, { ...c.req.valid('param'), threshold: c.req.valid('query').threshold }),
  );
}
