import { CATEGORY_CODES, categorize, compileRules } from './categories.ts';
import type { Manifest } from './manifest.ts';
import { periodEnd } from './published.ts';
import {
  checkInside,
  checkPolygonal,
  type Feature,
  integerOrNull,
  numberOrNull,
  PackageError,
  pointCoordinates,
  readCsv,
  readGeoJson,
  requireColumns,
} from './read.ts';
import { hasMisdecoding, properCase, repairText } from './text.ts';
import { findTwin, type TwinMatch } from './twins.ts';

/** Reads every file the manifest names into plain, checked records. Pure but for reading files. */

export interface AreaRecord {
  level: 'district' | 'quarter' | 'action-area';
  code: string;
  name: string;
  numbered: boolean;
  geometry: string;
  source: string;
  attrs: Record<string, unknown>;
}

export interface AddressRecords {
  street: string[];
  number: string[];
  streetCode: string[];
  x: number[];
  y: number[];
  subquarter: string[];
}

export interface OfferRecord {
  id: string;
  category: string;
  subcategory: string | null;
  name: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  placesU3: number | null;
  placesO3: number | null;
  pupils: number | null;
  attrs: Record<string, unknown>;
  lon: number;
  lat: number;
  source: string;
  referenceDate: string | null;
  externalId: string;
}

export interface FigureRecord {
  row: number;
  indicator: string;
  level: 'city' | 'district' | 'quarter' | 'action-area';
  code: string | null;
  unitName: string;
  value: number | null;
  referenceDate: string | null;
  sourceTitle: string;
  sourceUrl: string | null;
  quote: string;
  /** Where the figure was actually read when that was not the canonical page (a copy, an old revision); never shown as its source. */
  retrievedFrom: string | null;
  /** How the reference date was established ("stated in source", "inferred: …", "undated in source …"). */
  dateNote: string | null;
}

type Warn = (message: string) => void;

// An object where text belongs (a broken package) is kept as its JSON: String() would call its own toString, which
// the package may have replaced (fuzz seed 537419934 gave a property {"toString": null}).
const str = (v: unknown): string =>
  (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)).trim();

function polygonFeatures(file: string, features: Feature[], bbox: Manifest['city']['bbox']) {
  return features.map((f, i) => {
    const record = `#${i + 1}`;
    if (!f.geometry || !['Polygon', 'MultiPolygon'].includes(f.geometry.type))
      throw new PackageError(file, record, 'geometry', `expected a Polygon or MultiPolygon, got ${f.geometry?.type}`);
    checkPolygonal(file, record, f.geometry);
    checkInside(file, record, f.geometry, bbox);
    return { props: f.properties ?? {}, geometry: JSON.stringify(f.geometry), record };
  });
}

function uniqueCodes(file: string, areas: AreaRecord[]): void {
  const seen = new Map<string, number>();
  areas.forEach((a, i) => {
    const before = seen.get(a.code);
    if (before !== undefined)
      throw new PackageError(file, `#${i + 1}`, 'code', `duplicate code "${a.code}" (also record #${before + 1})`);
    seen.set(a.code, i);
  });
}

export function parseAreas(dir: string, m: Manifest): AreaRecord[] {
  const bbox = m.city.bbox;
  const d = m.districts;
  const districts = polygonFeatures(d.file, readGeoJson(dir, d.file), bbox).map(({ props, geometry, record }) => {
    const key = str(props[d.keyField]);
    const clean = d.lookup[key];
    if (!clean) throw new PackageError(d.file, record, d.keyField, `"${key}" is not in the manifest's district lookup`);
    return {
      level: 'district' as const,
      code: clean.code,
      name: clean.name,
      numbered: true,
      geometry,
      source: d.source,
      attrs: { sourceKey: key },
    };
  });
  uniqueCodes(d.file, districts);

  const q = m.quarters;
  const quarters = polygonFeatures(q.file, readGeoJson(dir, q.file), bbox).map(({ props, geometry, record }) => {
    const code = str(props[q.codeField]);
    const raw = str(props[q.nameField]);
    if (!code) throw new PackageError(q.file, record, q.codeField, 'code is empty');
    if (!raw) throw new PackageError(q.file, record, q.nameField, 'name is empty');
    const name = q.nameCase === 'upper' ? properCase(raw) : repairText(raw);
    return {
      level: 'quarter' as const,
      code,
      name,
      numbered: true,
      geometry,
      source: q.source,
      attrs: { sourceName: raw },
    };
  });
  uniqueCodes(q.file, quarters);

  const a = m.actionAreas;
  const actionAreas = polygonFeatures(a.file, readGeoJson(dir, a.file), bbox).map(({ props, geometry, record }) => {
    const number = str(props[a.codeField]);
    const name = repairText(str(props[a.nameField]));
    if (!name) throw new PackageError(a.file, record, a.nameField, 'name is empty');
    // An area without a number gets a code made from its name, and is marked as unnumbered.
    const code = number || name.toLowerCase().replace(/[^a-z0-9äöüß]+/g, '-');
    return {
      level: 'action-area' as const,
      code,
      name,
      numbered: Boolean(number),
      geometry,
      source: a.source,
      attrs: {},
    };
  });
  uniqueCodes(a.file, actionAreas);

  for (const [part, list] of [
    [d, districts],
    [q, quarters],
    [a, actionAreas],
  ] as const)
    if (list.length !== part.expectedCount)
      throw new PackageError(part.file, null, null, `expected ${part.expectedCount} areas, found ${list.length}`);
  return [...districts, ...quarters, ...actionAreas];
}

export function parseAddresses(dir: string, m: Manifest): AddressRecords {
  const s = m.addresses;
  const rows = readCsv(dir, s.file);
  requireColumns(s.file, rows, [s.streetField, s.numberField, s.suffixField, s.xField, s.yField, s.subquarterField]);
  const out: AddressRecords = { street: [], number: [], streetCode: [], x: [], y: [], subquarter: [] };
  rows.forEach((r, i) => {
    const record = `row ${i + 2}`;
    const x = numberOrNull(s.file, record, s.xField, r[s.xField]);
    const y = numberOrNull(s.file, record, s.yField, r[s.yField]);
    if (x === null || y === null) throw new PackageError(s.file, record, s.xField, 'coordinate is missing');
    const ubz = str(r[s.subquarterField]);
    if (!/^\d+$/.test(ubz))
      throw new PackageError(s.file, record, s.subquarterField, `"${ubz}" is not a sub-quarter number`);
    const street = str(r[s.streetField]);
    if (!street) throw new PackageError(s.file, record, s.streetField, 'street is empty');
    out.street.push(s.streetCase === 'upper' ? properCase(street) : repairText(street));
    out.number.push(`${str(r[s.numberField])}${str(r[s.suffixField])}`);
    out.streetCode.push(str(r[s.streetCodeField]));
    out.x.push(x);
    out.y.push(y);
    out.subquarter.push(ubz.padStart(s.subquarterCodeLength, '0'));
  });
  if (rows.length !== s.expectedCount)
    throw new PackageError(s.file, null, null, `expected ${s.expectedCount} addresses, found ${rows.length}`);
  return out;
}

function pointOf(file: string, record: string, lon: number | null, lat: number | null, m: Manifest): [number, number] {
  if (lon === null || lat === null) throw new PackageError(file, record, 'coordinates', 'coordinate is missing');
  checkInside(file, record, { type: 'Point', coordinates: [lon, lat] }, m.city.bbox);
  return [lon, lat];
}

function sourceDate(m: Manifest, id: string): string | null {
  return m.sources.find((s) => s.id === id)?.referenceDate ?? null;
}

export function parseSchools(dir: string, m: Manifest, warn: Warn): OfferRecord[] {
  const s = m.schools;
  const md = s.masterData;
  const master = new Map<string, Record<string, string>>();
  const skipped = { closed: 0, administrative: 0 };
  const masterRows = readCsv(dir, md.file);
  requireColumns(md.file, masterRows, [md.idField, md.typeCodeField, md.statusField]);
  for (const r of masterRows) {
    if (md.administrativeTypeCodes.includes(str(r[md.typeCodeField]))) skipped.administrative++;
    else if (str(r[md.statusField]) !== md.activeStatus) skipped.closed++;
    else master.set(str(r[md.idField]), r);
  }
  warn(
    `${md.file}: ${skipped.closed} closed and ${skipped.administrative} administrative rows are not offers; ${master.size} active schools give contact details`,
  );

  const rows = readCsv(dir, s.file);
  requireColumns(s.file, rows, [s.idField, s.typeField, s.lonField, s.latField, s.pupilsField, s.socialIndexField]);
  const seen = new Set<string>();
  const out = rows.map((r, i) => {
    const record = `row ${i + 2} (${str(r[s.idField])})`;
    const id = str(r[s.idField]);
    if (!id) throw new PackageError(s.file, record, s.idField, 'school number is empty');
    if (seen.has(id)) throw new PackageError(s.file, record, s.idField, `duplicate school number ${id}`);
    seen.add(id);
    const type = str(r[s.typeField]);
    const schoolType = s.types[type];
    if (!schoolType)
      throw new PackageError(s.file, record, s.typeField, `school type "${type}" is not in the manifest`);
    const [lon, lat] = pointOf(
      s.file,
      record,
      numberOrNull(s.file, record, s.lonField, r[s.lonField]),
      numberOrNull(s.file, record, s.latField, r[s.latField]),
      m,
    );
    const socialIndex = numberOrNull(s.file, record, s.socialIndexField, r[s.socialIndexField]);
    if (socialIndex !== null && (socialIndex < 1 || socialIndex > 9 || !Number.isInteger(socialIndex)))
      throw new PackageError(
        s.file,
        record,
        s.socialIndexField,
        `Sozialindex ${socialIndex} is not a level from 1 to 9`,
      );
    const m2 = master.get(id);
    const contact = Object.fromEntries(
      Object.entries(md.contactFields)
        .map(([k, fields]) => [
          k,
          m2
            ? fields
                .map((f) => str(m2[f]))
                .filter(Boolean)
                .join(' ')
            : '',
        ])
        .filter(([, v]) => v),
    );
    return {
      id: `school-${id}`,
      category: 'school',
      subcategory: schoolType,
      name: repairText(
        s.nameFields
          .map((f) => str(r[f]))
          .filter(Boolean)
          .join(' '),
      ),
      street: repairText(str(r[s.streetField])) || null,
      postcode: str(r[s.postcodeField]) || null,
      city: str(r[s.cityField]) || null,
      placesU3: null,
      placesO3: null,
      pupils: integerOrNull(s.file, record, s.pupilsField, r[s.pupilsField]),
      attrs: {
        schoolForm: type,
        otherNames: s.otherNameFields.map((f) => repairText(str(r[f]))).filter(Boolean),
        socialIndex,
        startchancen: str(r[s.startchancenField]) === '1',
        inMasterData: Boolean(m2),
        ...contact,
      },
      lon,
      lat,
      source: s.source,
      referenceDate: sourceDate(m, s.source),
      externalId: id,
    };
  });
  if (out.length !== s.expectedCount)
    throw new PackageError(s.file, null, null, `expected ${s.expectedCount} schools, found ${out.length}`);
  return out;
}

export function parseKitas(dir: string, m: Manifest, warn: Warn): OfferRecord[] {
  const k = m.kitas;
  const seen = new Set<string>();
  const out = readGeoJson(dir, k.file).map((f, i) => {
    const p = f.properties ?? {};
    const id = str(p[k.idField]);
    const record = `#${i + 1} (${k.idField} ${id})`;
    if (!id) throw new PackageError(k.file, record, k.idField, 'id is empty');
    if (seen.has(id)) throw new PackageError(k.file, record, k.idField, `duplicate id ${id}`);
    seen.add(id);
    const [lon, lat] = pointCoordinates(k.file, record, f.geometry);
    pointOf(k.file, record, lon, lat, m);
    const negative: string[] = [];
    const places = (field: string): number | null => {
      const n = integerOrNull(k.file, record, field, p[field]);
      if (n !== null && n < 0) negative.push(`${field} ${n}`);
      return n !== null && n < 0 ? null : n;
    };
    const placesU3 = places(k.placesU3Field);
    const placesO3 = places(k.placesO3Field);
    const placesSchoolChildren = places(k.placesSchoolChildrenField);
    if (negative.length)
      warn(`${k.file}, record ${record}: negative place counts stored as missing (${negative.join(', ')})`);
    const rawName = str(p[k.nameField]);
    const rawStreet = str(p[k.streetField]);
    for (const [field, v] of [
      [k.nameField, rawName],
      [k.streetField, rawStreet],
    ] as const)
      if (hasMisdecoding(v))
        warn(`${k.file}, record ${record}, field ${field}: mis-decoded characters repaired in "${v}"`);
    // "Kindertagesstätte Abenteuerland -523-": the trailing number is the operator's facility number.
    const facility = rawName.match(/\s*-(\d+)-\s*$/);
    return {
      id: `kita-${id}`,
      category: 'childcare',
      subcategory: 'kita',
      name: repairText(facility ? rawName.slice(0, facility.index) : rawName) || null,
      street: repairText(rawStreet) || null,
      postcode: str(p[k.postcodeField]) || null,
      city: str(p[k.cityField]) || null,
      placesU3,
      placesO3,
      pupils: null,
      attrs: { facilityNumber: facility?.[1] ?? null, placesSchoolChildren },
      lon,
      lat,
      source: k.source,
      referenceDate: sourceDate(m, k.source),
      externalId: id,
    };
  });
  if (out.length !== k.expectedCount)
    throw new PackageError(k.file, null, null, `expected ${k.expectedCount} Kitas, found ${out.length}`);
  return out;
}

/**
 * Kitas that are offers of another category too, by their name (a "Familienzentrum" is a family centre): one
 * more record each, at the same place, that names its Kita in attrs.sameAs so that a list of nearest offers of
 * both categories can show the place once.
 */
export function alsoCategoryOffers(kitas: OfferRecord[], m: Manifest): OfferRecord[] {
  const out: OfferRecord[] = [];
  for (const rule of m.kitas.alsoCategories) {
    if (!CATEGORY_CODES.has(rule.category))
      throw new PackageError(
        'manifest',
        'kitas.alsoCategories',
        'category',
        `"${rule.category}" is not a known category`,
      );
    const pattern = new RegExp(rule.namePattern, 'iu');
    for (const k of kitas)
      if (k.name && pattern.test(k.name))
        out.push({
          ...k,
          id: `${k.id}-${rule.category}`,
          category: rule.category,
          subcategory: rule.subcategory,
          placesU3: null,
          placesO3: null,
          attrs: { sameAs: k.id, sameAsCategory: k.category, categoryRule: rule.reason },
        });
  }
  return out;
}

/** An OSM point that is not an offer (a car park mapped as a school), dropped by a rule of the manifest. */
export interface DroppedPoint {
  record: string;
  name: string | null;
  reason: string;
}

export function parseOsm(dir: string, m: Manifest): { offers: OfferRecord[]; dropped: DroppedPoint[] } {
  const o = m.osm;
  const rules = compileRules(o.rules);
  for (const r of o.rules)
    if (r.category !== null && !CATEGORY_CODES.has(r.category))
      throw new PackageError('manifest', 'osm.rules', 'category', `"${r.category}" is not a known category`);
  const out: OfferRecord[] = [];
  const dropped: DroppedPoint[] = [];
  const seen = new Set<string>();
  readGeoJson(dir, o.file).forEach((f, i) => {
    const p = f.properties ?? {};
    if (!Object.entries(o.keepWhen).every(([key, v]) => p[key] === v)) return;
    const record = `#${i + 1} (${str(p.osm_type)} ${str(p.osm_id)})`;
    const [lon, lat] = pointCoordinates(o.file, record, f.geometry);
    const key = `${str(p.osm_type)}/${str(p.osm_id)}`;
    if (seen.has(key)) throw new PackageError(o.file, record, 'osm_id', `duplicate element ${key}`);
    seen.add(key);
    pointOf(o.file, record, lon, lat, m);
    const name = p.name ? repairText(str(p.name)) : null;
    const cls = str(p.class);
    const subclass = p.subclass ? str(p.subclass) : null;
    const what = categorize(
      { name, class: cls, subclass, packageCategory: str(p.category), element: key },
      rules,
      o.categories,
    );
    if (!what)
      throw new PackageError(o.file, record, 'category', `"${str(p.category)}" has no category in the manifest`);
    if (what.category === null) {
      dropped.push({ record, name, reason: what.reason });
      return;
    }
    if (!CATEGORY_CODES.has(what.category))
      throw new PackageError(o.file, record, 'category', `"${what.category}" is not a known category`);
    out.push({
      id: `osm-${str(p.osm_type)}-${str(p.osm_id)}`,
      category: what.category,
      subcategory: what.subcategory,
      name,
      street: null,
      postcode: null,
      city: null,
      placesU3: null,
      placesO3: null,
      pupils: null,
      attrs: {
        osmClass: cls,
        osmSubclass: subclass,
        ...(what.speciality ? { speciality: what.speciality } : {}),
        ...(what.reason ? { categoryRule: what.reason } : {}),
      },
      lon,
      lat,
      source: o.source,
      referenceDate: sourceDate(m, o.source),
      externalId: key,
    });
  });
  return { offers: out, dropped };
}

/**
 * The OSM points of the twin categories that stand for an official record (geodata/twins.ts: near, and alike in
 * name, or a part of its site) are merged into it: the official record keeps its id, position and name and lists
 * the twins in attrs.osmTwins. Where a category says dropUnnamed, an unnamed point that is no twin is dropped:
 * the official list is complete there, and a list of offers cannot name it.
 */
export function mergeTwins(
  official: OfferRecord[],
  osm: OfferRecord[],
  twins: Manifest['osm']['twins'],
): {
  kept: OfferRecord[];
  merged: { osm: OfferRecord; match: TwinMatch<OfficialPlace> }[];
  dropped: { osm: OfferRecord; reason: string }[];
} {
  const kept: OfferRecord[] = [];
  const merged: { osm: OfferRecord; match: TwinMatch<OfficialPlace> }[] = [];
  const dropped: { osm: OfferRecord; reason: string }[] = [];
  const byCategory = new Map<string, OfficialPlace[]>();
  for (const record of official) {
    if (!(record.category in twins.categories)) continue;
    const list = byCategory.get(record.category) ?? [];
    const otherNames = ((record.attrs.otherNames as string[] | undefined) ?? []).filter(Boolean);
    list.push({ name: record.name, otherNames, lon: record.lon, lat: record.lat, record });
    byCategory.set(record.category, list);
  }
  for (const o of osm) {
    const own = twins.categories[o.category];
    const candidates = byCategory.get(o.category);
    if (!own || !candidates) {
      kept.push(o);
      continue;
    }
    const { dropUnnamed, ...overrides } = own;
    const match = findTwin(o, candidates, { ...twins, ...overrides });
    if (match) {
      const attrs = match.official.record.attrs;
      attrs.osmTwins = [...((attrs.osmTwins as string[] | undefined) ?? []), o.externalId];
      merged.push({ osm: o, match });
    } else if (dropUnnamed && !o.name)
      dropped.push({ osm: o, reason: `unnamed ${o.category} with no official record within ${twins.maxM} m` });
    else kept.push(o);
  }
  return { kept, merged, dropped };
}

interface OfficialPlace {
  name: string | null;
  otherNames: string[];
  lon: number;
  lat: number;
  record: OfferRecord;
}

/** A published figure beyond ±10^12 is a typo or a broken cell, and would overflow the sums made from it. */
function plausible(file: string, record: string, field: string, value: number | null): number | null {
  if (value !== null && Math.abs(value) > 1e12)
    throw new PackageError(file, record, field, `${value} is not a plausible figure`);
  return value;
}

export function parsePublished(dir: string, m: Manifest, catalogue: Set<string>): FigureRecord[] {
  const p = m.publishedFigures;
  const rows = readCsv(dir, p.file);
  requireColumns(p.file, rows, [
    'unit_level',
    'unit_name',
    'unit_code',
    'indicator',
    'value',
    'reference_date',
    'source_title',
    'source_url',
    'quoted_text',
  ]);
  return rows.map((r, i) => {
    const record = `row ${i + 2}`;
    const level = p.levels[str(r.unit_level)];
    if (!level)
      throw new PackageError(p.file, record, 'unit_level', `"${str(r.unit_level)}" is not a level in the manifest`);
    const indicator = str(r.indicator);
    if (!catalogue.has(indicator))
      throw new PackageError(p.file, record, 'indicator', `"${indicator}" is not in the indicator catalogue`);
    const referenceDate = str(r.reference_date) || null;
    if (referenceDate !== null && !periodEnd(referenceDate))
      throw new PackageError(
        p.file,
        record,
        'reference_date',
        `"${referenceDate}" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)`,
      );
    return {
      row: i + 2,
      indicator,
      level,
      code: str(r.unit_code) || null,
      unitName: str(r.unit_name),
      value: plausible(p.file, record, 'value', numberOrNull(p.file, record, 'value', r.value)),
      referenceDate,
      sourceTitle: str(r.source_title),
      sourceUrl: str(r.source_url) || null,
      quote: str(r.quoted_text),
      retrievedFrom: str(r.retrieved_from) || null,
      dateNote: str(r.date_note) || null,
    };
  });
}
