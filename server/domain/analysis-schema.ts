/**
 * The shapes of the hot-spot (LISA), composite index and designation answers, as zod schemas: they document the
 * API (/api/openapi.json) and the tests check every answer against them. Keys are snake_case.
 */
import { z } from 'zod';
import { IndicatorSummary, MethodSchema, TextSchema, ValueLevelSchema } from './indicators-schema.ts';
import { CHANGE_CLASSES, STATUS_CLASSES } from './social-index.ts';

export const CLUSTERS = [
  'high-high',
  'low-low',
  'low-high',
  'high-low',
  'not-significant',
  'island',
  'missing',
] as const;

const MissingArea = z.strictObject({
  code: z.string(),
  name: z.string(),
  suppressed: z.boolean().describe('true: withheld for privacy; false: no value stored'),
  reason: TextSchema,
});

export const LisaResponse = z.strictObject({
  indicator: IndicatorSummary,
  level: ValueLevelSchema,
  date: z.string().nullable().describe('The reference date asked for; null: the newest value of each area'),
  dates: z.array(z.string()).describe('The reference dates of the values used, newest first'),
  min_count: z.number().int(),
  n: z.number().int().describe('Areas with a value: the observations'),
  weights: z.strictObject({
    kind: z.literal('queen-contiguity'),
    transform: z.literal('row-standardised'),
    method: TextSchema,
    neighbours: z.strictObject({ min: z.number().int(), max: z.number().int(), mean: z.number() }),
  }),
  missing: z.strictObject({
    method: TextSchema.describe('How areas without a value are treated'),
    areas: z.array(MissingArea),
  }),
  islands: z
    .array(z.strictObject({ code: z.string(), name: z.string(), touches: z.array(z.string()) }))
    .describe('Areas with a value but no neighbour with a value: no local statistic'),
  permutations: z.number().int(),
  seed: z.number().int(),
  alpha: z.number(),
  fdr: z.boolean(),
  cutoff: z.number().describe('A local pseudo p-value below this is significant: alpha, or the FDR cut-off'),
  global: z.strictObject({
    i: z.number().describe("Moran's I"),
    expected: z.number().describe('E[I] = −1/(n − 1)'),
    z_normal: z.number().describe('z under the normality assumption'),
    p_normal: z.number().describe('Two-sided p under the normality assumption'),
    p_sim: z.number().nullable().describe('Pseudo p from the permutations (folded, one-sided); null without them'),
    z_sim: z.number().nullable(),
  }),
  counts: z.record(z.enum(CLUSTERS), z.number().int()),
  areas: z.array(
    z.strictObject({
      code: z.string(),
      name: z.string(),
      value: z.number().nullable(),
      z: z.number().nullable().describe('The standardised value'),
      lag: z.number().nullable().describe('The mean standardised value of the neighbours'),
      neighbours: z.array(z.string()).describe('The neighbours with a value, by code'),
      local_i: z.number().nullable(),
      quadrant: z.enum(['high-high', 'low-low', 'low-high', 'high-low']).nullable(),
      p_sim: z.number().nullable(),
      significant: z.boolean(),
      cluster: z.enum(CLUSTERS).describe('The quadrant where significant, else not-significant, island or missing'),
    }),
  ),
  explanation: TextSchema,
});

const StatusSchema = z.enum(STATUS_CLASSES);
const ChangeSchema = z.enum(CHANGE_CLASSES);

export const PresetSummary = z.strictObject({
  id: z.string(),
  title: TextSchema,
  description: TextSchema,
  indicators: z
    .array(z.strictObject({ id: z.string(), weight: z.number() }))
    .describe('The indicators the preset could fill at this level, with its weights (not yet normalised)'),
  unfilled: z
    .array(z.strictObject({ id: z.string().nullable(), topic: TextSchema, reason: TextSchema }))
    .describe('What the preset asks for and the data cannot give at this level'),
});

export const IndexIndicatorSchema = z.strictObject({
  indicator: IndicatorSummary,
  weight: z.number().describe('Normalised: the weights sum to 1'),
  turned: z
    .boolean()
    .describe('true for an indicator of strength: its scores are turned so that higher means more need'),
  mean: z.number(),
  sd: z.number().describe('Sample standard deviation over the complete areas'),
  constant: z.boolean().describe('All complete areas have the same value: it scores 0 everywhere'),
  dates: z.array(z.string()).describe('The reference dates of the values used'),
  methods: z.array(MethodSchema).describe('How the values used were made (published, computed, modelled)'),
});

export const IndexArea = z.strictObject({
  code: z.string(),
  name: z.string(),
  index: z.number().nullable(),
  t: z.number().nullable().describe('The standardised index: (index − mean) / sd'),
  status: StatusSchema.nullable(),
  rank: z.number().int().nullable().describe('1 = most need'),
  band: z
    .strictObject({ low: z.number(), median: z.number(), high: z.number() })
    .nullable()
    .describe('5th, 50th and 95th percentile of the rank under perturbed weights'),
  change: z
    .strictObject({ value: z.number(), t: z.number(), class: ChangeSchema })
    .nullable()
    .describe('Only with `since`: the change index and its class'),
  contributions: z.array(z.number().nullable()).describe('Per indicator, in order: weight × score'),
  values: z
    .array(z.number().nullable())
    .describe('Per indicator, in order: the value used (null: missing or withheld)'),
  missing: z.array(z.string()).describe('Indicators the area has no value for'),
});

const ClassLabel = <T extends z.ZodType>(id: T) => z.strictObject({ id, label: TextSchema, rule: z.string() });

export const IndexResponse = z.strictObject({
  level: ValueLevelSchema,
  method: z.enum(['z', 'rank']),
  date: z.string().nullable(),
  since: z.string().nullable(),
  min_count: z.number().int(),
  preset: PresetSummary.nullable(),
  indicators: z.array(IndexIndicatorSchema),
  complete: z.number().int().describe('Areas with a value for every indicator: the ones with an index'),
  index: z.strictObject({ mean: z.number(), sd: z.number() }),
  status_classes: z.array(ClassLabel(StatusSchema)),
  change_classes: z.array(ClassLabel(ChangeSchema)),
  stability: z.strictObject({
    draws: z.number().int(),
    concentration: z.number(),
    seed: z.number().int(),
    method: TextSchema,
  }),
  method_text: TextSchema.describe('How the index is made, in words'),
  areas: z.array(IndexArea),
});

export const PresetsResponse = z.strictObject({
  level: ValueLevelSchema,
  about: TextSchema,
  presets: z.array(PresetSummary),
});

const SetTotals = z.strictObject({
  areas: z.number().int(),
  addresses: z.number().int(),
  residents: z.number(),
  residents_published: z.number().describe('Of residents: from published figures'),
  residents_modelled: z.number().describe('Of residents: estimated (modelled), where no figure is published'),
  residents_missing: z.number().int().describe('Areas of the set without a residents figure'),
});

const Member = z.strictObject({
  code: z.string(),
  name: z.string(),
  index: z.number(),
  margin: z.number().describe('index − cut: how far above (≥ 0) or below the rule'),
  today_share: z.number().describe("Share of the area's addresses in today's Aktionsräume"),
  action_areas: z.array(z.strictObject({ code: z.string(), name: z.string(), address_share: z.number() })),
  band: z.strictObject({ low: z.number(), median: z.number(), high: z.number() }).nullable(),
});

export const DesignationResponse = z.strictObject({
  rule: z.string(),
  cut: z.number().nullable().describe('The index value of the rule: the N-th highest (top:N) or X (threshold:X)'),
  ties: z.number().int().describe('top:N: how many more than N were taken, tied with the N-th'),
  today_rule: TextSchema.describe("Which quarters count as today's Aktionsräume"),
  residents: TextSchema.describe('Where the residents figures come from'),
  index: IndexResponse.omit({ areas: true }),
  selected: z.array(Member),
  both: z.array(Member),
  entering: z.array(Member),
  leaving: z.array(Member),
  undetermined: z.array(
    z.strictObject({ code: z.string(), name: z.string(), today: z.boolean(), missing: z.array(z.string()) }),
  ),
  totals: z.strictObject({
    selected: SetTotals,
    today: SetTotals,
    both: SetTotals,
    entering: SetTotals,
    leaving: SetTotals,
  }),
});
