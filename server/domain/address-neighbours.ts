/**
 * An address the register lacks ("Münsterstraße 100", where 99 and 101 exist) is never a dead end: the street's
 * house numbers nearest to the one asked for, and the street itself, are offered instead. Pure functions over
 * the addresses of one street key (the search key without its house number).
 */

export interface StreetAddress {
  street: string;
  house_number: string;
  search_key: string;
  lon: number;
  lat: number;
}

/** The typed key taken apart into street key and house number ("muensterstr100" → "muensterstr", "100"). */
export function splitHouseNumber(key: string): { streetKey: string; number: string } | null {
  const m = /^(.*[a-z])([0-9]+[a-z]?)$/.exec(key);
  if (!m?.[1] || !m[2]) return null;
  return { streetKey: m[1], number: m[2] };
}

/** A house number as a position along the street: "55" is 55, "55a" a little after it (55 + 1/27). */
function numberValue(number: string): number {
  const m = /^([0-9]+)([a-z]?)$/.exec(number.toLowerCase());
  if (!m) return Number.NaN;
  return Number(m[1]) + (m[2] ? (m[2].charCodeAt(0) - 96) / 27 : 0);
}

/**
 * The addresses of the street whose house numbers lie nearest to `number`: the nearest below and the nearest
 * above first (99 and 101 for 100; 2a and 4 for 3), then the others by how near they are (97, 103 …); at most
 * `limit`. Addresses whose key is not the street key followed by a house number are left out.
 */
export function nearestHouseNumbers<T extends StreetAddress>(
  rows: readonly T[],
  streetKey: string,
  number: string,
  limit: number,
): T[] {
  const asked = numberValue(number);
  if (!Number.isFinite(asked)) return [];
  const byNearness = rows
    .flatMap((row) => {
      const v = row.search_key.startsWith(streetKey) ? numberValue(row.search_key.slice(streetKey.length)) : Number.NaN;
      return Number.isFinite(v) ? [{ row, v, d: Math.abs(v - asked) }] : [];
    })
    .sort((a, b) => a.d - b.d || a.v - b.v);
  const below = byNearness.find((x) => x.v < asked);
  const above = byNearness.find((x) => x.v > asked);
  const first = [below, above].filter((x) => x !== undefined);
  return [...first, ...byNearness.filter((x) => !first.includes(x))].slice(0, limit).map((x) => x.row);
}

/**
 * Each street among the rows (by its name, as the register spells it) with a point to show it by: the street's
 * address nearest to the mean of all of them, so that the point lies on the street even where it bends.
 */
export function streetsOf<T extends StreetAddress>(rows: readonly T[]): { street: string; at: T; count: number }[] {
  const byStreet = new Map<string, T[]>();
  for (const row of rows) byStreet.set(row.street, [...(byStreet.get(row.street) ?? []), row]);
  return [...byStreet.entries()]
    .map(([street, list]) => {
      const lon = list.reduce((s, r) => s + r.lon, 0) / list.length;
      const lat = list.reduce((s, r) => s + r.lat, 0) / list.length;
      const d = (r: T) => (r.lon - lon) ** 2 + (r.lat - lat) ** 2;
      const at = list.reduce((best, r) => (d(r) < d(best) ? r : best));
      return { street, at, count: list.length };
    })
    .sort((a, b) => b.count - a.count || (a.street < b.street ? -1 : a.street > b.street ? 1 : 0));
}
