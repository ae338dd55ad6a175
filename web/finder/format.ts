import type { Position } from './finder-state.ts';

/** Text of either direction inside a sentence: Unicode isolates keep "Friedensplatz 1" whole in Arabic. */
export const isolate = (text: string) => `\u2068${text}\u2069`;

/**
 * The route link when no ROUTE_URL_TEMPLATE is configured: OpenStreetMap's directions on foot, from the place
 * searched from to the offer. A plain link the resident follows; the page itself never asks that service.
 */
export const OSM_ROUTE_TEMPLATE = 'https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route={from};{to}';

/**
 * The link to an external routing service, from ROUTE_URL_TEMPLATE (else OSM_ROUTE_TEMPLATE): `{from}` and `{to}` become "lat,lon"
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

/** The walking time of an answer: minutes, or that the offer cannot be reached on foot on the network (issue 16). */
export function walkText(
  minutes: number | null,
  t: (key: 'finder.walk' | 'finder.walkUnreachable', values?: { minutes: number }) => string,
): string {
  return minutes === null ? t('finder.walkUnreachable') : t('finder.walk', { minutes });
}
