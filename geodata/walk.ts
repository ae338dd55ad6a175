import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '../server/db/index.ts';
import { type BuildReport, buildGraph, graphBytes, type WalkGraph } from '../server/domain/walk/graph.ts';
import { pack } from '../server/domain/walk/pack.ts';
import { type Attached, attach, nearestSite, reached } from '../server/domain/walk/reach.ts';
import { startsOf, walkFrom } from '../server/domain/walk/route.ts';
import { twoStepFca } from '../server/domain/walk/sfca.ts';
import { indexEdges, SNAP_FLAG_M, type Snap, snapPoint } from '../server/domain/walk/snap.ts';
import { metresIn, WALK_BANDS_MIN } from '../server/domain/walk/speed.ts';
import { nearestStraight } from '../server/domain/walk/straight.ts';
import { readWalkLines, type WalkLine } from '../server/domain/walk/tiles.ts';

/**
 * The walking network at import (issue 16): built from the package's basemap tiles (the same folder the map is
 * served from, `basemap/openmaptiles/{z}/{x}/{y}.pbf`, at its highest zoom), stored in the staging schema
 * (walk_node, walk_edge, walk_snap, walk_graph), every address and offer snapped to it; then the walking
 * indicators' inputs, computed here and handed to server/sql/derive/150_walk.sql in temporary tables.
 * A package without basemap tiles has no network and no walking indicators.
 */
export const BASEMAP_DIR = 'basemap/openmaptiles';
/** Snapping is to the connected network: components with at least this share of the graph's nodes. */
export const MAIN_COMPONENT_SHARE = 0.01;
/** Farther than this from every walkable edge, a point is not snapped at all. */
export const SNAP_MAX_M = 2_000;
/** The catchment of the 2SFCA supply per resident: 10 minutes' walk. */
export const SFCA_MINUTES = 10;
/** The detour is measured for addresses at least this far (straight line) from the nearest offer. */
export const DETOUR_MIN_M = 100;
/** The targets of 110_nearest.sql whose detour is measured. */
export const DETOUR_TARGETS = ['childcare', 'school_primary'];
/** The derivation that reads what deriveWalking computes: the importer runs deriveWalking right before it. */
export const WALK_DERIVE_FILE = '150_walk.sql';

export interface WalkTiles {
  z: number;
  files: { x: number; y: number; path: string }[];
}

/** The tiles of the basemap's highest zoom, or null when the package has none. */
export function walkTiles(dir: string): WalkTiles | null {
  const root = join(dir, BASEMAP_DIR);
  if (!existsSync(root)) return null;
  const zooms = readdirSync(root)
    .filter((z) => /^\d+$/.test(z))
    .map(Number)
    .sort((a, b) => b - a);
  const z = zooms[0];
  if (z === undefined) return null;
  const files: WalkTiles['files'] = [];
  for (const x of readdirSync(join(root, String(z))).filter((d) => /^\d+$/.test(d)))
    for (const f of readdirSync(join(root, String(z), x)))
      if (/^\d+\.pbf$/.test(f))
        files.push({ x: Number(x), y: Number(f.slice(0, -4)), path: join(root, String(z), x, f) });
  files.sort((a, b) => a.x - b.x || a.y - b.y);
  return files.length > 0 ? { z, files } : null;
}

export interface WalkNetwork {
  graph: WalkGraph;
  report: BuildReport & { tiles: number; zoom: number; bytes: number; buildMs: number };
  minComponentNodes: number;
}

/** Reads the tiles and builds the graph (no database). */
export function readWalkNetwork(tiles: WalkTiles): WalkNetwork {
  const t0 = performance.now();
  const lines: WalkLine[] = [];
  for (const f of tiles.files) {
    let read: WalkLine[];
    try {
      read = readWalkLines(readFileSync(f.path), tiles.z, f.x, f.y);
    } catch (err) {
      throw new Error(
        `${BASEMAP_DIR}/${tiles.z}/${f.x}/${f.y}.pbf: not a readable vector tile: ${(err as Error).message}`,
      );
    }
    for (const l of read) lines.push(l);
  }
  const { graph, report } = buildGraph(lines);
  return {
    graph,
    report: {
      ...report,
      tiles: tiles.files.length,
      zoom: tiles.z,
      bytes: graphBytes(graph),
      buildMs: Math.round(performance.now() - t0),
    },
    minComponentNodes: Math.max(1, Math.ceil(MAIN_COMPONENT_SHARE * graph.lon.length)),
  };
}

async function insertChunks(
  tx: Queryable,
  total: number,
  sql: string,
  columns: (from: number, to: number) => unknown[],
) {
  const chunk = 50_000;
  for (let i = 0; i < total; i += chunk) await tx.query(sql, columns(i, Math.min(total, i + chunk)));
}

/** Stores the snaps of one kind of point, with the persons each address stands for (null for offers). */
async function storeSnaps(
  tx: Queryable,
  kind: 'address' | 'offer',
  ids: string[],
  snaps: (Snap | null)[],
  persons: (number | null)[] | null,
) {
  await insertChunks(
    tx,
    ids.length,
    `INSERT INTO walk_snap (kind, ref, edge, t, snap_m, flagged, persons)
     SELECT $1, ref, e, t, m, m IS NULL OR m > $6, p
     FROM unnest($2::text[], $3::int[], $4::float8[], $5::float8[], $7::float8[]) AS x(ref, e, t, m, p)`,
    (i, j) => [
      kind,
      ids.slice(i, j),
      snaps.slice(i, j).map((s) => s?.edge ?? null),
      snaps.slice(i, j).map((s) => s?.t ?? null),
      snaps.slice(i, j).map((s) => s?.m ?? null),
      SNAP_FLAG_M,
      persons ? persons.slice(i, j) : new Array(j - i).fill(null),
    ],
  );
}

/** What the snapping step keeps for the derivations. */
export interface WalkSnaps {
  addressIds: number[];
  addressLon: Float64Array;
  addressLat: Float64Array;
  addresses: Attached;
  offerIds: string[];
  offerLon: Float64Array;
  offerLat: Float64Array;
  offerSnaps: (Snap | null)[];
  /** Storing and snapping, ms. */
  storeMs: number;
}

/**
 * Stores the graph in the staging schema and snaps every address and offer to it (deriveWalking stores the snaps,
 * with the persons per address that the derivations before it give).
 */
export async function storeWalkNetwork(
  tx: Queryable,
  net: WalkNetwork,
  sourceId: string | null,
  step: (name: string, count?: number) => void,
): Promise<WalkSnaps> {
  const g = net.graph;
  const t0 = performance.now();
  // The keys are built once after the rows rather than row by row (a fifth less time for these rows on PGlite).
  await tx.exec(
    'ALTER TABLE walk_node DROP CONSTRAINT walk_node_pkey; ALTER TABLE walk_edge DROP CONSTRAINT walk_edge_pkey',
  );
  await insertChunks(
    tx,
    g.lon.length,
    `INSERT INTO walk_node (id, lon, lat, component)
     SELECT $1::int + n - 1, lon, lat, c FROM unnest($2::float8[], $3::float8[], $4::int[]) WITH ORDINALITY AS t(lon, lat, c, n)`,
    (i, j) => [i, [...g.lon.subarray(i, j)], [...g.lat.subarray(i, j)], [...g.component.subarray(i, j)]],
  );
  await insertChunks(
    tx,
    g.a.length,
    `INSERT INTO walk_edge (id, a, b, length_m, kind)
     SELECT $1::int + n - 1, a, b, len, k FROM unnest($2::int[], $3::int[], $4::float8[], $5::text[]) WITH ORDINALITY AS t(a, b, len, k, n)`,
    (i, j) => [
      i,
      [...g.a.subarray(i, j)],
      [...g.b.subarray(i, j)],
      [...g.len.subarray(i, j)],
      [...g.kind.subarray(i, j)].map((k) => g.kinds[k]),
    ],
  );
  await tx.exec('ALTER TABLE walk_node ADD PRIMARY KEY (id); ALTER TABLE walk_edge ADD PRIMARY KEY (id)');
  step('stored the walking network', g.a.length);

  const index = indexEdges(g, net.minComponentNodes);
  const addr = await tx.query<{ id: number; lon: number; lat: number }>(
    'SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM address ORDER BY id',
  );
  const offers = await tx.query<{ id: string; lon: number; lat: number }>(
    'SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM offer ORDER BY id',
  );
  const snapAll = (rows: { lon: number; lat: number }[]) => rows.map((r) => snapPoint(index, r.lon, r.lat, SNAP_MAX_M));
  const addressSnaps = snapAll(addr);
  const offerSnaps = snapAll(offers);
  const flagged = (snaps: (Snap | null)[]) => snaps.filter((s) => !s || s.m > SNAP_FLAG_M).length;
  const r = net.report;
  await tx.query(
    `INSERT INTO walk_graph (source_id, zoom, tiles, nodes, edges, components, largest_component, min_component_nodes,
                             seam_joins, junctions, length_km, bytes, build_ms, addresses_flagged, offers_flagged)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      sourceId,
      r.zoom,
      r.tiles,
      r.nodes,
      r.edges,
      r.components,
      r.largestComponentNodes,
      net.minComponentNodes,
      r.seamJoins,
      r.junctions,
      r.lengthKm,
      r.bytes,
      r.buildMs,
      flagged(addressSnaps),
      flagged(offerSnaps),
    ],
  );
  step(
    `snapped ${addr.length} addresses and ${offers.length} offers to the walking network ` +
      `(${flagged(addressSnaps)} and ${flagged(offerSnaps)} farther than ${SNAP_FLAG_M} m)`,
  );
  return {
    addressIds: addr.map((r) => r.id),
    addressLon: Float64Array.from(addr, (r) => r.lon),
    addressLat: Float64Array.from(addr, (r) => r.lat),
    addresses: attach(g, addressSnaps),
    offerIds: offers.map((r) => r.id),
    offerLon: Float64Array.from(offers, (r) => r.lon),
    offerLat: Float64Array.from(offers, (r) => r.lat),
    offerSnaps,
    storeMs: performance.now() - t0,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length === 0 ? null : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/**
 * The inputs of 150_walk.sql, run after the straight-line derivations (it reads their drv_target, drv_site,
 * drv_addr, drv_rollup and drv_pop_piece):
 *   drv_walk_reach  per piece (quarter, action area) and target: addresses within 5, 10 and 15 minutes' walk;
 *   drv_walk_detour per unit and target: the median ratio of the walk to the nearest offer over the straight line
 *                   to the nearest offer, for addresses at least DETOUR_MIN_M from it;
 *   drv_walk_sfca   per piece: Σ persons·A_i and Σ persons of the 2SFCA Kita places (sfca.ts).
 */
export async function deriveWalking(tx: Queryable, net: WalkNetwork | null, snaps: WalkSnaps | null) {
  await tx.exec(`
    CREATE TEMP TABLE drv_walk_reach (quarter_code text, action_area_code text, target text, n int, r5 int, r10 int, r15 int) ON COMMIT DROP;
    CREATE TEMP TABLE drv_walk_detour (level text, code text, target text, ratio float8, n int, unreached int) ON COMMIT DROP;
    CREATE TEMP TABLE drv_walk_sfca (quarter_code text, action_area_code text, placed float8, persons float8, n int,
                                     kitas int, kitas_without_places int) ON COMMIT DROP;`);
  if (!net || !snaps) return;
  const t0 = performance.now();
  const g = net.graph;
  const bands = WALK_BANDS_MIN.map(metresIn);
  const limit = Math.max(...bands);
  const sites = await tx.query<{ target: string; offer_id: string }>(
    "SELECT target, offer_id FROM drv_site WHERE target <> 'social_index' ORDER BY target, offer_id",
  );
  const pieces = await tx.query<{ id: number; quarter_code: string; action_area_code: string | null }>(
    'SELECT id, quarter_code, action_area_code FROM drv_addr',
  );
  const rollup = await tx.query<{ quarter_code: string; action_area_code: string | null; level: string; code: string }>(
    'SELECT quarter_code, action_area_code, level, code FROM drv_rollup',
  );
  const weights = await tx.query<{ quarter_code: string; action_area_code: string | null; w: number | null }>(
    'SELECT quarter_code, action_area_code, persons::float8 / nullif(n, 0) AS w FROM drv_pop_piece',
  );
  const pieceKey = (q: string, a: string | null) => `${q}|${a ?? ''}`;
  const addressIndex = new Map(snaps.addressIds.map((id, i) => [id, i]));
  const pieceOf: string[] = new Array(snaps.addressIds.length);
  for (const p of pieces) {
    const i = addressIndex.get(p.id);
    if (i !== undefined) pieceOf[i] = pieceKey(p.quarter_code, p.action_area_code);
  }
  const unitsOf = new Map<string, string[]>();
  for (const r of rollup) {
    const k = pieceKey(r.quarter_code, r.action_area_code);
    const list = unitsOf.get(k) ?? [];
    list.push(`${r.level}|${r.code}`);
    unitsOf.set(k, list);
  }
  const offerIndex = new Map(snaps.offerIds.map((id, i) => [id, i]));
  const byTarget = new Map<string, number[]>();
  for (const s of sites) {
    const i = offerIndex.get(s.offer_id);
    if (i === undefined) continue;
    const list = byTarget.get(s.target) ?? [];
    list.push(i);
    byTarget.set(s.target, list);
  }

  // Coverage and detour, one search per target from all its offers at once.
  const reachRows: (string | number | null)[][] = [];
  const detourRows: (string | number | null)[][] = [];
  for (const [target, offers] of byTarget) {
    const detour = DETOUR_TARGETS.includes(target);
    const walk = nearestSite(
      g,
      offers.map((i) => snaps.offerSnaps[i] ?? null),
      snaps.addresses,
      detour ? Number.POSITIVE_INFINITY : limit,
    );
    const counts = new Map<string, number[]>();
    walk.forEach((m, i) => {
      const key = pieceOf[i] as string;
      const c = counts.get(key) ?? [0, 0, 0, 0];
      c[0] = (c[0] as number) + 1;
      bands.forEach((b, k) => {
        if (m <= b) c[k + 1] = (c[k + 1] as number) + 1;
      });
      counts.set(key, c);
    });
    for (const [key, c] of counts) {
      const [q, a] = key.split('|') as [string, string];
      reachRows.push([q, a || null, target, ...c]);
    }
    if (!detour) continue;
    // The straight line to the nearest offer (the same metric as the walk's segments).
    const ratios = new Map<string, number[]>();
    const unreached = new Map<string, number>();
    const straightM = nearestStraight(
      snaps.addressLon,
      snaps.addressLat,
      offers.map((o) => snaps.offerLon[o] as number),
      offers.map((o) => snaps.offerLat[o] as number),
    );
    for (let i = 0; i < walk.length; i++) {
      const straight = straightM[i] as number;
      if (!(straight >= DETOUR_MIN_M)) continue;
      for (const unit of unitsOf.get(pieceOf[i] as string) ?? []) {
        const m = walk[i] as number;
        if (!Number.isFinite(m)) unreached.set(unit, (unreached.get(unit) ?? 0) + 1);
        else {
          const list = ratios.get(unit) ?? [];
          list.push(m / straight);
          ratios.set(unit, list);
        }
      }
    }
    for (const unit of new Set([...ratios.keys(), ...unreached.keys()])) {
      const [level, code] = unit.split('|') as [string, string];
      const list = ratios.get(unit) ?? [];
      detourRows.push([level, code, target, median(list), list.length, unreached.get(unit) ?? 0]);
    }
  }

  // 2SFCA: Kita places per resident within SFCA_MINUTES' walk.
  const kitas = await tx.query<{ id: string; places: number }>(
    `SELECT o.id, coalesce(o.places_u3, 0) + coalesce(o.places_o3, 0) AS places FROM drv_site s JOIN offer o ON o.id = s.offer_id
     WHERE s.target = 'childcare' AND (o.places_u3 IS NOT NULL OR o.places_o3 IS NOT NULL) ORDER BY o.id`,
  );
  const weightOf = new Map(weights.map((w) => [pieceKey(w.quarter_code, w.action_area_code), w.w]));
  const population = Float64Array.from(pieceOf, (k) => weightOf.get(k) ?? 0);
  // The snaps are stored here, once the persons per address are known (one insert instead of an update after).
  await storeSnaps(
    tx,
    'address',
    snaps.addressIds.map(String),
    snaps.addresses.snaps,
    pieceOf.map((k) => weightOf.get(k) ?? null),
  );
  await storeSnaps(tx, 'offer', snaps.offerIds, snaps.offerSnaps, null);
  const d0 = metresIn(SFCA_MINUTES);
  const pairs: { site: number; home: number; m: number }[] = [];
  kitas.forEach((k, site) => {
    const i = offerIndex.get(k.id);
    const s = i === undefined ? null : snaps.offerSnaps[i];
    if (!s) return;
    for (const [home, m] of reached(walkFrom(g, startsOf(g, s), d0), snaps.addresses, d0, s))
      pairs.push({ site, home, m });
  });
  const { access } = twoStepFca(
    kitas.map((k) => k.places),
    population,
    pairs,
    d0,
  );
  const sfca = new Map<string, [number, number, number]>();
  access.forEach((a, i) => {
    const key = pieceOf[i] as string;
    const s = sfca.get(key) ?? [0, 0, 0];
    s[0] += (population[i] as number) * a;
    s[1] += population[i] as number;
    s[2] += 1;
    sfca.set(key, s);
  });

  const col = (rows: (string | number | null)[][], k: number) => rows.map((r) => r[k] ?? null);
  await tx.query(
    `INSERT INTO drv_walk_reach SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::int[])`,
    [0, 1, 2, 3, 4, 5, 6].map((k) => col(reachRows, k)),
  );
  await tx.query(
    `INSERT INTO drv_walk_detour SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::int[], $6::int[])`,
    [0, 1, 2, 3, 4, 5].map((k) => col(detourRows, k)),
  );
  const sfcaRows = [...sfca].map(([key, [placed, persons, n]]) => {
    const [q, a] = key.split('|') as [string, string];
    return [q, a || null, placed, persons, n];
  });
  await tx.query(
    `INSERT INTO drv_walk_sfca
     SELECT q, a, placed, persons, n, $6::int, (SELECT count(*) FROM drv_site WHERE target = 'childcare')::int - $6::int
     FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::int[]) AS t(q, a, placed, persons, n)`,
    [...[0, 1, 2, 3, 4].map((k) => col(sfcaRows, k)), kitas.length],
  );
  // The network in one value for the server (server/db/queries/walk.ts reads it).
  const categories = await tx.query<{ id: string; category: string }>('SELECT id, category FROM offer ORDER BY id');
  const categoryOf = new Map(categories.map((c) => [c.id, c.category]));
  const a = snaps.addresses.snaps;
  const o = snaps.offerSnaps;
  const arrays = pack(
    {
      lon: g.lon,
      lat: g.lat,
      a: g.a,
      b: g.b,
      len: g.len,
      kind: g.kind,
      addressEdge: Int32Array.from(a, (x) => x?.edge ?? -1),
      addressT: Float64Array.from(a, (x) => x?.t ?? Number.NaN),
      addressM: Float64Array.from(a, (x) => x?.m ?? Number.NaN),
      addressPersons: Float64Array.from(pieceOf, (k) => weightOf.get(k) ?? Number.NaN),
      offerEdge: Int32Array.from(o, (x) => x?.edge ?? -1),
      offerT: Float64Array.from(o, (x) => x?.t ?? Number.NaN),
      offerM: Float64Array.from(o, (x) => x?.m ?? Number.NaN),
      offerLon: snaps.offerLon,
      offerLat: snaps.offerLat,
    },
    {
      kinds: g.kinds,
      offerIds: snaps.offerIds,
      offerCategories: snaps.offerIds.map((id) => categoryOf.get(id) ?? ''),
    },
  );
  await tx.query(`UPDATE walk_graph SET derive_ms = $1, arrays = decode($2, 'hex')`, [
    Math.round(snaps.storeMs + performance.now() - t0),
    // As hex text, decoded by the database: PGlite turns a bytea parameter into hex one byte at a time, which took
    // it 0.3 s of CPU a MB (the network is 17 MB); Node's encoder takes a few milliseconds.
    Buffer.from(arrays.buffer, arrays.byteOffset, arrays.byteLength).toString('hex'),
  ]);
}
