import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * What a city's data package must look like: which file holds what, in which fields and CRS, and what the
 * package itself cannot say (clean district names and numbers, expected counts). One manifest per city.
 */
const file = z.string().min(1);
const field = z.string().min(1);

const source = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  publisher: z.string(),
  licence: z.string(),
  attribution: z.string(),
  url: z.string().nullable(),
  files: z.array(file),
  referenceDate: z.string().nullable(),
  note: z.string().nullable().default(null),
});

const osmRule = z.object({
  class: z.string(),
  subclass: z.string().optional(),
  namePattern: z.string().optional(),
  category: z.string(),
  subcategory: z.string().optional(),
});

export const manifestSchema = z.object({
  city: z.object({
    name: z.string(),
    code: z.string(),
    metricSrid: z.number().int(),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    expectedAreaKm2: z.number().positive(),
    attribution: z.array(z.string()),
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
  }),
  osm: z.object({
    file,
    source: z.string(),
    keepWhen: z.record(z.string(), z.unknown()),
    twinDistanceM: z.number().positive(),
    categories: z.record(z.string(), z.string()),
    rules: z.array(osmRule),
  }),
  publishedFigures: z.object({
    file,
    source: z.string(),
    levels: z.record(z.string(), z.enum(['city', 'district', 'quarter', 'action-area'])),
  }),
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
