import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isTimeZone } from '../server/domain/opening-hours.ts';

/**
 * What a city's data package must look like: which file holds what, in which fields and CRS, and what the
 * package itself cannot say (clean district names and numbers, expected counts). One manifest per city.
 */
const file = z.string().min(1);
const field = z.string().min(1);

/** A text the pages show: one string for every language, or German and English apart. */
const shownText = z
  .union([z.string(), z.strictObject({ de: z.string().min(1), en: z.string().min(1) })])
  .transform((t) => (typeof t === 'string' ? { de: t, en: t } : t));

const source = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: shownText,
  publisher: shownText,
  /** The public licence line, finished text: open questions about it go to `licenceNote`. */
  licence: shownText,
  /** The text the licence asks to show, as the licensor words it (the same in every language). */
  attribution: z.string(),
  /** Open questions about the licence, for the project's documentation (DATA.md) only, never for a page. */
  licenceNote: z.string().nullable().default(null),
  url: z.string().nullable(),
  files: z.array(file),
  referenceDate: z.string().nullable(),
  note: z.string().nullable().default(null),
});

const regex = z.string().refine((p) => {
  try {
    new RegExp(p, 'iu');
    return true;
  } catch {
    return false;
  }
}, 'is not a valid regular expression');

const osmRule = z.object({
  class: z.string().optional(),
  subclass: z.string().optional(),
  namePattern: regex.optional(),
  osm: z.array(z.string().regex(/^(node|way|relation)\/\d+$/)).optional(),
  category: z.string().nullable(),
  subcategory: z.string().optional(),
  speciality: z.string().optional(),
  reason: z.string().optional(),
});

const text2 = z.object({ de: z.string(), en: z.string() });

/** How an OSM point is found to be the twin of an official record (geodata/twins.ts). */
const twinRules = z.object({
  maxM: z.number().positive(),
  minSimilarity: z.number().min(0).max(1),
  sameNameSimilarity: z.number().min(0).max(1),
  sameNameM: z.number().nonnegative(),
  genericWords: z.array(z.string()),
  partPattern: regex.optional(),
});

/** Which categories are too thin to answer for, and warnings that go with a subcategory's figures. */
const completeness = z.object({
  minOffers: z.number().int().nonnegative(),
  reason: text2,
  incomplete: z.record(z.string(), text2).default({}),
  warnings: z.record(z.string(), z.object({ category: z.string(), text: text2 })).default({}),
});

const ids = z.array(z.string().min(1));

/**
 * What the web app shows first and which figures the editors chose, served as /api/config. Indicator ids are the
 * catalogue's; one the catalogue lacks is skipped by the app, so a city without it simply shows fewer.
 */
const web = z.object({
  /** The source of the basemap tiles (basemap/openmaptiles): its attribution is always on the map. */
  basemapSource: z.string().nullable().default(null),
  planner: z
    .object({
      /** Indicators the planner opens with, the first one the level has. */
      indicators: ids.default([]),
      /** Need and supply of the gap view, the first of each the level has. */
      gapNeed: ids.default([]),
      gapSupply: ids.default([]),
    })
    .prefault({}),
  council: z
    .object({
      /** The key figures at the top of an action area's page. */
      keyFigures: ids.default([]),
      /** The figures on each card of the overview. */
      cardFigures: ids.default([]),
      /** Indicators compared with the rest of the city and the whole city (shares, indices and rates only). */
      comparison: ids.default([]),
      /** The indicator the ranking table starts with. */
      ranking: z.string().nullable().default(null),
      /** Offer categories drawn on an action area's map. */
      offerCategories: ids.default([]),
      /** Coverage gaps: the share of addresses farther than this from the nearest offer of a kind. */
      gapRadiusM: z.number().int().positive().default(500),
    })
    .prefault({}),
});

export const manifestSchema = z.object({
  city: z.object({
    name: z.string(),
    code: z.string(),
    metricSrid: z.number().int(),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    expectedAreaKm2: z.number().positive(),
    attribution: z.array(z.string()),
    /** The city's time zone (IANA, "Europe/Berlin"): opening hours and list dates are read on its clock. */
    timeZone: z
      .string()
      .refine((tz) => isTimeZone(tz), 'is not a time zone such as Europe/Berlin')
      .nullable()
      .default(null),
    /** Where its public holidays are defined, as the opening_hours library names it: {"country": "de", "state": "Nordrhein-Westfalen"}. */
    holidays: z
      .strictObject({ country: z.string().regex(/^[a-z]{2}$/), state: z.string().min(1) })
      .nullable()
      .default(null),
  }),
  sources: z.array(source).min(1),
  districts: z.object({
    file,
    source: z.string(),
    keyField: field,
    expectedCount: z.number().int(),
    lookup: z.record(z.string(), z.object({ code: z.string(), name: z.string() })),
  }),
  quarters: z.object({
    file,
    source: z.string(),
    codeField: field,
    nameField: field,
    nameCase: z.enum(['as-is', 'upper']),
    expectedCount: z.number().int(),
  }),
  actionAreas: z.object({
    file,
    source: z.string(),
    codeField: field,
    nameField: field,
    expectedCount: z.number().int(),
  }),
  addresses: z.object({
    file,
    source: z.string(),
    srid: z.number().int(),
    streetField: field,
    streetCodeField: field,
    numberField: field,
    suffixField: field,
    xField: field,
    yField: field,
    subquarterField: field,
    subquarterCodeLength: z.number().int().positive(),
    streetCase: z.enum(['as-is', 'upper']),
    expectedCount: z.number().int(),
    expectedSubquarters: z.number().int(),
  }),
  schools: z.object({
    file,
    source: z.string(),
    idField: field,
    typeField: field,
    nameFields: z.array(field).min(1),
    /** Further name lines, kept for matching OSM twins ("Städt. Gem. Grundschule" + "Kleine Kielstraße"). */
    otherNameFields: z.array(field).default([]),
    streetField: field,
    postcodeField: field,
    cityField: field,
    pupilsField: field,
    socialIndexField: field,
    startchancenField: field,
    lonField: field,
    latField: field,
    expectedCount: z.number().int(),
    types: z.record(z.string(), z.string()),
    masterData: z.object({
      file,
      source: z.string(),
      idField: field,
      typeCodeField: field,
      statusField: field,
      activeStatus: z.string(),
      administrativeTypeCodes: z.array(z.string()),
      contactFields: z.record(z.string(), z.array(field)),
    }),
  }),
  kitas: z.object({
    file,
    source: z.string(),
    idField: field,
    nameField: field,
    streetField: field,
    postcodeField: field,
    cityField: field,
    placesU3Field: field,
    placesO3Field: field,
    placesSchoolChildrenField: field,
    expectedCount: z.number().int(),
    /** Kitas that are also offers of another category, by name ("Familienzentrum"): counted there too. */
    alsoCategories: z
      .array(z.object({ namePattern: regex, category: z.string(), subcategory: z.string(), reason: z.string() }))
      .default([]),
  }),
  osm: z.object({
    file,
    source: z.string(),
    keepWhen: z.record(z.string(), z.unknown()),
    /** The categories whose OSM points are merged into the official records they duplicate. */
    twins: twinRules.extend({
      categories: z.record(
        z.string(),
        twinRules
          .omit({ genericWords: true, partPattern: true })
          .partial()
          .extend({ dropUnnamed: z.boolean().default(false) }),
      ),
    }),
    categories: z.record(z.string(), z.string()),
    rules: z.array(osmRule),
    completeness,
  }),
  publishedFigures: z.object({
    file,
    source: z.string(),
    levels: z.record(z.string(), z.enum(['city', 'district', 'quarter', 'action-area'])),
  }),
  /** Colloquial area names residents type, each to one or more district or quarter codes (see geodata/aliases.ts). */
  aliases: z
    .record(
      z.string().min(1),
      z
        .strictObject({
          district: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
          quarter: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
          note: z.string().optional(),
        })
        .refine((a) => a.district !== undefined || a.quarter !== undefined, 'give a district or quarter code'),
    )
    .optional(),
  web: web.prefault({}),
  /**
   * Tables of indicator values delivered as files (issue 15): each a CSV or XLSX in the long or wide form with its
   * metadata JSON (the upload's), validated like an upload and stored as a version of its table at import.
   */
  tables: z
    .array(
      z.strictObject({
        file,
        meta: file,
        date: z.string().optional(),
        level: z.enum(['district', 'quarter', 'action-area']).optional(),
      }),
    )
    .default([]),
});

export type Manifest = z.infer<typeof manifestSchema>;

export function loadManifest(path: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: cannot read the manifest: ${(err as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${path}: field ${i?.path.join('.')}: ${i?.message}`);
  }
  const ids = new Set(parsed.data.sources.map((s) => s.id));
  for (const [key, part] of Object.entries(parsed.data)) {
    const ref = (part as { source?: string }).source;
    if (ref && !ids.has(ref)) throw new Error(`${path}: ${key}.source "${ref}" is not one of the sources`);
  }
  return parsed.data;
}
