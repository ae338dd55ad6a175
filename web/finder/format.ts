import type { Lang } from '../i18n/index.ts';
import type { Position } from './finder-state.ts';

/**
 * Numbers in the finder. Digits stay Latin in every language, Arabic included: the numbers on the map's
 * markers, house numbers and postcodes are Latin too, and one script of digits on a screen reads best.
 */
const locales: Record<Lang, string> = { de: 'de-DE', en: 'en-GB', tr: 'tr-TR', ar: 'ar-u-nu-latn' };

export function numberLocale(lang: Lang): string {
  return locales[lang];
}

/** Text of either direction inside a sentence: Unicode isolates keep "Friedensplatz 1" whole in Arabic. */
export const isolate = (text: string) => `\u2068${text}\u2069`;

/** "350 m", "1.2 km" (in the language's own decimal sign); under 1 km to 10 m, up to 10 km to 100 m. */
export function formatDistance(metres: number, lang: Lang): { value: string; unit: 'm' | 'km' } {
  const locale = numberLocale(lang);
  if (metres < 1000) {
    const rounded = Math.max(10, Math.round(metres / 10) * 10);
    if (rounded < 1000) return { value: new Intl.NumberFormat(locale).format(rounded), unit: 'm' };
  }
  const km = metres / 1000;
  const digits = km < 10 ? 1 : 0;
  return {
    value: new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(km),
    unit: 'km',
  };
}

export function formatNumber(value: number, lang: Lang, fractionDigits = 0): string {
  return new Intl.NumberFormat(numberLocale(lang), { maximumFractionDigits: fractionDigits }).format(value);
}

/** A reference date ("2024-10-01", "2018") as the language writes it; other text as it is. */
export function formatDate(text: string, lang: Lang): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (day) {
    const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    return new Intl.DateTimeFormat(numberLocale(lang), { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  }
  return text;
}

/**
 * The link to an external routing service, from ROUTE_URL_TEMPLATE: `{from}` and `{to}` become "lat,lon"
 * (the order most routing services take), `{from_lon}`, `{from_lat}`, `{to_lon}`, `{to_lat}` single numbers.
 * Null without a template, or when the template does not make an http(s) URL.
 */
export function routeUrl(template: string | null | undefined, from: Position, to: Position): string | null {
  if (!template) return null;
  const n = (x: number) => round6(x).toString();
  const values: Record<string, string> = {
    from: `${n(from[1])},${n(from[0])}`,
    to: `${n(to[1])},${n(to[0])}`,
    from_lon: n(from[0]),
    from_lat: n(from[1]),
    to_lon: n(to[0]),
    to_lat: n(to[1]),
  };
  // The values hold only digits, '.', ',' and '-': nothing to escape.
  const href = template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
