import { Hono } from 'hono';
import { z } from 'zod';
import { perDataVersion, validityDay } from '../db/data-version.ts';
import type { Db } from '../db/index.ts';
import {
  ADDRESS_FUZZY_SQL,
  ADDRESS_SQL,
  type AddressRow,
  readSearchSources,
  STREET_ADDRESSES_SQL,
} from '../db/queries/search.ts';
import type { AppDeps } from '../deps.ts';
import { nearestHouseNumbers, splitHouseNumber, streetsOf } from '../domain/address-neighbours.ts';
import {
  type CategoryWord,
  categoryWords,
  houseNumberOf,
  type ParsedQuery,
  parseQuery,
  searchKey,
  setSimilarity,
  splitCategoryAndPlace,
  TRIGRAM_THRESHOLD,
  trigramSimilarity,
  trigrams,
} from '../domain/search-key.ts';
import { cachedJson, FAST, RECENT_ANSWERS } from '../http/representation.ts';
import { AreaRef, documentRoute, Position, queryNumber, validateQuery } from '../http/validate.ts';

/**
 * /api/search: addresses, offers and areas for a search box, fast enough for every keystroke.
 * Everything is matched on searchKey() of the text (lower case, ä = ae, "str."/"straße" = "str", no spaces or
 * punctuation), after a postcode and the city's name are set aside ("Münsterstraße 50, 44145 Dortmund").
 * Addresses are matched by prefix through the text_pattern_ops index on address.search_key, and when nothing
 * starts with what was typed, by trigram similarity (pg_trgm, its GIN index). Offers, areas and the manifest's
 * area aliases (a few thousand names) are matched in memory, loaded once per data version, misspellings by the
 * same trigram similarity. A kind of offer with a place ("Kita Hörde") lists the offers of that kind there.
 */

export const SEARCH_LIMIT_MAX = 20;

const KINDS = ['area', 'address', 'street', 'offer'] as const;
const MATCHES = ['exact', 'prefix', 'contains', 'category', 'neighbour', 'fuzzy'] as const;
/** How many neighbours of a missing house number (and streets) are kept among the hits, whatever else matched. */
const NEIGHBOURS_KEPT = 3;
const AREA_LEVEL_ORDER = ['district', 'quarter', 'action-area'];

export const SearchQuery = z.strictObject({
  q: z
    .string()
    .max(100)
    .describe(
      'What was typed: an address ("Friedensplatz 1", "Münsterstraße 50, 44145 Dortmund"), an offer, an area ' +
        'or its colloquial name, or a kind of offer with a place ("Kita Hörde")',
    )
    .refine((text) => searchKey(text) !== '', 'must contain a letter or digit'),
  limit: queryNumber(z.number().int().min(1).max(SEARCH_LIMIT_MAX).default(10)),
});

export const SearchHit = z.strictObject({
  kind: z.enum(KINDS),
  id: z
    .string()
    .describe(
      'address: its id; offer: its id (for /api/offers/{id}); area: level/code; street: the id of its address shown',
    ),
  label: z.string(),
  match: z
    .enum(MATCHES)
    .describe(
      'exact, prefix or contains: the search key is, starts or holds what was typed; category: an offer of the ' +
        'kind asked for in the place asked for; neighbour: the house number typed is not in the address register, ' +
        'this address of the same street (or the street itself, kind street) is offered instead; fuzzy: similar ' +
        'by trigrams (a misspelling)',
    ),
  point: Position.describe('The address or offer, a point inside the area, or an address in the middle of the street'),
  level: z.string().nullable().describe('area hits: district, quarter or action-area'),
  category: z.string().nullable().describe('offer hits: the category'),
  alias: z.string().nullable().describe('area hits found by a colloquial name (the manifest’s aliases): that name'),
  quarter: AreaRef.nullable(),
  district: AreaRef.nullable(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResult = z.strictObject({
  q: z.string().describe('The search key matched on (without postcode and city name)'),
  postcode: z.string().nullable().describe('A postcode that was typed and set aside (the addresses have none)'),
  kind: z
    .strictObject({
      category: z.string(),
      subcategory: z.string().nullable(),
      speciality: z.string().nullable().describe('A doctor’s field the words name ("Kinderarzt": paediatrics)'),
      place: z.string().describe('The search key of the place the offers were looked for in'),
    })
    .nullable()
    .describe('A kind of offer that was recognised in the query, with the place'),
  missing: z
    .strictObject({ street: z.string(), number: z.string() })
    .nullable()
    .describe(
      'A street and house number that was typed, whose street is in the address register but not that number: ' +
        'the hits of match neighbour are its neighbours and the street',
    ),
  hits: z.array(SearchHit),
});
export type SearchResult = z.infer<typeof SearchResult>;

documentRoute({
  method: 'get',
  path: '/api/search',
  tag: 'search',
  summary: 'Addresses, offers and areas matching what was typed',
  description:
    'A kind of offer with a place ("Kita Hörde", "Apotheke Hombruch") gives the offers of that kind in that place ' +
    'first. Then exact matches of the search key come before prefix matches, before matches inside a name ' +
    '(offers and areas only), before similar spellings; within each, areas before addresses before offers, ' +
    'except that a query naming a kind of offer ("Apotheke") puts the offers of that kind before addresses.',
  query: SearchQuery,
  response: { description: 'At most `limit` hits, best first', schema: SearchResult },
});

export { ADDRESS_FUZZY_SQL, ADDRESS_SQL } from '../db/queries/search.ts';

interface Named {
  kind: 'area' | 'offer';
  id: string;
  label: string;
  key: string;
  /** trigrams(key), made once. */
  grams: Set<string>;
  point: [number, number];
  level: string | null;
  category: string | null;
  subcategory: string | null;
  speciality: string | null;
  alias: string | null;
  quarter: string | null;
  district: string | null;
  actionArea: string | null;
}

interface Catalogue {
  names: Named[];
  quarters: Map<string, string>;
  districts: Map<string, string>;
  cityNames: string[];
  vocabulary: Map<string, CategoryWord>;
}

const r5 = (x: number) => Math.round(x * 1e5) / 1e5;

async function loadCatalogue(db: Db, day: string | null): Promise<Catalogue> {
  const { areas, offers, aliases, categories, city } = await readSearchSources(db, day);
  const areaNamed = areas.map(
    (a): Named => ({
      kind: 'area',
      id: `${a.level}/${a.code}`,
      label: a.name,
      key: searchKey(a.name),
      grams: trigrams(searchKey(a.name)),
      point: [r5(a.lon), r5(a.lat)],
      level: a.level,
      category: null,
      subcategory: null,
      speciality: null,
      alias: null,
      quarter: a.quarter,
      district: a.district,
      actionArea: a.level === 'action-area' ? a.code : null,
    }),
  );
  const byId = new Map(areaNamed.map((a) => [a.id, a]));
  const aliasNamed = aliases.flatMap((x): Named[] => {
    const area = byId.get(`${x.level}/${x.code}`);
    const key = searchKey(x.alias);
    return area ? [{ ...area, label: `${x.alias} (${area.label})`, key, grams: trigrams(key), alias: x.alias }] : [];
  });
  const names: Named[] = [
    ...areaNamed,
    ...aliasNamed,
    ...offers.map(
      (o): Named => ({
        kind: 'offer',
        id: o.id,
        label: o.name,
        key: o.search_key,
        grams: trigrams(o.search_key),
        point: [r5(o.lon), r5(o.lat)],
        level: null,
        category: o.category,
        subcategory: o.subcategory,
        speciality: o.speciality,
        alias: null,
        quarter: o.quarter_code,
        district: o.district_code,
        actionArea: o.action_area_code,
      }),
    ),
  ];
  return {
    names,
    quarters: new Map(areas.filter((a) => a.level === 'quarter').map((a) => [a.code, a.name])),
    districts: new Map(areas.filter((a) => a.level === 'district').map((a) => [a.code, a.name])),
    cityNames: city ? [city] : [],
    vocabulary: categoryWords(new Map(categories.map((c) => [c.code, Object.values(c.labels ?? {})]))),
  };
}

function matchOf(key: string, q: string): 'exact' | 'prefix' | 'contains' | null {
  if (key === q) return 'exact';
  if (key.startsWith(q)) return 'prefix';
  if (key.includes(q)) return 'contains';
  return null;
}

interface Ranked extends SearchHit {
  key: string;
  /** 0: answers the kind of offer asked for; 1: everything else. */
  group: number;
  /** Higher first within a match: trigram similarity of fuzzy hits; 1 for offers in the quarter asked for. */
  score: number;
}

function compare(kindOrder: readonly string[]) {
  return (a: Ranked, b: Ranked): number =>
    a.group - b.group ||
    MATCHES.indexOf(a.match) - MATCHES.indexOf(b.match) ||
    b.score - a.score ||
    kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
    AREA_LEVEL_ORDER.indexOf(a.level ?? '') - AREA_LEVEL_ORDER.indexOf(b.level ?? '') ||
    (a.alias === null ? 0 : 1) - (b.alias === null ? 0 : 1) ||
    // Offers of a kind in a place: in the order of their names.
    (a.match === 'category' && b.match === 'category' ? a.label.localeCompare(b.label, 'de') : 0) ||
    a.key.length - b.key.length ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) ||
    (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const isKind = (n: Named, kind: CategoryWord) =>
  n.kind === 'offer' &&
  n.category === kind.category &&
  (kind.subcategory === null || n.subcategory === kind.subcategory) &&
  (kind.speciality === undefined || n.speciality === kind.speciality);

/**
 * The areas a place key names: exact names or aliases first, else names starting with it, else the most similar
 * names by trigrams. Each as level and code.
 */
function placeAreas(names: readonly Named[], place: string): { level: string; code: string }[] {
  const areas = names.filter((n) => n.kind === 'area');
  let found = areas.filter((n) => n.key === place);
  if (found.length === 0 && place.length >= 3) found = areas.filter((n) => n.key.startsWith(place));
  if (found.length === 0) {
    const placeGrams = trigrams(place);
    const scored = areas
      .map((n) => ({ n, s: setSimilarity(n.grams, placeGrams) }))
      .filter((x) => x.s >= TRIGRAM_THRESHOLD);
    const best = Math.max(0, ...scored.map((x) => x.s));
    found = scored.filter((x) => x.s === best).map((x) => x.n);
  }
  const out = new Map<string, { level: string; code: string }>();
  for (const n of found) out.set(n.id, { level: n.level as string, code: n.id.slice((n.level as string).length + 1) });
  return [...out.values()];
}

function inAreas(n: Named, areas: readonly { level: string; code: string }[]): boolean {
  return areas.some(
    (a) =>
      (a.level === 'quarter' && n.quarter === a.code) ||
      (a.level === 'district' && n.district === a.code) ||
      (a.level === 'action-area' && n.actionArea === a.code),
  );
}

export async function search(db: Db, catalogue: Catalogue, typed: string, limit: number): Promise<SearchResult> {
  const parsed: ParsedQuery = parseQuery(typed, catalogue.cityNames);
  const q = parsed.key || searchKey(typed);
  const ref = (codes: Map<string, string>, code: string | null) =>
    code === null ? null : { code, name: codes.get(code) ?? code };
  const split = splitCategoryAndPlace(parsed.words, catalogue.vocabulary);
  const place = split?.place ? placeAreas(catalogue.names, split.place) : [];
  const kindOnly = split !== null && split.place === '';

  const hits: Ranked[] = [];
  const seen = new Set<string>();
  const push = (n: Named, match: Ranked['match'], group: number, score = 0) => {
    const id = `${n.kind}:${n.id}:${n.alias ?? ''}`;
    if (seen.has(id)) return;
    seen.add(id);
    hits.push({
      kind: n.kind,
      id: n.id,
      label: n.label,
      key: n.key,
      match,
      point: n.point,
      level: n.level,
      category: n.category,
      alias: n.alias,
      quarter: ref(catalogue.quarters, n.quarter),
      district: ref(catalogue.districts, n.district),
      group,
      score,
    });
  };

  // A kind of offer in a place: the offers of that kind there, at the top; those in a quarter of that name first.
  const quarters = place.filter((a) => a.level === 'quarter');
  if (split && place.length > 0)
    for (const n of catalogue.names)
      if (isKind(n, split.kind) && inAreas(n, place)) push(n, 'category', 0, inAreas(n, quarters) ? 1 : 0);

  const addressHit = (a: AddressRow, match: Ranked['match']): Ranked => ({
    kind: 'address',
    id: String(a.id),
    label: `${a.street} ${a.house_number}`,
    key: a.search_key,
    match,
    point: [r5(a.lon), r5(a.lat)],
    level: null,
    category: null,
    alias: null,
    quarter: ref(catalogue.quarters, a.quarter_code),
    district: ref(catalogue.districts, a.district_code),
    group: 1,
    // Fuzzy: similarity, and a house number as typed counts for more than any difference in spelling.
    score:
      match === 'fuzzy'
        ? trigramSimilarity(a.search_key, q) + (number !== '' && houseNumberOf(a.search_key) === number ? 1 : 0)
        : 0,
  });
  const number = houseNumberOf(q);
  const addresses = await db.query<AddressRow>(ADDRESS_SQL, [q, limit]);
  for (const a of addresses) hits.push(addressHit(a, a.search_key === q ? 'exact' : 'prefix'));

  // A street and house number the register lacks: the street's nearest house numbers, and the street itself.
  let missing: SearchResult['missing'] = null;
  const asked = splitHouseNumber(q);
  if (asked && asked.streetKey.length >= 3 && !addresses.some((a) => a.search_key === q)) {
    const street = await db.query<AddressRow>(STREET_ADDRESSES_SQL, [asked.streetKey]);
    const near = nearestHouseNumbers(street, asked.streetKey, asked.number, limit);
    const streets = streetsOf(street);
    if (near.length > 0) {
      missing = { street: streets[0]?.street ?? (near[0] as AddressRow).street, number: asked.number.toUpperCase() };
      near.forEach((a, i) => {
        if (!hits.some((h) => h.kind === 'address' && h.id === String(a.id)))
          hits.push({ ...addressHit(a, 'neighbour'), score: -i });
      });
      for (const s of streets.slice(0, 2))
        hits.push({
          ...addressHit(s.at, 'neighbour'),
          kind: 'street',
          label: s.street,
          key: asked.streetKey,
          score: -limit,
        });
    }
  }

  let named = 0;
  for (const n of catalogue.names) {
    const match = matchOf(n.key, q);
    if (!match) continue;
    named += 1;
    push(n, match, split && kindOnly && isKind(n, split.kind) ? 0 : 1);
  }
  // Only a kind of offer was typed ("Apotheke"): its offers come before addresses, those named by it first.
  if (split && kindOnly) for (const n of catalogue.names) if (isKind(n, split.kind)) push(n, 'category', 0);

  // Nothing starts with what was typed, and no offer of a kind in a place was found: similar spellings
  // (trigrams), of names in memory and of addresses in SQL.
  const found = hits.some(
    (h) => h.match === 'exact' || h.match === 'prefix' || h.match === 'category' || h.match === 'neighbour',
  );
  if (!found && q.length >= 4) {
    const qGrams = trigrams(q);
    const similar = catalogue.names
      .map((n) => ({ n, s: setSimilarity(n.grams, qGrams) }))
      .filter((x) => x.s >= TRIGRAM_THRESHOLD)
      .sort((a, b) => b.s - a.s)
      .slice(0, limit);
    for (const { n, s } of similar) push(n, 'fuzzy', 1, s);
    if (addresses.length === 0 && named < limit)
      for (const a of await db.query<AddressRow>(ADDRESS_FUZZY_SQL, [q, limit, number]))
        hits.push(addressHit(a, 'fuzzy'));
  }

  const order = compare(kindOnly ? ['area', 'offer', 'street', 'address'] : KINDS);
  hits.sort(order);
  // The neighbours of a missing number keep a few places even when longer numbers fill the list by prefix
  // ("Münsterstraße 10": 101, 103, … start with it; 9 and 11 are its neighbours).
  const kept = [
    ...hits.filter((h) => h.match === 'neighbour' && h.kind === 'address').slice(0, NEIGHBOURS_KEPT - 1),
    ...hits.filter((h) => h.kind === 'street').slice(0, 1),
  ].slice(0, limit);
  const chosen = [...hits.filter((h) => !kept.includes(h)).slice(0, limit - kept.length), ...kept].sort(order);
  return {
    q,
    postcode: parsed.postcode,
    kind: split
      ? {
          category: split.kind.category,
          subcategory: split.kind.subcategory,
          speciality: split.kind.speciality ?? null,
          place: split.place,
        }
      : null,
    missing,
    hits: chosen.map(({ key: _key, group: _group, score: _score, ...hit }) => hit),
  };
}

export function searchRoutes({ db }: Pick<AppDeps, 'db'>) {
  const catalogue = perDataVersion<'all', Catalogue>(db, (_, version) => loadCatalogue(db, validityDay(version)));
  // What is typed repeats (the first letters of a street, a district's name): each answer is built once per data
  // version and query, and the most recent ones are kept in an LRU of their own (RECENT_ANSWERS).
  const answers = cachedJson<{ q: string; limit: number }>(
    db,
    async ({ q, limit }) => search(db, (await catalogue.get('all')).value, q, limit),
    { compression: FAST, own: RECENT_ANSWERS },
  );
  return new Hono().get('/', validateQuery(SearchQuery), (c) => {
    const { q, limit } = c.req.valid('query');
    return answers.respond(c, { q, limit });
  });
}
