import { Hono } from 'hono';
import { z } from 'zod';
import { perDataVersion, requireDataVersion } from '../db/data-version.ts';
import type { Db } from '../db/index.ts';
import { readAreaNames, readQuarterWeights } from '../db/queries/areas.ts';
import {
  type Catalogue,
  catalogueStore,
  type IndicatorRow,
  type LatestRow,
  readLatest,
} from '../db/queries/indicators.ts';
import {
  type BivariateArea,
  bivariate,
  CELL_NAMES,
  cellIndex,
  rankHighNeedLowSupply,
  type TercileSplit,
  terciles,
} from '../domain/bivariate.ts';
import type { MaybeNumber } from '../domain/classify.ts';
import { NO_VALUE, roundValue, type Text, type ValueLevel } from '../domain/indicators.ts';
import { ChainResponse, GapsResponse, ValueLevelSchema } from '../domain/indicators-schema.ts';
import { indicatorSummary, showValue } from '../domain/indicators-show.ts';
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

/** The newest values of every indicator at one level, indexed by indicator and area; read once per import. */
export function latestStore(db: Db) {
  const store = perDataVersion<ValueLevel | 'city', Map<string, Map<string, LatestRow>>>(db, async (level) => {
    const byIndicator = new Map<string, Map<string, LatestRow>>();
    for (const row of await readLatest(db, level)) {
      let m = byIndicator.get(row.indicator_id);
      if (!m) byIndicator.set(row.indicator_id, (m = new Map()));
      m.set(row.area_code, row);
    }
    return byIndicator;
  });
  return async (level: ValueLevel | 'city') => (await store.get(level)).value;
}

/** The value of one indicator for one area as the API shows it, or null with the reason. */
export function shownLatest(
  latest: Map<string, Map<string, LatestRow>>,
  ind: IndicatorRow,
  code: string,
  cat: Catalogue,
  minCount: number,
) {
  const row = latest.get(ind.id)?.get(code);
  return showValue(row ? { ...row, has_row: true } : { ...EMPTY, has_row: false }, ind, cat, minCount);
}

const EMPTY = {
  value: null,
  reference_date: null,
  method: null,
  source_id: null,
  source_url: null,
  quote: null,
  note: null,
  basis_count: null,
};

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
  latest: Map<string, Map<string, LatestRow>>,
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
    'Schwelle unterbricht die Kette; die Schulformen einzeln werden gezeigt, zählen aber nicht als eigene Stufe.',
  en:
    'Each stage is the share of addresses with an offer of the stage in a straight line: Kita 500 m, primary ' +
    'school and library 1 km, secondary school (any type) 2 km, vocational college 3 km. A stage under the ' +
    'threshold breaks the chain; the school types are shown one by one but do not count as stages of their own.',
};

// --- Gaps ---------------------------------------------------------------------------------------------------

const AA_METHOD: Text = {
  de:
    'Innen, übrige Stadt und Stadt: Mittel der Werte der statistischen Bezirke, gewichtet mit ihren Adressen ' +
    'innerhalb eines Aktionsraums, außerhalb und insgesamt. Ein Bezirk, der nur teilweise in einem Aktionsraum ' +
    'liegt, zählt anteilig, und sein Wert gilt für alle seine Adressen. Die Aktionsräume einzeln: ihre eigenen ' +
    'Werte, eingeordnet in die Terzile der gewählten Ebene.',
  en:
    'Inside, rest of the city and city: the mean of the quarters’ values weighted by their addresses inside an ' +
    'action area, outside and in all. A quarter only partly inside counts in proportion, and its value is taken to ' +
    'hold for all its addresses. The action areas one by one: their own values, placed in the terciles of the ' +
    'level chosen.',
};

interface Side {
  ind: IndicatorRow;
  inverted: boolean;
  /** Value as given → value whose high end means high need (need side) or high supply (supply side). */
  turn: (v: number | null) => number | null;
}

function side(ind: IndicatorRow, role: 'need' | 'supply'): Side {
  const inverted = role === 'need' ? ind.direction === 'strength' : ind.direction === 'need';
  return { ind, inverted, turn: (v) => (v === null ? null : inverted ? -v : v) };
}

/** A tercile split reported on the values as given: with a turned indicator the bounds turn back. */
function splitAsGiven(split: TercileSplit, inverted: boolean) {
  const breaks = split.breaks && inverted ? ([-split.breaks[1], -split.breaks[0]] as [number, number]) : split.breaks;
  return {
    breaks: breaks ? (breaks.map((b) => roundValue(b) as number) as [number, number]) : null,
    constant: split.constant,
    counts: split.counts,
    missing: split.missing,
  };
}

function weightedMeans(
  values: Map<string, number | null>,
  weights: { code: string; inside: number; outside: number }[],
  cityValue: number | null,
) {
  let inV = 0;
  let inW = 0;
  let outV = 0;
  let outW = 0;
  const without: string[] = [];
  for (const w of weights) {
    const v = values.get(w.code) ?? null;
    if (v === null) {
      without.push(w.code);
      continue;
    }
    inV += v * w.inside;
    inW += w.inside;
    outV += v * w.outside;
    outW += w.outside;
  }
  return {
    inside: inW > 0 ? roundValue(inV / inW) : null,
    rest: outW > 0 ? roundValue(outV / outW) : null,
    city: inW + outW > 0 ? roundValue((inV + outV) / (inW + outW)) : null,
    city_value: cityValue,
    inside_addresses: inW,
    rest_addresses: outW,
    quarters_without_value: without,
  };
}

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
        return side(ind, param);
      };
      const need = pick('need');
      const supply = pick('supply');
      const [atLevel, quarters, actionAreas, city] = await Promise.all([
        latest(q.level),
        latest('quarter'),
        latest('action-area'),
        latest('city'),
      ]);
      const areas = (await names.get(q.level)).value;
      const shown = areas.map((a) => ({
        area: a,
        need: shownLatest(atLevel, need.ind, a.code, cat, minCount),
        supply: shownLatest(atLevel, supply.ind, a.code, cat, minCount),
      }));
      const result = bivariate(
        shown.map((s) => ({ id: s.area.code, need: need.turn(s.need.value), supply: supply.turn(s.supply.value) })),
      );
      const reasons = (s: (typeof shown)[number]) =>
        [s.need, s.supply].filter((v) => v.value === null).map((v) => v.reason ?? NO_VALUE);
      const asGiven = (a: BivariateArea, i: number) => {
        const s = shown[i] as (typeof shown)[number];
        return {
          code: a.id,
          name: s.area.name,
          need: s.need.value,
          supply: s.supply.value,
          need_tercile: a.needTercile,
          supply_tercile: a.supplyTercile,
          cell: a.cell,
          cell_name: a.cellName,
          reasons: reasons(s),
        };
      };
      const byCode = new Map(shown.map((s) => [s.area.code, s]));

      // Action areas: their own values, placed in the terciles of the level.
      const needSplit = terciles(result.areas.map((a) => a.need as MaybeNumber));
      const supplySplit = terciles(result.areas.map((a) => a.supply as MaybeNumber));
      const aaAreas = (await names.get('action-area')).value.map((a) => {
        const n = shownLatest(actionAreas, need.ind, a.code, cat, minCount);
        const s = shownLatest(actionAreas, supply.ind, a.code, cat, minCount);
        const nt = needSplit.tercileOf(need.turn(n.value));
        const st = supplySplit.tercileOf(supply.turn(s.value));
        const cell = cellIndex(nt, st);
        return {
          code: a.code,
          name: a.name,
          numbered: a.numbered,
          need: n.value,
          supply: s.value,
          need_tercile: nt,
          supply_tercile: st,
          cell,
          cell_name: cell === null ? null : (CELL_NAMES[cell] ?? null),
          reasons: [n, s].filter((v) => v.value === null).map((v) => v.reason ?? NO_VALUE),
        };
      });
      const quarterWeights = (await weights.get('quarters')).value;
      const quarterValues = (s: Side) =>
        new Map(quarterWeights.map((w) => [w.code, shownLatest(quarters, s.ind, w.code, cat, minCount).value]));
      const cityOf = (s: Side) =>
        shownLatest(city, s.ind, [...(city.get(s.ind.id)?.keys() ?? [])][0] ?? '', cat, minCount);

      const body: z.infer<typeof GapsResponse> = {
        level: q.level,
        min_count: minCount,
        need: {
          indicator: indicatorSummary(need.ind, cat),
          inverted: need.inverted,
          terciles: splitAsGiven(result.need, need.inverted),
        },
        supply: {
          indicator: indicatorSummary(supply.ind, cat),
          inverted: supply.inverted,
          terciles: splitAsGiven(result.supply, supply.inverted),
        },
        cells: CELL_NAMES.map((name, index) => ({ index, name, count: result.counts[index] ?? 0 })),
        areas: result.areas.map(asGiven),
        gaps: rankHighNeedLowSupply(result).map((a) => {
          const s = byCode.get(a.id) as (typeof shown)[number];
          return {
            rank: a.rank,
            code: a.id,
            name: s.area.name,
            need: s.need.value as number,
            supply: s.supply.value as number,
          };
        }),
        action_areas: {
          method: AA_METHOD,
          comparison: {
            need: weightedMeans(quarterValues(need), quarterWeights, cityOf(need).value),
            supply: weightedMeans(quarterValues(supply), quarterWeights, cityOf(supply).value),
          },
          areas: aaAreas,
        },
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
