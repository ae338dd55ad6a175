/**
 * Geocoding a list's rows against the official address register, offline: pure decisions over what the register
 * answers (server/db/queries/geocode.ts asks it). Spellings are compared on searchKey() of search-key.ts, the key
 * the register's addresses are stored under ("Str."/"str"/"Straße", "ä"/"ae", "ß"/"ss" and spaces do not matter);
 * house numbers are normalised here ("12 A" = "12a"; a range "12-14" or "12/14" is its first number).
 */
import { nearestHouseNumbers, type StreetAddress, streetsOf } from './address-neighbours.ts';
import { fold, searchKey } from './search-key.ts';

/**
 * How a row found its place:
 * - position: the file gives lon/lat, and they lie inside the city (a position in the file wins);
 * - exact: street and house number as the register writes them (case and spaces aside);
 * - normalised: the same address after normalisation (abbreviations, umlauts, ß, a suffix or a range);
 * - street: the street is in the register but the house number is missing or not there; the row is placed at the
 *   register's nearest house number (or the street's middle) and the nearest numbers are named as candidates;
 * - unmatched: the register has no such street; the nearest spellings are named as candidates, the row has no place;
 * - outside: the position given lies outside the city, refused.
 */
export const MATCH_KINDS = ['position', 'exact', 'normalised', 'street', 'unmatched', 'outside'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

/** A house number as written, normalised: "12 A" → "12a", "12-14" → "12" (range), "" → null. */
export interface HouseNumber {
  /** Digits and an optional letter, lower case: the form of the register's search keys. */
  number: string;
  /** The text named a range of numbers ("12-14", "12/14"): its first number is used. */
  range: boolean;
}

export function normaliseHouseNumber(text: string | null | undefined): HouseNumber | null {
  const t = fold(text ?? '')
    .replace(/^\s*(nr\.?|no\.?)\s*/, '')
    .trim();
  const m = /^(\d+)\s*([a-z])?(?![a-z])\s*(?:([-–/]|bis)\s*(?:\d+\s*[a-z]?|[a-z]))?\s*$/.exec(t);
  if (!m?.[1]) return null;
  return { number: `${Number(m[1])}${m[2] ?? ''}`, range: Boolean(m[3]) };
}

/** The register's key of a street alone ("Marktstr." → "marktstr"). */
export function streetKey(street: string): string {
  return searchKey(street);
}

/** The register's key of an address: street key followed by the normalised house number. */
export function addressKey(street: string, number: HouseNumber): string {
  return `${streetKey(street)}${number.number}`;
}

/** Street and house number compared as written, case and runs of spaces aside. */
function plain(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** True when the row writes the register's address as the register does (case and spaces aside). */
export function sameSpelling(street: string, houseNumber: string, register: { street: string; house_number: string }) {
  return (
    plain(street) === plain(register.street) &&
    plain(houseNumber).replace(/\s+/g, '') === plain(register.house_number).replace(/\s+/g, '')
  );
}

export interface Candidate {
  /** "Marktstraße 2a" */
  label: string;
  /** [lon, lat] */
  point: [number, number];
}

export interface RegisterAddress extends StreetAddress {
  id: number;
  quarter_code: string;
}

export interface GeocodeResult {
  match: MatchKind;
  /** [lon, lat] where the row is placed; null when unmatched or outside. */
  point: [number, number] | null;
  /** The register's address the row was placed at (not for a position from the file). */
  address: string | null;
  /** What the normalisation did or what is missing, for the report. */
  note: string | null;
  /** Nearest house numbers of the street, or nearest spellings of the street (unmatched); at most a few. */
  candidates: Candidate[];
}

export const CANDIDATES = 3;

const label = (a: { street: string; house_number: string }) => `${a.street} ${a.house_number}`;
const candidate = (a: RegisterAddress): Candidate => ({ label: label(a), point: [a.lon, a.lat] });

/**
 * The decision for a row given as street and house number, from what the register holds:
 * `exact` the addresses whose key is the row's key, `street` the addresses of the row's street (by street key),
 * `similar` the register's addresses of similar spelling (trigrams), best first.
 */
export function decideAddress(
  row: { street: string; houseNumber: string | null },
  found: { exact: RegisterAddress[]; street: RegisterAddress[]; similar: RegisterAddress[] },
): GeocodeResult {
  const number = normaliseHouseNumber(row.houseNumber);
  const notes: string[] = [];
  if (number?.range)
    notes.push(`house number "${row.houseNumber}" is a range: its first number ${number.number} is used`);
  const hit = number ? found.exact[0] : undefined;
  if (hit) {
    const spelt = sameSpelling(row.street, row.houseNumber ?? '', hit);
    const written = `${row.street} ${row.houseNumber ?? ''}`.trim();
    if (!spelt) notes.unshift(`written "${written}", the register says "${label(hit)}"`);
    return {
      match: spelt && !number?.range ? 'exact' : 'normalised',
      point: [hit.lon, hit.lat],
      address: label(hit),
      note: notes.length ? notes.join('; ') : null,
      candidates: [],
    };
  }
  const key = streetKey(row.street);
  if (found.street.length > 0) {
    const near = number ? nearestHouseNumbers(found.street, key, number.number, CANDIDATES) : [];
    const middle = streetsOf(found.street)[0]?.at;
    const at = near[0] ?? middle;
    const missing = (row.houseNumber ?? '').trim() === '';
    return {
      match: 'street',
      point: at ? [at.lon, at.lat] : null,
      address: at ? label(at) : null,
      note: missing
        ? `no house number: placed at ${at ? label(at) : 'the street'}`
        : number
          ? `the register has no house number ${number.number} in ${found.street[0]?.street}: placed at the nearest, ${at ? label(at) : ''}`
          : `"${row.houseNumber}" is not a house number: placed at ${at ? label(at) : 'the street'}`,
      candidates: (near.length > 0 ? near : found.street.slice(0, CANDIDATES)).map(candidate),
    };
  }
  const seen = new Set<string>();
  const similar = found.similar.filter((a) => {
    const k = number ? label(a) : a.street;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return {
    match: 'unmatched',
    point: null,
    address: null,
    note: `the address register has no street "${row.street}"`,
    candidates: similar.slice(0, CANDIDATES).map((a) => (number ? candidate(a) : { ...candidate(a), label: a.street })),
  };
}

/** The decision for a row with a position: inside the city (`inside`) it wins, outside it is refused. */
export function decidePosition(lon: number, lat: number, inside: boolean): GeocodeResult {
  return inside
    ? { match: 'position', point: [lon, lat], address: null, note: null, candidates: [] }
    : {
        match: 'outside',
        point: null,
        address: null,
        note: `the position ${lon}, ${lat} lies outside the city`,
        candidates: [],
      };
}
