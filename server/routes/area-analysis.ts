import { Hono } from 'hono';
import { z } from 'zod';
import { perDataVersion } from '../db/data-version.ts';
import { readAreaNames, readContiguity, readQuarterActionAreas, readQuarterWeights } from '../db/queries/areas.ts';
import {
  type Catalogue,
  catalogueStore,
  type IndicatorRow,
  readValues,
  type ValueRow,
} from '../db/queries/indicators.ts';
import { DesignationResponse, IndexResponse, LisaResponse, PresetsResponse } from '../domain/analysis-schema.ts';
import {
  designationBody,
  type IndexPart,
  indexBody,
  lisaBody,
  type QuarterFacts,
  shownValues,
} from '../domain/area-analysis.ts';
import { parseRule, RuleError } from '../domain/designation.ts';
import { INDEX_PRESETS, INDEX_PRESETS_ABOUT, presetSummary } from '../domain/index-presets.ts';
import type { ValueLevel } from '../domain/indicators.ts';
import { ValueLevelSchema } from '../domain/indicators-schema.ts';
import { hasDate } from '../domain/indicators-show.ts';
import { LisaError } from '../domain/lisa.ts';
import { IndexError, parseWeights } from '../domain/social-index.ts';
import { badRequest } from '../http/problem.ts';
import { cachedJson, FAST } from '../http/representation.ts';
import { documentRoute, queryNumber, validateQuery } from '../http/validate.ts';
import { type IndicatorDeps, IndicatorParams } from './indicators.ts';

/**
 * /api/analysis/lisa, /index, /index/presets and /designation: hot spots with their significance, a composite
 * social index, and which quarters a rule on it would designate compared with today's Aktionsräume. Values are
 * read through db/queries/indicators.ts and shown with the privacy rule; the maths is in server/domain.
 */

const Id = IndicatorParams.shape.id;
const DateParam = z.string().max(40).optional();
const Seed = queryNumber(z.number().int().min(0).max(4_294_967_295).default(1)).describe(
  'Seed of the random draws: the same seed gives the same answer',
);

export const LisaQuery = z.strictObject({
  indicator: Id.describe('The indicator, e.g. school_social_index_nearest_primary'),
  level: ValueLevelSchema.default('quarter'),
  date: DateParam.describe('A reference date from the catalogue: the values of that date instead of the newest'),
  permutations: queryNumber(z.number().int().min(0).max(9999).default(999)).describe(
    'Random permutations for the pseudo p-values (0: none)',
  ),
  seed: Seed,
  alpha: queryNumber(z.number().gt(0).max(0.5).default(0.05)).describe('Significance level'),
  fdr: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: significance by the Benjamini–Hochberg false-discovery-rate cut-off at alpha'),
});

const IndicatorList = z
  .string()
  .max(2000)
  .regex(/^[a-z0-9_]{1,80}(,[a-z0-9_]{1,80})*$/, 'must be indicator ids separated by commas')
  .optional()
  .describe('The indicators of the index, comma separated (or a preset; neither: the first preset the data can fill)');

const indexShape = {
  level: ValueLevelSchema.default('quarter'),
  indicators: IndicatorList,
  preset: z.string().max(80).optional().describe('A preset from /api/analysis/index/presets instead of indicators'),
  weights: z
    .string()
    .max(500)
    .optional()
    .describe('One positive weight per indicator, comma separated; normalised to sum 1. Default: equal'),
  method: z.enum(['z', 'rank']).default('z').describe('z: z-standardised values; rank: ranks scaled to 0–1'),
  date: DateParam.describe('A reference date every indicator has values for: those values instead of the newest'),
  since: DateParam.describe('An earlier reference date every indicator has values for: change classes since then'),
  draws: queryNumber(z.number().int().min(0).max(1000).default(200)).describe(
    'Draws of perturbed weights for the rank bands (0: none)',
  ),
  concentration: queryNumber(z.number().min(1).max(10_000).default(50)).describe(
    'Concentration of the Dirichlet draws around the weights: higher, smaller changes',
  ),
  seed: Seed,
};

export const IndexQuery = z.strictObject(indexShape);

export const DesignationQuery = z.strictObject({
  ...indexShape,
  level: z.enum(['quarter']).default('quarter').describe("quarter: today's Aktionsräume are compared by quarter"),
  rule: z.string().max(40).describe('top:N (the N areas of highest index) or threshold:X (index X or more)'),
});

export const PresetsQuery = z.strictObject({ level: ValueLevelSchema.default('quarter') });

documentRoute({
  method: 'get',
  path: '/api/analysis/lisa',
  tag: 'analysis',
  summary: "Hot spots: global and local Moran's I with pseudo p-values from permutations",
  description:
    'Queen contiguity of the polygons, row-standardised; areas without a value (missing or withheld) are left ' +
    'out of the weights, and areas left without a neighbour are named as islands. Global I, E[I], z and p under ' +
    'normality and a pseudo p from permutations; per area the local I, quadrant, pseudo p from conditional ' +
    'permutations and significance at the level alpha, optionally with the Benjamini–Hochberg FDR cut-off. The same seed ' +
    'gives the same answer.',
  query: LisaQuery,
  response: { description: 'Global and local statistics', schema: LisaResponse, cached: true },
  example: '/api/analysis/lisa?indicator=school_social_index_nearest_primary&level=quarter&permutations=999&seed=1',
  errors: [{ status: 503, description: 'No data imported yet' }],
});

documentRoute({
  method: 'get',
  path: '/api/analysis/index',
  tag: 'analysis',
  summary: 'A composite social index: direction-aware z-scores or ranks, weighted, with classes and rank bands',
  description:
    'Each indicator is turned so that higher means more need, z-standardised or ranked over the areas with a ' +
    'value for every indicator, and averaged with the weights (normalised to sum 1). Per area: the index, its ' +
    'status class (named as Berlin’s Monitoring Soziale Stadtentwicklung names them), its rank, the ' +
    'contribution of each indicator, the band its rank moves in when the weights are perturbed (Dirichlet ' +
    'draws), and with `since` the class of change. A preset names its indicators and what it could not fill.',
  query: IndexQuery,
  response: { description: 'The index per area', schema: IndexResponse, cached: true },
  example:
    '/api/analysis/index?level=quarter&indicators=school_social_index_nearest_primary,coverage_childcare_500m&weights=2,1',
  errors: [{ status: 503, description: 'No data imported yet' }],
});

documentRoute({
  method: 'get',
  path: '/api/analysis/index/presets',
  tag: 'analysis',
  summary: 'The presets of the composite index, with what each can and cannot fill at a level',
  query: PresetsQuery,
  response: { description: 'The presets', schema: PresetsResponse, cached: true },
  example: '/api/analysis/index/presets?level=quarter',
  errors: [{ status: 503, description: 'No data imported yet' }],
});

documentRoute({
  method: 'get',
  path: '/api/analysis/designation',
  tag: 'analysis',
  summary: "Which quarters a rule on the index would designate, compared with today's Aktionsräume",
  description:
    'Takes the parameters of /api/analysis/index and a rule (top:N or threshold:X on the index). Lists the ' +
    'quarters selected and compares them with the quarters of today’s Aktionsräume (at least half of their ' +
    'addresses inside one): in both, entering, leaving, each with its margin to the rule, and the addresses ' +
    'and residents (published or modelled, said apart) of each set.',
  query: DesignationQuery,
  response: { description: 'The sets and their totals', schema: DesignationResponse, cached: true },
  example:
    '/api/analysis/designation?indicators=school_social_index_nearest_primary,coverage_childcare_500m&rule=top:13',
  errors: [{ status: 503, description: 'No data imported yet' }],
});

interface ValuesKey {
  id: string;
  level: ValueLevel;
  date: string | null;
}

type IndexKey = z.infer<typeof IndexQuery>;

/** The indicators and normalised weights of an index query, checked against the catalogue. */
function resolveIndex(q: IndexKey, cat: Catalogue) {
  if (q.preset !== undefined && q.indicators !== undefined)
    throw badRequest('preset', 'give either a preset or indicators, not both');
  let ids: string[];
  let presetWeights: number[] | null = null;
  let preset: ReturnType<typeof presetSummary> | null = null;
  // Neither: the first preset the data can fill at the level (the answer names it).
  const presetId =
    q.preset ??
    (q.indicators === undefined
      ? INDEX_PRESETS.find((p) => presetSummary(p, cat, q.level).indicators.length > 0)?.id
      : undefined);
  if (presetId !== undefined) {
    const found = INDEX_PRESETS.find((p) => p.id === presetId);
    if (!found)
      throw badRequest('preset', `no preset ${presetId}; presets: ${INDEX_PRESETS.map((p) => p.id).join(', ')}`);
    preset = presetSummary(found, cat, q.level);
    if (preset.indicators.length === 0)
      throw badRequest(
        'preset',
        `preset ${found.id} has no indicator with values for at least half of the areas at level ${q.level}: ` +
          preset.unfilled.map((u) => u.id ?? u.topic.en).join(', '),
      );
    ids = preset.indicators.map((i) => i.id);
    presetWeights = preset.indicators.map((i) => i.weight);
  } else if (q.indicators !== undefined) {
    ids = q.indicators.split(',');
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) throw badRequest('indicators', `${twice} is named twice`);
  } else throw badRequest('indicators', `is required: no preset can be filled at level ${q.level}`);
  const inds = ids.map((id): IndicatorRow => {
    const ind = cat.byId.get(id);
    if (!ind) throw badRequest('indicators', `no indicator with id ${id}; /api/indicators lists them`);
    if (ind.direction === 'neutral')
      throw badRequest('indicators', `${id} has no direction (neither need nor strength): the index cannot turn it`);
    return ind;
  });
  for (const param of ['date', 'since'] as const) {
    const date = q[param];
    if (date === undefined) continue;
    const lacking = inds.find((ind) => !hasDate(cat, ind.id, date));
    if (lacking)
      throw badRequest(param, `indicator ${lacking.id} has no values dated ${date}; the catalogue lists its dates`);
  }
  const weights =
    q.weights === undefined && presetWeights
      ? presetWeights.map((w) => w / presetWeights.reduce((s, x) => s + x, 0))
      : parseWeights(q.weights, inds.length);
  return { inds, weights, preset };
}

export function areaAnalysisRoutes({ db, minCount }: IndicatorDeps) {
  const catalogue = catalogueStore(db);
  const names = perDataVersion<ValueLevel, { code: string; name: string }[]>(db, (level) => readAreaNames(db, level));
  const contiguity = perDataVersion<ValueLevel, Map<string, string[]>>(db, (level) => readContiguity(db, level));
  const stored = perDataVersion<ValuesKey, ValueRow[]>(db, (k) => readValues(db, k.id, k.level, { date: k.date }));
  const quarterFacts = perDataVersion<
    'quarter',
    {
      weights: Awaited<ReturnType<typeof readQuarterWeights>>;
      members: Awaited<ReturnType<typeof readQuarterActionAreas>>;
    }
  >(db, async () => ({ weights: await readQuarterWeights(db), members: await readQuarterActionAreas(db) }));
  const values = async (id: string, level: ValueLevel, date: string | null) =>
    (await stored.get({ id, level, date })).value;

  const lisaAnswers = cachedJson<z.infer<typeof LisaQuery>>(
    db,
    async (q) => {
      const cat = await catalogue();
      const ind = cat.byId.get(q.indicator);
      if (!ind) throw badRequest('indicator', `no indicator with id ${q.indicator}; /api/indicators lists them`);
      const date = q.date?.trim() || null;
      if (date !== null && !hasDate(cat, ind.id, date))
        throw badRequest('date', `indicator ${ind.id} has no values dated ${date}; the catalogue lists its dates`);
      const [rows, touches] = await Promise.all([values(ind.id, q.level, date), contiguity.get(q.level)]);
      try {
        return lisaBody(ind, cat, rows, touches.value, { ...q, date, fdr: q.fdr === 'true' }, minCount);
      } catch (err) {
        if (err instanceof LisaError) throw badRequest('indicator', `${ind.id} at level ${q.level}: ${err.message}`);
        throw err;
      }
    },
    { compression: FAST },
  );

  /** The index body of a query; the maths' refusals (IndexError) become 400s naming the parameter. */
  const buildIndexBody = async (q: IndexKey) => {
    const cat = await catalogue();
    try {
      const { inds, weights, preset } = resolveIndex(q, cat);
      const date = q.date ?? null;
      const since = q.since ?? null;
      const shown = async (ind: IndicatorRow, d: string | null) =>
        shownValues(await values(ind.id, q.level, d), ind, cat, minCount, d);
      const parts: IndexPart[] = await Promise.all(
        inds.map(async (ind) => ({
          ind,
          values: await shown(ind, date),
          before: since === null ? null : await shown(ind, since),
        })),
      );
      const areas = (await names.get(q.level)).value;
      const request = { ...q, date, since, weights };
      return indexBody(parts, areas, cat, request, preset, minCount);
    } catch (err) {
      if (err instanceof IndexError) throw badRequest(err.param, err.message);
      throw err;
    }
  };
  const indexAnswers = cachedJson<IndexKey>(db, buildIndexBody, { compression: FAST });

  const presetAnswers = cachedJson<z.infer<typeof PresetsQuery>>(db, async (q) => {
    const cat = await catalogue();
    return {
      level: q.level,
      about: { de: INDEX_PRESETS_ABOUT, en: INDEX_PRESETS_ABOUT },
      presets: INDEX_PRESETS.map((p) => presetSummary(p, cat, q.level)),
    };
  });

  const designationAnswers = cachedJson<z.infer<typeof DesignationQuery>>(
    db,
    async (q) => {
      let rule: ReturnType<typeof parseRule>;
      try {
        rule = parseRule(q.rule);
      } catch (err) {
        if (err instanceof RuleError) throw badRequest('rule', err.message);
        throw err;
      }
      const index = await buildIndexBody(q);
      const cat = await catalogue();
      const facts = (await quarterFacts.get('quarter')).value;
      const residentsInd = cat.byId.get('residents');
      const residents = residentsInd
        ? shownValues(await values(residentsInd.id, 'quarter', null), residentsInd, cat, minCount, null)
        : new Map();
      const byQuarter = new Map<string, QuarterFacts>();
      for (const w of facts.weights)
        byQuarter.set(w.code, {
          addresses: w.inside + w.outside,
          actionAreas: [],
          residents: residents.get(w.code) ?? null,
        });
      for (const m of facts.members)
        byQuarter.get(m.quarter_code)?.actionAreas.push({ code: m.code, name: m.name, address_share: m.address_share });
      return designationBody(index, q.rule.trim(), rule, byQuarter);
    },
    { compression: FAST },
  );

  return new Hono()
    .get('/lisa', validateQuery(LisaQuery), (c) => lisaAnswers.respond(c, c.req.valid('query')))
    .get('/index/presets', validateQuery(PresetsQuery), (c) => presetAnswers.respond(c, c.req.valid('query')))
    .get('/index', validateQuery(IndexQuery), (c) => indexAnswers.respond(c, c.req.valid('query')))
    .get('/designation', validateQuery(DesignationQuery), (c) => designationAnswers.respond(c, c.req.valid('query')));
}
