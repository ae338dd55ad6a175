/**
 * The shapes of the indicator, analysis and profile answers, as zod schemas: they document the API
 * (/api/openapi.json) and the tests check every answer against them. Keys are snake_case, as in the other routes.
 */
import { z } from 'zod';
import { INDICATOR_METHODS, VALUE_LEVELS } from './indicators.ts';

export const TextSchema = z.strictObject({ de: z.string(), en: z.string() }).describe('German and English text');
export const ValueLevelSchema = z
  .enum(VALUE_LEVELS)
  .describe('district = Stadtbezirk, quarter = statistischer Bezirk, action-area = Aktionsraum');
export const MethodSchema = z.enum(INDICATOR_METHODS);
export const DirectionSchema = z
  .enum(['need', 'strength', 'neutral'])
  .describe('need: higher means more need; strength: higher means more supply or better; neutral: neither');

export const SourceRef = z.strictObject({
  id: z.string(),
  title: z.string(),
  publisher: z.string(),
  licence: z.string(),
  attribution: z.string(),
  url: z.string().nullable(),
});

export const IndicatorSummary = z.strictObject({
  id: z.string(),
  theme: z.string(),
  theme_label: TextSchema,
  title: TextSchema,
  description: TextSchema,
  unit: z.string(),
  direction: DirectionSchema,
  method: MethodSchema,
  method_text: TextSchema.describe('What the method (published, computed, modelled) means, in one sentence'),
  method_note: TextSchema.describe('How this indicator is made: inputs, formula, assumptions, known errors'),
  count_based: z.boolean().describe('Values rest on counts of addresses or persons: small ones are suppressed'),
  sources: z.array(SourceRef).describe('The sources the indicator is made from'),
});

export const FamilyRef = z.strictObject({
  family: z.string().describe('coverage, offers or education-chain'),
  member: z.string().describe('coverage: the target; offers: the category; education-chain: the stage'),
  label: TextSchema,
  measure: z.string().nullable(),
  radius_m: z.number().int().nullable(),
  parent: z.string().nullable().describe('education-chain: the stage a school type belongs to'),
  sort: z.number().int(),
});

export const LevelInfo = z.strictObject({
  level: z.enum([...VALUE_LEVELS, 'city']),
  dates: z.array(z.string()).describe('Every reference date with values, newest first'),
  latest_dates: z.array(z.string()).describe('The reference dates of the values shown by default'),
  areas: z.number().int().describe('Areas with at least one stored row'),
  with_value: z.number().int().describe('Areas whose newest row has a value'),
});

export const KeywordsSchema = z
  .strictObject({ de: z.array(z.string()), en: z.array(z.string()) })
  .describe('Search words in German and English: what the indicator stands for (e.g. child poverty)');

export const CatalogueEntry = IndicatorSummary.extend({
  levels: z.array(LevelInfo),
  families: z.array(FamilyRef),
  keywords: KeywordsSchema,
  coverage: z
    .array(
      z.strictObject({
        level: ValueLevelSchema,
        with_value: z.number().int().describe('Areas whose newest row has a value'),
        of: z.number().int().describe('Areas of the level'),
      }),
    )
    .describe('For every level of areas: how many of its areas have a value'),
});

export const MissingTopicSchema = z.strictObject({
  topic: TextSchema,
  keywords: KeywordsSchema,
  reason: TextSchema.describe('Which data are missing'),
  proxies: z.array(z.string()).describe('Ids of the indicators that come nearest, nearest first'),
});

export const CatalogueResponse = z.strictObject({
  indicators: z.array(CatalogueEntry),
  themes: z.array(z.strictObject({ id: z.string(), label: TextSchema })),
  methods: z.array(z.strictObject({ method: MethodSchema, text: TextSchema })),
  min_count: z.number().int().describe('Count-based values resting on fewer addresses or persons are suppressed'),
  missing_topics: z
    .array(MissingTopicSchema)
    .describe('Topics people search for that the data lack per area, each with the nearest proxies'),
});

export const ValueSource = z.strictObject({
  id: z.string(),
  title: z.string(),
  attribution: z.string(),
  url: z.string().nullable().describe('The page the value was taken from, else the source’s address'),
  quote: z.string().nullable().describe('Published values: the text the value was taken from'),
});

export const AreaValue = z.strictObject({
  code: z.string(),
  name: z.string(),
  value: z.number().nullable().describe('null when missing or suppressed; `reason` says why'),
  reference_date: z.string().nullable(),
  method: MethodSchema.nullable(),
  source: ValueSource.nullable(),
  note: TextSchema.nullable().describe('What the value rests on (computed) or where it was published'),
  basis_count: z.number().int().nullable().describe('Addresses, persons or offers the value rests on'),
  suppressed: z.boolean(),
  reason: TextSchema.nullable().describe('Why the value is missing or withheld'),
  class: z.number().int().nullable().describe('Index of the class of the classification, from 0'),
});

export const ClassificationSchema = z.strictObject({
  method: z.enum(['quantile', 'equal-interval', 'jenks', 'stddev', 'manual']),
  classes_requested: z.number().int(),
  classes: z
    .number()
    .int()
    .describe('Classes formed: fewer than requested where empty or duplicate classes were merged'),
  breaks: z.array(z.number()).describe('Upper bound of each class (inclusive); the last one is the maximum'),
  min: z.number().nullable(),
  max: z.number().nullable(),
  counts: z.array(z.number().int()),
  missing: z.array(z.strictObject({ code: z.string(), name: z.string(), reason: TextSchema })),
  merged: z
    .array(
      z.strictObject({
        requested: z.number().int().describe('Index of the dropped class among the classes the method gave'),
        into: z.number().int().describe('Index of the class (in `breaks`) its range went to'),
        reason: z
          .enum(['duplicate', 'empty'])
          .describe('duplicate: its bound repeats the one before; empty: no area in its range'),
      }),
    )
    .describe('Classes asked for that held no area and were merged into the next class; empty when none was'),
});

export const ValuesResponse = z.strictObject({
  indicator: IndicatorSummary,
  level: ValueLevelSchema,
  date: z.string().nullable().describe('The reference date asked for; null: the newest value of each area'),
  method: MethodSchema.nullable().describe('The method asked for; null: any'),
  min_count: z.number().int(),
  values: z.array(AreaValue),
  city: AreaValue.nullable().describe('The value for the whole city (class is always null)'),
  classification: ClassificationSchema,
});

/**
 * The lean form of the values (`fields=map`): what the map and its legend need per area (code, value, class), the
 * classification and the city value. Names come with the areas, titles, notes and sources with the catalogue;
 * the full form (the default) has them per value, for tables and exports.
 */
export const MapValuesResponse = z.strictObject({
  indicator: z.string().describe('The indicator id; title, unit, method and sources are in /api/indicators'),
  level: ValueLevelSchema,
  date: z.string().nullable().describe('The reference date asked for; null: the newest value of each area'),
  method: MethodSchema.nullable().describe('The method asked for; null: any'),
  min_count: z.number().int(),
  dates: z.array(z.string()).describe('The reference dates of the values shown, newest first'),
  values: z
    .array(z.strictObject({ code: z.string(), value: z.number().nullable(), class: z.number().int().nullable() }))
    .describe('Every area of the level; value null: missing or withheld, see `missing`'),
  city: z
    .strictObject({ value: z.number().nullable(), reference_date: z.string().nullable() })
    .nullable()
    .describe('The value for the whole city'),
  classification: ClassificationSchema.omit({ missing: true }),
  missing: z
    .array(z.strictObject({ code: z.string(), suppressed: z.boolean(), reason: TextSchema }))
    .describe('The areas without a value, with the reason; suppressed: withheld for privacy'),
});

const Tercile = z
  .union([z.literal(0), z.literal(1), z.literal(2)])
  .nullable()
  .describe('0 low, 1 mid, 2 high');

export const TercileSplitSchema = z.strictObject({
  breaks: z.tuple([z.number(), z.number()]).nullable().describe('Upper bounds of the low and mid terciles'),
  constant: z.boolean(),
  counts: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
  missing: z.number().int(),
});

export const GapSide = z.strictObject({
  indicator: IndicatorSummary,
  collapsed: z
    .boolean()
    .describe('All values tie, or both breaks fall on one tied value: the split does not separate the areas'),
  inverted: z
    .boolean()
    .describe('true when low values mean high need (need side) or high supply is low values (supply side)'),
  terciles: TercileSplitSchema.describe('On the values as given; with inverted, the high tercile holds the low values'),
});

export const NeedSource = z
  .strictObject({
    method: MethodSchema.nullable(),
    reference_date: z.string().nullable(),
    basis_count: z.number().int().nullable().describe('Addresses, persons or offers the need value rests on'),
    note: TextSchema.nullable(),
    source: ValueSource.nullable(),
    borrowed: z
      .strictObject({
        indicator_id: z.string().describe('The indicator that measures it (facet family "provenance")'),
        share: z.number().nullable().describe('Share (%) of the area’s addresses whose value comes from another area'),
        basis_count: z.number().int().nullable(),
        note: TextSchema.nullable().describe('How many, and from which areas'),
      })
      .nullable()
      .describe('How much of the value is taken from other areas, where the catalogue measures it'),
  })
  .describe('Where the need value comes from');

export const BivariateArea = z.strictObject({
  code: z.string(),
  name: z.string(),
  need: z.number().nullable(),
  supply: z.number().nullable(),
  need_tercile: Tercile,
  supply_tercile: Tercile,
  cell: z.number().int().nullable().describe('3 · need_tercile + supply_tercile; 6 = high need, low supply'),
  cell_name: z.string().nullable(),
  reasons: z.array(TextSchema).describe('Why need or supply is missing'),
  need_source: NeedSource,
});

export const Comparison = z.strictObject({
  inside: z
    .number()
    .nullable()
    .describe('Resident-weighted mean of the quarters, over their addresses inside times their residents per address'),
  rest: z.number().nullable().describe('The same over the residents outside every action area'),
  city: z.number().nullable().describe('The same over all residents'),
  city_value: z.number().nullable().describe('The indicator’s own value for the city'),
  inside_addresses: z.number().int(),
  rest_addresses: z.number().int(),
  quarters_without_value: z.array(z.string()),
});

export const GapsResponse = z.strictObject({
  level: ValueLevelSchema,
  min_count: z.number().int(),
  reference: z
    .strictObject({
      level: ValueLevelSchema.nullable().describe('null: the areas of `level` themselves'),
      areas: z.number().int(),
    })
    .describe('The areas the terciles are drawn from: for action areas, the quarters of the whole city'),
  warnings: z
    .array(
      z.strictObject({
        code: z.enum([
          'need-collapsed',
          'supply-collapsed',
          'need-uneven',
          'supply-uneven',
          'need-is-access',
          'need-borrowed',
        ]),
        message: TextSchema,
      }),
    )
    .describe('What limits the answer: collapsed terciles, an access measure chosen as need, borrowed need values'),
  ranking_withheld: z.boolean().describe('true when collapsed terciles leave `gaps` empty on purpose'),
  need: GapSide,
  supply: GapSide,
  cells: z.array(z.strictObject({ index: z.number().int(), name: z.string(), count: z.number().int() })),
  areas: z.array(BivariateArea),
  gaps: z
    .array(
      z.strictObject({
        rank: z.number().int(),
        code: z.string(),
        name: z.string(),
        need: z.number(),
        supply: z.number(),
        need_source: NeedSource,
      }),
    )
    .describe('The high-need, low-supply areas: highest need first, then lowest supply'),
  action_areas: z.strictObject({
    method: TextSchema,
    comparison: z.strictObject({ need: Comparison, supply: Comparison }),
    areas: z.array(
      BivariateArea.extend({
        numbered: z.boolean(),
        need_vs_rest: z
          .enum(['higher', 'lower', 'equal'])
          .nullable()
          .describe('Need of the action area against the rest of the city (outside every action area)'),
        supply_vs_rest: z.enum(['higher', 'lower', 'equal']).nullable(),
      }),
    ),
  }),
});

export const ChainStage = z.strictObject({
  stage: z.string(),
  label: TextSchema,
  radius_m: z.number().int(),
  indicator_id: z.string(),
  parent: z.string().nullable(),
});

export const ChainValue = z.strictObject({
  stage: z.string(),
  value: z.number().nullable().describe('Share of addresses with an offer of the stage within its radius, %'),
  suppressed: z.boolean(),
  below: z.boolean().nullable().describe('Under the threshold: the chain breaks here (null without a value)'),
});

export const ChainArea = z.strictObject({
  code: z.string(),
  name: z.string(),
  stages: z.array(ChainValue),
  breaks: z.array(z.string()).describe('The main stages (not the school types) under the threshold'),
});

export const ChainResponse = z.strictObject({
  level: ValueLevelSchema,
  threshold: z.number(),
  method: TextSchema,
  stages: z.array(ChainStage.extend({ city_value: z.number().nullable() })),
  areas: z.array(ChainArea),
  summary: z.array(z.strictObject({ stage: z.string(), areas_below: z.number().int() })),
});

export const ProfileIndicator = IndicatorSummary.omit({
  description: true,
  method_note: true,
  method_text: true,
  theme_label: true,
  sources: true,
}).extend({
  input_sources: z.array(z.string()).describe('Ids of the sources the indicator is made from (see `sources`)'),
  value: z.number().nullable(),
  suppressed: z.boolean(),
  reason: TextSchema.nullable(),
  reference_date: z.string().nullable(),
  source: ValueSource.nullable(),
  note: TextSchema.nullable(),
  basis_count: z.number().int().nullable(),
  city: z.strictObject({
    value: z.number().nullable(),
    reference_date: z.string().nullable(),
    suppressed: z.boolean(),
  }),
  rank: z
    .strictObject({ position: z.number().int(), of: z.number().int() })
    .nullable()
    .describe('Among the areas of the same level, 1 = highest value'),
});

export const ProfileResponse = z.strictObject({
  area: z.strictObject({
    level: ValueLevelSchema,
    code: z.string(),
    name: z.string(),
    numbered: z.boolean(),
    parent: z.strictObject({ code: z.string(), name: z.string() }).nullable(),
    area_km2: z.number().nullable(),
  }),
  min_count: z.number().int(),
  methods: z.array(z.strictObject({ method: MethodSchema, text: TextSchema })),
  themes: z.array(z.strictObject({ id: z.string(), label: TextSchema })),
  sources: z.array(SourceRef).describe('Every source named by an indicator or a value of this sheet'),
  indicators: z.array(ProfileIndicator),
  offers: z.array(
    z.strictObject({
      category: z.string(),
      label: TextSchema,
      count: z.number().nullable(),
      per_km2: z.number().nullable(),
      per_1000_residents: z.number().nullable(),
    }),
  ),
  coverage: z.array(
    z.strictObject({
      target: z.string(),
      label: TextSchema,
      radii: z.array(
        z.strictObject({
          radius_m: z.number().int(),
          indicator_id: z.string(),
          value: z.number().nullable(),
          suppressed: z.boolean(),
          city_value: z.number().nullable(),
        }),
      ),
    }),
  ),
  action_areas: z.strictObject({
    member_of: z
      .array(z.strictObject({ code: z.string(), name: z.string(), numbered: z.boolean(), address_share: z.number() }))
      .describe('district, quarter: the action areas holding some of its addresses, with their share'),
    quarters: z
      .array(z.strictObject({ code: z.string(), name: z.string(), address_share: z.number() }))
      .describe('action area: the quarters it spans, with the share of each quarter’s addresses inside'),
  }),
  education_chain: z.strictObject({
    threshold: z.number(),
    stages: z.array(ChainStage.extend(ChainValue.shape).extend({ city_value: z.number().nullable() })),
    breaks: z.array(z.string()),
  }),
  age_stages: z
    .strictObject({
      stages: z.array(
        z.strictObject({
          stage: z.string(),
          label: TextSchema,
          age_min: z.number().int(),
          age_max: z.number().int(),
          offers: z.number().int().describe('Offers of the lists in the area whose ages meet the stage'),
        }),
      ),
      age_not_given: z.number().int().describe('Offers of the lists in the area whose list gives no age'),
      offers: z.number().int().describe('All offers of the lists in the area, valid today'),
      lists: z
        .array(z.strictObject({ id: z.string(), title: z.string(), date: z.string().nullable() }))
        .describe('The public offer lists counted'),
      note: TextSchema,
    })
    .nullable()
    .describe(
      'Issue 21: offers of the city’s offer lists per age stage of the education chain; null when there is no ' +
        'public offer list (nothing is known, which is not zero)',
    ),
});
