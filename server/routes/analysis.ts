import { Hono } from 'hono';
import { z } from 'zod';
import { perDataVersion, requireDataVersion } from '../db/data-version.ts';
import { readAreaNames, readQuarterWeights } from '../db/queries/areas.ts';
import {
  type Catalogue,
  catalogueStore,
  type IndicatorRow,
  type LatestByIndicator,
  latestStore,
} from '../db/queries/indicators.ts';
import { analyseGaps, type GapArea, type Turn, turnFor, weightedMeans } from '../domain/gaps.ts';
import type { Text, ValueLevel } from '../domain/indicators.ts';
import { ChainResponse, GapsResponse, ValueLevelSchema } from '../domain/indicators-schema.ts';
import { indicatorSummary, type ShownValue, shownLatest } from '../domain/indicators-show.ts';
import { badRequest } from '../http/problem.ts';
import { jsonWithEtag } from '../http/representation.ts';
import { documentRoute, queryNumber, validateQuery } from '../http/validate.ts';
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

export const DEFAULT_THRESHOLD = 50;

export const ChainQuery = z.strictObject({
  level: ValueLevelSchema.default('quarter'),
  threshold: queryNumber(z.number().min(0).max(100).default(DEFAULT_THRESHOLD)).describe(
    'A stage breaks where fewer than this share (%) of the addresses reach it',
  ),
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

// --- The education chain ----------------------------------------------------------------------------------

export interface ChainStageDef {
  stage: string;
  label: Text;
  radius_m: number;
  indicator: IndicatorRow;
  parent: string | null;
}

export function chainStages(cat: Catalogue): ChainStageDef[] {
  return cat.facets
    .filter((f) => f.family === 'education-chain' && f.radius_m !== null && cat.byId.has(f.indicator_id))
    .sort((a, b) => a.sort - b.sort)
    .map((f) => ({
      stage: f.member,
      label: f.label,
      radius_m: f.radius_m as number,
      indicator: cat.byId.get(f.indicator_id) as IndicatorRow,
      parent: f.parent,
    }));
}

/** The stages of one area: each value, whether it lies under the threshold, and the main stages that break. */
export function chainOfArea(
  stages: ChainStageDef[],
  latest: LatestByIndicator,
  code: string,
  threshold: number,
  cat: Catalogue,
  minCount: number,
) {
  const values = stages.map((s) => {
    const v = shownLatest(latest, s.indicator, code, cat, minCount);
    return {
      stage: s.stage,
      value: v.value,
      suppressed: v.suppressed,
      below: v.value === null ? null : v.value < threshold,
    };
  });
  const breaks = values.filter((v, i) => v.below === true && stages[i]?.parent === null).map((v) => v.stage);
  return { values, breaks };
}

const CHAIN_METHOD: Text = {
  de:
    'Jede Stufe ist der Anteil der Adressen mit einem Angebot der Stufe in Luftlinie: Kita 500 m, Grundschule ' +
    'und Bibliothek 1 km, weiterführende Schule (jede Schulform) 2 km, Berufskolleg 3 km. Eine Stufe unter der ' +
    'Schwelle unterbricht die Kette; die Schulformen einzeln werden gezeigt, zählen aber nicht als eigene Stufe. ' +
    'Die Brüche messen Entfernung, nicht Bedarf: Sie häufen sich am Stadtrand, wo Angebote weiter auseinander ' +
    'liegen. Wo Bedarf und Brüche zusammentreffen, zeigt die Lückenanalyse mit einem sozialen Bedarfsindikator.',
  en:
    'Each stage is the share of addresses with an offer of the stage in a straight line: Kita 500 m, primary ' +
    'school and library 1 km, secondary school (any type) 2 km, vocational college 3 km. A stage under the ' +
    'threshold breaks the chain; the school types are shown one by one but do not count as stages of their own. ' +
    'The breaks measure distance, not need: they gather at the edge of the city, where offers lie further apart. ' +
    'Where need and breaks meet is shown by the gap analysis with a social need indicator.',
};

// --- Gaps ---------------------------------------------------------------------------------------------------

const AA_METHOD: Text = {
  de:
    'Innen, übrige Stadt und Stadt: Mittel der Werte der statistischen Bezirke, gewichtet mit ihren Adressen ' +
    'innerhalb eines Aktionsraums, außerhalb und insgesamt. Ein Bezirk, der nur teilweise in einem Aktionsraum ' +
    'liegt, zählt anteilig, und sein Wert gilt für alle seine Adressen. Die Aktionsräume einzeln: ihre eigenen ' +
    'Werte, eingeordnet in die Terzile der statistischen Bezirke der ganzen Stadt (nicht nur der Aktionsräume ' +
    'untereinander) und verglichen mit der übrigen Stadt.',
  en:
    'Inside, rest of the city and city: the mean of the quarters’ values weighted by their addresses inside an ' +
    'action area, outside and in all. A quarter only partly inside counts in proportion, and its value is taken to ' +
    'hold for all its addresses. The action areas one by one: their own values, placed in the terciles of the ' +
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
  const weights = perDataVersion<'quarters', { code: string; inside: number; outside: number }[]>(db, () =>
    readQuarterWeights(db),
  );

  return new Hono()
    .get('/gaps', validateQuery(GapsQuery), async (c) => {
      const q = c.req.valid('query');
      const version = await requireDataVersion(db);
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
      return jsonWithEtag(c, version, body);
    })
    .get('/education-chain', validateQuery(ChainQuery), async (c) => {
      const q = c.req.valid('query');
      const version = await requireDataVersion(db);
      const cat = await catalogue();
      const stages = chainStages(cat);
      const [atLevel, city] = await Promise.all([latest(q.level), latest('city')]);
      const areas = (await names.get(q.level)).value.map((a) => {
        const chain = chainOfArea(stages, atLevel, a.code, q.threshold, cat, minCount);
        return { code: a.code, name: a.name, stages: chain.values, breaks: chain.breaks };
      });
      const cityCode = (id: string) => [...(city.get(id)?.keys() ?? [])][0] ?? '';
      const body: z.infer<typeof ChainResponse> = {
        level: q.level,
        threshold: q.threshold,
        method: CHAIN_METHOD,
        stages: stages.map((s) => ({
          stage: s.stage,
          label: s.label,
          radius_m: s.radius_m,
          indicator_id: s.indicator.id,
          parent: s.parent,
          city_value: shownLatest(city, s.indicator, cityCode(s.indicator.id), cat, minCount).value,
        })),
        areas,
        summary: stages.map((s, i) => ({
          stage: s.stage,
          areas_below: areas.filter((a) => a.stages[i]?.below === true).length,
        })),
      };
      return jsonWithEtag(c, version, body);
    });
}
