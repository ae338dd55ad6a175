/**
 * An offer list as an office keeps it (issue 21): one row per offer, with the columns below, and metadata sent with
 * the upload. Pure: the rows are read and checked here, each finding naming row, column and reason; the addresses
 * are geocoded afterwards against the register (server/db/queries/geocode.ts) and the opening hours read with the
 * city's clock (opening-hours.ts).
 */
import { z } from 'zod';
import { type CityClock, readHours } from './opening-hours.ts';

/** The columns of a list; `name`, `category` and either `street` (with `house_number`) or `lon`/`lat` are needed. */
export const OFFER_LIST_COLUMNS = [
  'name',
  'category',
  'street',
  'house_number',
  'lon',
  'lat',
  'opening_hours',
  'age_min',
  'age_max',
  'languages',
  'wheelchair',
  'phone',
  'url',
  'programme',
  'valid_from',
  'valid_to',
] as const;
type Column = (typeof OFFER_LIST_COLUMNS)[number];

export const WHEELCHAIR = ['yes', 'limited', 'no'] as const;
export type Wheelchair = (typeof WHEELCHAIR)[number];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((d) => isDate(d), 'is no such day');

/**
 * The metadata of an upload. `categories` maps the list's own words for its kinds of offer to the atlas's
 * categories ("Jugendfreizeitstätte" → "youth"); `covers` says for which area the list is complete (the whole city
 * unless it names districts or quarters): there its offers replace the OpenStreetMap points of its categories.
 */
export function offerListMeta(categoryCodes: readonly string[]) {
  return z.strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'must be 2 to 60 lower-case letters, digits or dashes')
      .describe('The list’s id: a later upload with the same id is its next version'),
    title: z.string().trim().min(1).max(200),
    publisher: z.string().trim().min(1).max(200),
    date: isoDate.describe('The date of the list’s content, YYYY-MM-DD'),
    licence: z.string().trim().min(1).max(200),
    attribution: z.string().trim().min(1).max(300),
    url: z
      .url({ protocol: /^https?$/ })
      .nullable()
      .default(null),
    visibility: z.enum(['public', 'internal']),
    categories: z
      .record(
        z.string().trim().min(1).max(100),
        z.enum(categoryCodes as [string, ...string[]], { message: `must be one of ${categoryCodes.join(', ')}` }),
      )
      .refine((m) => Object.keys(m).length > 0, 'must map at least one of the list’s categories'),
    covers: z
      .strictObject({
        level: z.enum(['city', 'district', 'quarter']),
        codes: z.array(z.string().min(1).max(10)).max(500).default([]),
      })
      .refine((c) => c.level === 'city' || c.codes.length > 0, 'districts or quarters need their codes')
      .default({ level: 'city', codes: [] }),
    /** Corrections of rows whose address did not match, by row number: another address, or a position. */
    fixes: z
      .record(
        z.string().regex(/^\d+$/, 'must be a row number'),
        z.union([
          z.strictObject({ street: z.string().min(1).max(200), house_number: z.string().max(20).default('') }),
          z.strictObject({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }),
        ]),
      )
      .default({}),
  });
}
export type OfferListMeta = z.output<ReturnType<typeof offerListMeta>>;

/** A finding, as every upload reports them (the row in the file, 1 = the header; the column's header). */
export interface ListFinding {
  row: number | null;
  column: string | null;
  reason: string;
  severity: 'error' | 'warning';
}

/** One offer of a list, read and checked; its place comes from geocoding. */
export interface OfferListRow {
  row: number;
  name: string;
  /** The atlas category (mapped from the list's word). */
  category: string;
  /** The list's own word for it. */
  listCategory: string;
  street: string | null;
  houseNumber: string | null;
  lon: number | null;
  lat: number | null;
  openingHours: string | null;
  ageMin: number | null;
  ageMax: number | null;
  languages: string[] | null;
  wheelchair: Wheelchair | null;
  phone: string | null;
  url: string | null;
  programme: string | null;
  validFrom: string | null;
  validTo: string | null;
}

function isDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** "15.01.2026" (as German spreadsheets write it) or "2026-01-15" → "2026-01-15"; null when it is no day. */
export function readDate(text: string): string | null {
  const t = text.trim();
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  const iso = german ? `${german[3]}-${german[2]?.padStart(2, '0')}-${german[1]?.padStart(2, '0')}` : t;
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && isDate(iso) ? iso : null;
}

function readNumber(text: string): number | null {
  const t = text.trim().replace(',', '.');
  return /^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : null;
}

const LANGUAGE = /^[a-z]{2,3}$/;
const PHONE = /^\+?[0-9 ()/-]{3,30}$/;

/**
 * Reads the rows of a list (header and rows as the upload's table reader gives them) with its metadata: the rows
 * that can be used and every finding. `today` is the city's date: a row whose `valid_to` lies before it is a
 * warning (it would not be shown).
 */
export function readOfferList(
  header: readonly string[],
  rows: readonly { row: number; cells: readonly string[] }[],
  meta: OfferListMeta,
  clock: CityClock,
  today: string,
): { rows: OfferListRow[]; findings: ListFinding[] } {
  const findings: ListFinding[] = [];
  const error = (row: number | null, column: string | null, reason: string) =>
    findings.push({ row, column, reason, severity: 'error' });
  const warning = (row: number | null, column: string | null, reason: string) =>
    findings.push({ row, column, reason, severity: 'warning' });

  const names = header.map((h) => h.trim().toLowerCase());
  const index = new Map<string, number>();
  names.forEach((h, i) => {
    if (index.has(h)) error(1, h, `the column ${h} appears twice`);
    else index.set(h, i);
  });
  for (const h of names)
    if (h && !(OFFER_LIST_COLUMNS as readonly string[]).includes(h))
      warning(1, h, `not a column of offer lists (${OFFER_LIST_COLUMNS.join(', ')}); ignored`);
  for (const needed of ['name', 'category'] as const) if (!index.has(needed)) error(1, needed, 'the column is missing');
  const hasAddress = index.has('street');
  const hasPosition = index.has('lon') && index.has('lat');
  if (!hasAddress && !hasPosition) error(1, 'street', 'give street and house_number, or lon and lat');
  if (index.has('lon') !== index.has('lat')) error(1, index.has('lon') ? 'lat' : 'lon', 'lon and lat go together');
  if (findings.some((f) => f.severity === 'error')) return { rows: [], findings };

  const mapped = new Map(Object.entries(meta.categories).map(([word, code]) => [word.trim().toLowerCase(), code]));
  const out: OfferListRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const cell = (c: Column) => {
      const i = index.get(c);
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    const before = findings.filter((f) => f.severity === 'error').length;
    const name = cell('name');
    if (!name) error(row, 'name', 'the offer has no name');
    const listCategory = cell('category');
    const category = mapped.get(listCategory.toLowerCase());
    if (!listCategory) error(row, 'category', 'the offer has no category');
    else if (!category)
      error(row, 'category', `"${listCategory}" is not mapped to a category of the atlas in the metadata (categories)`);

    const fix = meta.fixes[String(row)];
    let street: string | null = cell('street') || null;
    let houseNumber: string | null = cell('house_number') || null;
    let lon: number | null = null;
    let lat: number | null = null;
    if (fix && 'street' in fix) {
      street = fix.street;
      houseNumber = fix.house_number || null;
    } else if (fix) {
      lon = fix.lon;
      lat = fix.lat;
    } else if (cell('lon') || cell('lat')) {
      lon = readNumber(cell('lon'));
      lat = readNumber(cell('lat'));
      if (lon === null || lon < -180 || lon > 180) error(row, 'lon', `"${cell('lon')}" is not a longitude in degrees`);
      if (lat === null || lat < -90 || lat > 90) error(row, 'lat', `"${cell('lat')}" is not a latitude in degrees`);
    }
    if (lon === null && lat === null && !street)
      error(row, 'street', 'the offer has neither an address nor a position');

    const hoursText = cell('opening_hours') || null;
    if (hoursText) {
      const read = readHours(hoursText, clock);
      if (!read.ok) error(row, 'opening_hours', `cannot be read as OpenStreetMap opening hours: ${read.error}`);
      else for (const w of read.warnings) warning(row, 'opening_hours', w.replace(/\s+/g, ' ').trim());
    }

    const age = (c: 'age_min' | 'age_max') => {
      const text = cell(c);
      if (!text) return null;
      const n = readNumber(text);
      if (n === null || !Number.isInteger(n) || n < 0 || n > 120) {
        error(row, c, `"${text}" is not an age in whole years (0 to 120)`);
        return null;
      }
      return n;
    };
    const ageMin = age('age_min');
    const ageMax = age('age_max');
    if (ageMin !== null && ageMax !== null && ageMin > ageMax)
      error(row, 'age_max', `the highest age ${ageMax} lies below the lowest ${ageMin}`);

    let languages: string[] | null = null;
    if (cell('languages')) {
      languages = [
        ...new Set(
          cell('languages')
            .split(/[,;/\s]+/)
            .map((l) => l.trim().toLowerCase())
            .filter(Boolean),
        ),
      ];
      const bad = languages.filter((l) => !LANGUAGE.test(l));
      if (bad.length > 0)
        error(
          row,
          'languages',
          `${bad.map((b) => `"${b}"`).join(', ')}: languages are ISO 639 codes such as de, tr, ar`,
        );
    }

    const wheelchairText = cell('wheelchair').toLowerCase();
    const wheelchair = wheelchairText
      ? (WHEELCHAIR as readonly string[]).includes(wheelchairText)
        ? wheelchairText
        : null
      : null;
    if (wheelchairText && !wheelchair) error(row, 'wheelchair', `"${cell('wheelchair')}" must be yes, limited or no`);

    const phone = cell('phone') || null;
    if (phone && !PHONE.test(phone)) error(row, 'phone', `"${phone}" is not a telephone number`);
    const url = cell('url') || null;
    if (url && !z.url({ protocol: /^https?$/ }).safeParse(url).success)
      error(row, 'url', `"${url}" is not a web address (http or https)`);

    const date = (c: 'valid_from' | 'valid_to') => {
      const text = cell(c);
      if (!text) return null;
      const d = readDate(text);
      if (!d) error(row, c, `"${text}" is not a date (YYYY-MM-DD or DD.MM.YYYY)`);
      return d;
    };
    const validFrom = date('valid_from');
    const validTo = date('valid_to');
    if (validFrom && validTo && validFrom > validTo)
      error(row, 'valid_to', `the offer ends (${validTo}) before it begins (${validFrom})`);
    else if (validTo && validTo < today)
      warning(row, 'valid_to', `the offer ended on ${validTo}: it is kept but not shown`);

    const key = `${name.toLowerCase()}|${(street ?? '').toLowerCase()}|${(houseNumber ?? '').toLowerCase()}|${lon}|${lat}`;
    const twin = seen.get(key);
    if (name && twin !== undefined) error(row, 'name', `the same offer at the same place as row ${twin}`);
    else seen.set(key, row);

    if (findings.filter((f) => f.severity === 'error').length > before || !category) continue;
    out.push({
      row,
      name,
      category,
      listCategory,
      street,
      houseNumber,
      lon,
      lat,
      openingHours: hoursText,
      ageMin,
      ageMax,
      languages,
      wheelchair: wheelchair as Wheelchair | null,
      phone,
      url,
      programme: cell('programme') || null,
      validFrom,
      validTo,
    });
  }
  if (rows.length === 0) error(null, null, 'the list has no rows');
  return { rows: out, findings };
}
