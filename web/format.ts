import type { Lang } from './i18n/index.ts';

/**
 * Numbers, distances and dates as each language writes them: the app's one formatter module. Pure functions over
 * Intl; the number formatters are cached per language and precision, since a legend or a table formats hundreds
 * of values per render. Digits stay Latin in every language, Arabic included: the numbers on the map's markers,
 * house numbers and postcodes are Latin too, and one script of digits on a screen reads best.
 */

/** The Intl locale of each language. Arabic keeps Latin digits, as on German street signs and statistics. */
export const locales: Record<Lang, string> = {
  de: 'de-DE',
  en: 'en-GB',
  tr: 'tr-TR',
  ar: 'ar-u-nu-latn',
};

const numberFormats = new Map<string, Intl.NumberFormat>();

/** `digits` decimals exactly, or (`upTo`) at most that many, trailing zeros dropped. */
function numberFormat(lang: Lang, digits: number, upTo = false): Intl.NumberFormat {
  const key = `${lang}:${digits}:${upTo}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locales[lang], {
      minimumFractionDigits: upTo ? 0 : digits,
      maximumFractionDigits: digits,
    });
    numberFormats.set(key, format);
  }
  return format;
}

/**
 * Decimal places that tell the given values apart at a glance: none for large numbers, more for small ones
 * and for values that lie close together (such as class breaks). At most 3.
 */
export function decimalsFor(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return 0;
  const magnitude = Math.max(...finite.map(Math.abs));
  let digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 1 : 2;
  const sorted = [...new Set(finite)].sort((a, b) => a - b);
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, (sorted[i] as number) - (sorted[i - 1] as number));
  if (Number.isFinite(gap) && gap > 0) digits = Math.max(digits, Math.ceil(-Math.log10(gap)));
  if (finite.every(Number.isInteger)) digits = 0;
  return Math.min(3, Math.max(0, digits));
}

/** A number in the language's notation, with `digits` decimals (by default as `decimalsFor` chooses). */
export function formatNumber(value: number, lang: Lang, digits = decimalsFor([value])): string {
  return numberFormat(lang, digits).format(value);
}

/** A number with at most `maxDigits` decimals and no trailing zeros: "1,3" for 1.30, "12" for 12. */
export function formatNumberUpTo(value: number, lang: Lang, maxDigits = 0): string {
  return numberFormat(lang, maxDigits, true).format(value);
}

/** "350 m", "1.2 km" (in the language's own decimal sign); under 1 km to 10 m, up to 10 km to 100 m. */
export function formatDistance(metres: number, lang: Lang): { value: string; unit: 'm' | 'km' } {
  if (metres < 1000) {
    const rounded = Math.max(10, Math.round(metres / 10) * 10);
    if (rounded < 1000) return { value: formatNumber(rounded, lang, 0), unit: 'm' };
  }
  const km = metres / 1000;
  return { value: formatNumber(km, lang, km < 10 ? 1 : 0), unit: 'km' };
}

/** A value with its unit: "12,3 %", "1.234 Personen/km²"; an em dash for a missing value. */
export function formatValue(value: number | null | undefined, unit: string, lang: Lang, digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const number = formatNumber(value, lang, digits ?? decimalsFor([value]));
  return unit ? `${number}\u202f${unit}` : number;
}

/** A class range "12,3 – 15,0". */
export function formatRange(low: number, high: number, lang: Lang, digits: number): string {
  return `${formatNumber(low, lang, digits)} – ${formatNumber(high, lang, digits)}`;
}

/**
 * A reference date as precise as it is given: "2023" stays a year, "2023-12" a month, "2023-12-31" a day;
 * anything else (such as "2024/25") is shown as it is.
 */
export function formatDate(
  date: string | null | undefined,
  lang: Lang,
  dateStyle: 'medium' | 'long' = 'medium',
): string {
  if (!date) return '–';
  const locale = locales[lang];
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (day) {
    const d = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    return new Intl.DateTimeFormat(locale, { dateStyle, timeZone: 'UTC' }).format(d);
  }
  const month = /^(\d{4})-(\d{2})$/.exec(date);
  if (month) {
    const d = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
    return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d);
  }
  return date;
}

/**
 * The decimals of an indicator's values, by its unit: one number format per indicator on every page (the
 * planner's legend, map, table and profile, the council pages), whatever the classification. CSV files keep
 * the values unrounded. (Shared by the planner and the council pages: use it for every indicator value shown.)
 */
const UNIT_DECIMALS: Record<string, number> = {
  '%': 1,
  'index 1–9': 1,
  '% vs. city': 0,
  'places per 1,000 residents': 1,
  'offers per 1,000 residents': 2,
  'offers/km²': 2,
  'addresses/km²': 0,
  'persons/km²': 0,
  'persons/ha': 0,
  'km²': 2,
  ha: 0,
  persons: 0,
  households: 0,
  offers: 0,
  places: 0,
  stages: 0,
  EUR: 0,
  // The walking detour (issue 16): the walk over the straight line, 1.00 straight ahead.
  ratio: 2,
};

export function indicatorDecimals(unit: string): number {
  return UNIT_DECIMALS[unit] ?? 1;
}

/** A share 0..1 as a percentage: "42 %". */
export function formatShare(share: number, lang: Lang, digits = 0): string {
  return new Intl.NumberFormat(locales[lang], {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(share);
}

/**
 * A rank among the areas of a level, in the one form every page uses: "Rang 3 von 15" (`rank.of`). `t` is the
 * page's translate function; the numbers are written in the language's notation.
 */
export function formatRank(
  rank: { position: number; of: number },
  lang: Lang,
  t: (key: 'rank.of', params: { position: string; of: string }) => string,
): string {
  return t('rank.of', { position: formatNumber(rank.position, lang, 0), of: formatNumber(rank.of, lang, 0) });
}
