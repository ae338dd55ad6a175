/**
 * Geocoding against the address register (atlas.address), offline: the exact key through the search's prefix
 * index, a street's addresses, similar spellings by trigrams, and whether a position lies inside the city. The
 * decisions are server/domain/geocode.ts's. Values are always `$n` parameters.
 */
import {
  addressKey,
  CANDIDATES,
  decideAddress,
  decidePosition,
  type GeocodeResult,
  normaliseHouseNumber,
  type RegisterAddress,
  streetKey,
} from '../../domain/geocode.ts';
import type { Queryable } from '../index.ts';
import { ADDRESS_FUZZY_SQL, STREET_ADDRESSES_SQL } from './search.ts';

const EXACT_SQL = `SELECT id, street, house_number, search_key, ST_X(geom) AS lon, ST_Y(geom) AS lat, quarter_code
FROM atlas.address WHERE search_key = $1 ORDER BY id LIMIT 5`;

/**
 * A position is inside the city when a quarter's polygon holds it, or lies within about 50 m of it (the two
 * boundary files leave small gaps between them; the importer gives points there the nearest quarter too).
 */
const INSIDE_SQL = `SELECT EXISTS (
  SELECT 1 FROM atlas.area
  WHERE level = 'quarter' AND ST_DWithin(geom, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326), 0.0005)
) AS inside`;

export interface GeocodeInput {
  street: string | null;
  houseNumber: string | null;
  lon: number | null;
  lat: number | null;
}

/** One row: a position given wins (checked to lie inside the city), else its street and house number. */
export async function geocode(db: Queryable, row: GeocodeInput): Promise<GeocodeResult> {
  if (row.lon !== null && row.lat !== null) {
    const [r] = await db.query<{ inside: boolean }>(INSIDE_SQL, [row.lon, row.lat]);
    return decidePosition(row.lon, row.lat, r?.inside === true);
  }
  const street = (row.street ?? '').trim();
  const number = normaliseHouseNumber(row.houseNumber);
  const key = streetKey(street);
  const exact = number ? await db.query<RegisterAddress>(EXACT_SQL, [addressKey(street, number)]) : [];
  if (exact.length > 0)
    return decideAddress({ street, houseNumber: row.houseNumber }, { exact, street: [], similar: [] });
  const streetRows = key.length >= 2 ? await db.query<RegisterAddress>(STREET_ADDRESSES_SQL, [key]) : [];
  // Similar spellings: of the whole address where a number was given, so that its neighbours come first.
  const similar =
    streetRows.length === 0 && key.length >= 3
      ? await db.query<RegisterAddress>(ADDRESS_FUZZY_SQL, [
          number ? addressKey(street, number) : key,
          CANDIDATES * 10,
          number?.number ?? '',
        ])
      : [];
  return decideAddress({ street, houseNumber: row.houseNumber }, { exact, street: streetRows, similar });
}

/** Every row, in order. */
export async function geocodeAll(db: Queryable, rows: readonly GeocodeInput[]): Promise<GeocodeResult[]> {
  const out: GeocodeResult[] = [];
  for (const row of rows) out.push(await geocode(db, row));
  return out;
}
