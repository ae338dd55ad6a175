import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import type { Db } from '../db/index.ts';
import { searchKey } from '../domain/search-key.ts';
import { perDataVersion } from '../http/cached.ts';
import { AreaRef, documentRoute, Position, queryNumber, validateQuery } from '../http/validate.ts';

/**
 * /api/search: addresses, offers and areas for a search box, fast enough for every keystroke.
 * Everything is matched on searchKey() of the text (lower case, ä = ae, "str."/"straße" = "str", no spaces or
 * punctuation). Addresses are matched by prefix through the text_pattern_ops index on address.search_key
 * (one query); offers and areas (a few thousand names) are matched in memory, loaded once per data version.
 */

export const SEARCH_LIMIT_MAX = 20;

const KINDS = ['area', 'address', 'offer'] as const;
const MATCHES = ['exact', 'prefix', 'contains'] as const;
const AREA_LEVEL_ORDER = ['district', 'quarter', 'action-area'];

export const SearchQuery = z.strictObject({
  q: z
    .string()
    .max(100)
    .describe('What was typed: an address ("Friedensplatz 1", "friedenspl.1"), an offer or an area name')
    .transform((text, ctx) => {
      const key = searchKey(text);
      if (!key) {
        ctx.addIssue({ code: 'custom', message: 'must contain a letter or digit' });
        return z.NEVER;
      }
      return key;
    }),
  limit: queryNumber(z.number().int().min(1).max(SEARCH_LIMIT_MAX).default(10)),
});

export const SearchHit = z.strictObject({
  kind: z.enum(KINDS),
  id: z.string().describe('address: its id; offer: its id (for /api/offers/{id}); area: level/code'),
  label: z.string(),
  match: z.enum(MATCHES),
  point: Position.describe('The address or offer, or a point inside the area'),
  level: z.string().nullable().describe('area hits: district, quarter or action-area'),
  category: z.string().nullable().describe('offer hits: the category'),
  quarter: AreaRef.nullable(),
  district: AreaRef.nullable(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResult = z.strictObject({
  q: z.string().describe('The search key matched on'),
  hits: z.array(SearchHit),
});
export type SearchResult = z.infer<typeof SearchResult>;

documentRoute({
  method: 'get',
  path: '/api/search',
  tag: 'search',
  summary: 'Addresses, offers and areas matching what was typed',
  description:
    'Exact matches of the search key come before prefix matches, which come before matches inside a name ' +
    '(offers and areas only); within each, areas before addresses before offers.',
  query: SearchQuery,
  response: { description: 'At most `limit` hits, best first', schema: SearchResult },
});

/**
 * Addresses whose key starts with $1, through the text_pattern_ops index: every such key lies in
 * [$1, $1 || '~'), since keys hold only a-z and 0-9, which sort before '~'. The exact key sorts first.
 */
export const ADDRESS_SQL = `SELECT id, street, house_number, search_key, ST_X(geom) AS lon, ST_Y(geom) AS lat,
       quarter_code, district_code
FROM atlas.address
WHERE search_key ~>=~ $1 AND search_key ~<~ ($1 || '~')
ORDER BY search_key USING ~<~, id
LIMIT $2`;

interface Named {
  kind: 'area' | 'offer';
  id: string;
  label: string;
  key: string;
  point: [number, number];
  level: string | null;
  category: string | null;
  quarter: string | null;
  district: string | null;
}

interface Catalogue {
  names: Named[];
  quarters: Map<string, string>;
  districts: Map<string, string>;
}

const r5 = (x: number) => Math.round(x * 1e5) / 1e5;

async function loadCatalogue(db: Db): Promise<Catalogue> {
  const areas = await db.query<{
    level: string;
    code: string;
    name: string;
    lon: number;
    lat: number;
    quarter: string | null;
    district: string | null;
  }>(
    `SELECT a.level, a.code, a.name, ST_X(a.label_point) AS lon, ST_Y(a.label_point) AS lat,
            CASE a.level WHEN 'quarter' THEN a.code WHEN 'district' THEN NULL
              ELSE (SELECT q.code FROM atlas.area q WHERE q.level = 'quarter' AND ST_Intersects(q.geom, a.label_point)
                    ORDER BY q.code LIMIT 1) END AS quarter,
            CASE a.level WHEN 'district' THEN a.code WHEN 'quarter' THEN a.parent_code
              ELSE (SELECT d.code FROM atlas.area d WHERE d.level = 'district' AND ST_Intersects(d.geom, a.label_point)
                    ORDER BY d.code LIMIT 1) END AS district
     FROM atlas.area a WHERE a.level IN ('district', 'quarter', 'action-area')`,
  );
  const offers = await db.query<{
    id: string;
    name: string;
    search_key: string;
    category: string;
    lon: number;
    lat: number;
    quarter_code: string;
    district_code: string;
  }>(
    `SELECT id, name, search_key, category, ST_X(geom) AS lon, ST_Y(geom) AS lat, quarter_code, district_code
     FROM atlas.offer WHERE search_key <> '' AND name IS NOT NULL`,
  );
  const names: Named[] = [
    ...areas.map((a) => ({
      kind: 'area' as const,
      id: `${a.level}/${a.code}`,
      label: a.name,
      key: searchKey(a.name),
      point: [r5(a.lon), r5(a.lat)] as [number, number],
      level: a.level,
      category: null,
      quarter: a.quarter,
      district: a.district,
    })),
    ...offers.map((o) => ({
      kind: 'offer' as const,
      id: o.id,
      label: o.name,
      key: o.search_key,
      point: [r5(o.lon), r5(o.lat)] as [number, number],
      level: null,
      category: o.category,
      quarter: o.quarter_code,
      district: o.district_code,
    })),
  ];
  return {
    names,
    quarters: new Map(areas.filter((a) => a.level === 'quarter').map((a) => [a.code, a.name])),
    districts: new Map(areas.filter((a) => a.level === 'district').map((a) => [a.code, a.name])),
  };
}

function matchOf(key: string, q: string): (typeof MATCHES)[number] | null {
  if (key === q) return 'exact';
  if (key.startsWith(q)) return 'prefix';
  if (key.includes(q)) return 'contains';
  return null;
}

interface Ranked extends SearchHit {
  key: string;
}

function compare(a: Ranked, b: Ranked): number {
  return (
    MATCHES.indexOf(a.match) - MATCHES.indexOf(b.match) ||
    KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) ||
    AREA_LEVEL_ORDER.indexOf(a.level ?? '') - AREA_LEVEL_ORDER.indexOf(b.level ?? '') ||
    a.key.length - b.key.length ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) ||
    (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export async function search(db: Db, catalogue: Catalogue, q: string, limit: number): Promise<SearchResult> {
  const ref = (codes: Map<string, string>, code: string | null) =>
    code === null ? null : { code, name: codes.get(code) ?? code };
  const addresses = await db.query<{
    id: number;
    street: string;
    house_number: string;
    search_key: string;
    lon: number;
    lat: number;
    quarter_code: string;
    district_code: string;
  }>(ADDRESS_SQL, [q, limit]);
  const hits: Ranked[] = addresses.map((a) => ({
    kind: 'address',
    id: String(a.id),
    label: `${a.street} ${a.house_number}`,
    key: a.search_key,
    match: a.search_key === q ? 'exact' : 'prefix',
    point: [r5(a.lon), r5(a.lat)],
    level: null,
    category: null,
    quarter: ref(catalogue.quarters, a.quarter_code),
    district: ref(catalogue.districts, a.district_code),
  }));
  for (const n of catalogue.names) {
    const match = matchOf(n.key, q);
    if (!match) continue;
    hits.push({
      kind: n.kind,
      id: n.id,
      label: n.label,
      key: n.key,
      match,
      point: n.point,
      level: n.level,
      category: n.category,
      quarter: ref(catalogue.quarters, n.quarter),
      district: ref(catalogue.districts, n.district),
    });
  }
  hits.sort(compare);
  return { q, hits: hits.slice(0, limit).map(({ key: _key, ...hit }) => hit) };
}

export function searchRoutes({ db }: Pick<AppDeps, 'db'>) {
  const catalogue = perDataVersion<'all', Catalogue>(db, () => loadCatalogue(db));
  return new Hono().get('/', validateQuery(SearchQuery), async (c) => {
    const { q, limit } = c.req.valid('query');
    const result = await search(db, (await catalogue.get('all')).value, q, limit);
    return c.json(result, 200, { 'cache-control': 'public, max-age=60' });
  });
}
