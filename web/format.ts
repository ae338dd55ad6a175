import type { Lang } from './i18n/index.ts';

/**
 * Numbers and dates as each language writes them. Pure functions over Intl; the formatters are cached
 * per language and precision, since a legend or a table formats hundreds of values per render.
 */

/** The Intl locale of each language. Arabic keeps Latin digits, as on German street signs and statistics. */
export const locales: Record<Lang, string> = {
  de: 'de-DE',
  en: 'en-GB',
  tr: 'tr-TR',
  ar: 'ar-u-nu-latn',
};

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, digits: number): Intl.NumberFormat {
  const key = `${lang}:${digits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locales[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits });
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
export function formatDate(date: string | null | undefined, lang: Lang): string {
  if (!date) return '–';
  const locale = locales[lang];
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (day) {
    const d = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
  }
  const month = /^(\d{4})-(\d{2})$/.exec(date);
  if (month) {
    const d = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
    return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d);
  }
  return date;
}

/** A share 0..1 as a percentage: "42 %". */
export function formatShare(share: number, lang: Lang, digits = 0): string {
  return new Intl.NumberFormat(locales[lang], {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(share);
}
