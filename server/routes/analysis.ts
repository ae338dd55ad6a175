import { Hono } from 'hono';
import { z } from 'zod';
import { perDataVersion } from '../db/data-version.ts';
import { readAreaNames, readQuarterWeights } from '../db/queries/areas.ts';
import {
  type Catalogue,
  catalogueStore,
  type IndicatorRow,
  type LatestByIndicator,
  latestStore,
} from '../db/queries/indicators.ts';
import { chainBody, DEFAULT_THRESHOLD, THRESHOLD_DESCRIPTION } from '../domain/education-chain.ts';
import { analyseGaps, type GapArea, type QuarterWeight, type Turn, turnFor, weightedMeans } from '../domain/gaps.ts';
import type { Text, ValueLevel } from '../domain/indicators.ts';
import { ChainResponse, GapsResponse, ValueLevelSchema } from '../domain/indicators-schema.ts';
import { indicatorSummary, type ShownValue, shownLatest } from '../domain/indicators-show.ts';
import { badRequest } from '../http/problem.ts';
import { cachedJson, FAST } from '../http/representation.ts';
import { documentRoute, queryNumber, validateQuery } from '../http/validate.ts';
import { areaAnalysisRoutes } from './area-analysis.ts';
import { type IndicatorDeps, IndicatorParams } from './indicators.ts';

/**
 * /api/analysis: where needs and offers do not meet.
 * - gaps: a bivariate 3×3 of need tercile × supply tercile per area, the ranked high-need, low-supply areas,
 *   and the same comparison for the action areas (inside, rest of the city, whole city).
 * - education-chain: per area the access to every stage of the education chain, and where it breaks.
 */

const IndicatorId = IndicatorParams.shape.id;

export const GapsQuery = z.strictObject({
  need: IndicatorId.describe('The indicator of need, e.g. school_social_index_nearest_primary'),
  supply: IndicatorId.describe('The indicator of supply, e.g. coverage_childcare_500m'),
  level: ValueLevelSchema.default('quarter'),
});

export const ChainQuery = z.strictObject({
  level: ValueLevelSchema.default('quarter'),
  threshold: queryNumber(z.number().min(0).max(100).default(DEFAULT_THRESHOLD)).describe(THRESHOLD_DESCRIPTION),
});

documentRoute({
  method: 'get',
  path: '/api/analysis/gaps',
  tag: 'analysis',
  summary: 'Need × supply: bivariate terciles per area, the high-need low-supply areas, the action areas',
  description:
    'Each indicator is split into terciles over the areas of the level (an indicator whose high values mean ' +
    'low need, or low supply, is turned round and says so). Cell 6 is high need with low supply: those areas ' +
    'are ranked in `gaps`. The action areas are compared as the address-weighted mean of the quarters inside, ' +
    'the rest of the city and the whole city, and each action area is placed in the terciles of the level.',
  query: GapsQuery,
  response: { description: 'The bivariate classification', schema: GapsResponse },
  example: '/api/analysis/gaps?need=school_social_index_nearest_primary&supply=coverage_childcare_500m',
  errors: [{ status: 503, description: 'No data imported yet' }],
});

documentRoute({
  method: 'get',
  path: '/api/analysis/education-chain',
  tag: 'analysis',
  summary: 'The education chain per area: access to every stage, and the stages where it breaks',
  description:
    'Stages: Kita, primary school, secondary school (with its types), vocational college, library, each the ' +
    'share of addresses with an offer within the stage’s distance. A stage under `threshold` % breaks the chain.',
  query: ChainQuery,
  response: { description: 'Stages and areas', schema: ChainResponse },
  example: '/api/analysis/education-chain?level=quarter&threshold=50',
  errors: [{ status: 503, description: 'No data imported yet' }],
});

// --- Gaps ---------------------------------------------------------------------------------------------------

const AA_METHOD: Text = {
  de:
    'Innen, übrige Stadt und Stadt: Mittel der Werte der statistischen Bezirke, gewichtet mit ihren Einwohnern ' +
    'innerhalb eines Aktionsraums, außerhalb und insgesamt (Adressen mal Einwohner je Adresse des Bezirks, ' +
    'veröffentlicht oder geschätzt). Ein Bezirk, der nur teilweise in einem Aktionsraum liegt, zählt anteilig, und ' +
    'sein Wert gilt für alle seine Adressen. Die Aktionsräume einzeln: ihre eigenen ' +
    'Werte, eingeordnet in die Terzile der statistischen Bezirke der ganzen Stadt (nicht nur der Aktionsräume ' +
    'untereinander) und verglichen mit der übrigen Stadt.',
  en:
    'Inside, rest of the city and city: the mean of the quarters’ values weighted by their residents inside an ' +
    'action area, outside and in all (addresses times the quarter’s published or estimated residents per address). ' +
    'A quarter only partly inside counts in proportion, and its value is taken to hold for all its addresses. The action areas one by one: their own values, placed in the terciles of the ' +
    'quarters of the whole city (not only among the action areas) and compared with the rest of the city.',
};

/** The indicators (facet family 'provenance') that say how much of an indicator's value comes from other areas. */
function provenanceOf(cat: Catalogue, id: string): IndicatorRow | null {
  const facet = cat.facets.find((f) => f.family === 'provenance' && f.member === id && cat.byId.has(f.indicator_id));
  return facet ? (cat.byId.get(facet.indicator_id) as IndicatorRow) : null;
}

/** An indicator that measures access to offers (a coverage, offer or education-chain family), not need. */
const ACCESS_FAMILIES = new Set(['coverage', 'offers', 'education-chain']);

export function analysisRoutes({ db, minCount }: IndicatorDeps) {
  const catalogue = catalogueStore(db);
  const latest = latestStore(db);
  const names = perDataVersion<ValueLevel, { code: string; name: string; numbered: boolean }[]>(db, (level) =>
    readAreaNames(db, level),
  );
  const weights = perDataVersion<'quarters', QuarterWeight[]>(db, () => readQuarterWeights(db));

  /** The gap analysis of one query, built once per data version (it depends only on the query and the data). */
  const gaps = cachedJson<z.infer<typeof GapsQuery>>(
    db,
    async (q) => {
      const cat = await catalogue();
      const pick = (param: 'need' | 'supply') => {
        const ind = cat.byId.get(q[param]);
        if (!ind) throw badRequest(param, `no indicator with id ${q[param]}; /api/indicators lists them`);
        return { ind, ...turnFor(ind.direction, param) };
      };
      const need = pick('need');
      const supply = pick('supply');
      const borrowedBy = provenanceOf(cat, need.ind.id);
      const [atLevel, quarters, actionAreas, city] = await Promise.all([
        latest(q.level),
        latest('quarter'),
        latest('action-area'),
        latest('city'),
      ]);
      const show = (values: LatestByIndicator, ind: IndicatorRow, code: string): ShownValue =>
        shownLatest(values, ind, code, cat, minCount);
      const gapArea = (values: LatestByIndicator, a: { code: string; name: string }): GapArea<ShownValue> => ({
        code: a.code,
        name: a.name,
        need: show(values, need.ind, a.code),
        supply: show(values, supply.ind, a.code),
        borrowed: borrowedBy ? { indicator_id: borrowedBy.id, value: show(values, borrowedBy, a.code) } : null,
      });
      const quarterNames = (await names.get('quarter')).value;
      const quarterValues = (s: { ind: IndicatorRow }) => quarterNames.map((a) => show(quarters, s.ind, a.code).value);
      const quarterWeights = (await weights.get('quarters')).value;
      const byQuarter = (s: { ind: IndicatorRow }) =>
        new Map(quarterWeights.map((w) => [w.code, show(quarters, s.ind, w.code).value]));
      const cityOf = (s: { ind: IndicatorRow }) =>
        show(city, s.ind, [...(city.get(s.ind.id)?.keys() ?? [])][0] ?? '').value;
      const comparison = {
        need: weightedMeans(byQuarter(need), quarterWeights, cityOf(need)),
        supply: weightedMeans(byQuarter(supply), quarterWeights, cityOf(supply)),
      };

      const result = analyseGaps({
        need,
        supply,
        areas: (await names.get(q.level)).value.map((a) => gapArea(atLevel, a)),
        // Action areas are ranked against the whole city, not only against each other.
        reference:
          q.level === 'action-area'
            ? { level: 'quarter', need: quarterValues(need), supply: quarterValues(supply) }
            : null,
        actionAreas: (await names.get('action-area')).value.map((a) => ({
          ...gapArea(actionAreas, a),
          numbered: a.numbered,
        })),
        quarters: { need: quarterValues(need), supply: quarterValues(supply) },
        rest: { need: comparison.need.rest, supply: comparison.supply.rest },
        needIsAccess: cat.facets.some((f) => f.indicator_id === need.ind.id && ACCESS_FAMILIES.has(f.family)),
        needTitle: need.ind.title,
      });
      const gapSide = (s: Turn & { ind: IndicatorRow }, split: typeof result.need, collapsed: boolean) => ({
        indicator: indicatorSummary(s.ind, cat),
        collapsed,
        inverted: s.inverted,
        terciles: split,
      });
      const body: z.infer<typeof GapsResponse> = {
        level: q.level,
        min_count: minCount,
        reference: { level: result.reference.level as ValueLevel | null, areas: result.reference.areas },
        warnings: result.warnings,
        ranking_withheld: result.ranking_withheld,
        need: gapSide(need, result.need, result.needCollapsed),
        supply: gapSide(supply, result.supply, result.supplyCollapsed),
        cells: result.cells,
        areas: result.areas,
        gaps: result.gaps,
        action_areas: { method: AA_METHOD, comparison, areas: result.action_areas },
      };
      return body;
    },
    { compression: FAST },
  );
  /** The education chain of one level and threshold, built once per data version. */
  const chains = cachedJson<z.infer<typeof ChainQuery>>(
    db,
    async (q) => {
      const [cat, atLevel, city, areas] = await Promise.all([
        catalogue(),
        latest(q.level),
        latest('city'),
        names.get(q.level),
      ]);
      return chainBody({ ...q, cat, atLevel, city, areas: areas.value, minCount });
    },
    { compression: FAST },
  );

  return new Hono()
    .get('/gaps', validateQuery(GapsQuery), (c) => gaps.respond(c, c.req.valid('query')))
    .get('/education-chain', validateQuery(ChainQuery), (c) => chains.respond(c, c.req.valid('query')))
    .route('/', areaAnalysisRoutes({ db, minCount }));
}
