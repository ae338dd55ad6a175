/**
 * The walking network as the import stored it (walk_node, walk_edge, walk_snap, walk_graph), read into memory once
 * per data version for the routed answers: nearest offers on foot, isochrones, routes. Null for a package without
 * basemap tiles. The arrays are those of server/domain/walk (typed arrays); what they take is `bytes`.
 */

import { assembleGraph, graphBytes } from '../../domain/walk/graph.ts';
import type { WalkNetwork } from '../../domain/walk/network.ts';
import { type Attached, attach } from '../../domain/walk/reach.ts';
import { indexEdges, type Snap } from '../../domain/walk/snap.ts';
import { type OwnCache, perDataVersion } from '../data-version.ts';
import type { Db } from '../index.ts';

export interface WalkInfo {
  zoom: number;
  tiles: number;
  nodes: number;
  edges: number;
  components: number;
  largest_component: number;
  min_component_nodes: number;
  seam_joins: number;
  junctions: number;
  length_km: number;
  build_ms: number;
  derive_ms: number | null;
  addresses_flagged: number;
  offers_flagged: number;
  source_id: string | null;
}

/** The network with the build's report and what loading it took. */
export interface LoadedWalkNetwork extends WalkNetwork {
  info: WalkInfo;
  /** Bytes held: the graph's and the attachments' arrays and the snapping index. */
  bytes: number;
  loadMs: number;
}

const snapOf = (r: { edge: number | null; t: number | null; snap_m: number | null }): Snap | null =>
  r.edge === null || r.t === null || r.snap_m === null ? null : { edge: r.edge, t: r.t, m: r.snap_m };

export async function loadWalkNetwork(db: Db): Promise<LoadedWalkNetwork | null> {
  const t0 = performance.now();
  const [info] = await db.query<WalkInfo>(
    `SELECT zoom, tiles, nodes, edges, components, largest_component, min_component_nodes, seam_joins, junctions,
            length_km, build_ms, derive_ms, addresses_flagged, offers_flagged, source_id
     FROM atlas.walk_graph`,
  );
  if (!info) return null;
  const nodes = await db.query<{ lon: number; lat: number }>('SELECT lon, lat FROM atlas.walk_node ORDER BY id');
  const edges = await db.query<{ a: number; b: number; length_m: number; kind: string }>(
    'SELECT a, b, length_m, kind FROM atlas.walk_edge ORDER BY id',
  );
  const kinds = [...new Set(edges.map((e) => e.kind))];
  const kindIndex = new Map(kinds.map((k, i) => [k, i]));
  const graph = assembleGraph(
    Float64Array.from(nodes, (n) => n.lon),
    Float64Array.from(nodes, (n) => n.lat),
    Int32Array.from(edges, (e) => e.a),
    Int32Array.from(edges, (e) => e.b),
    Float64Array.from(edges, (e) => e.length_m),
    Uint8Array.from(edges, (e) => kindIndex.get(e.kind) ?? 0),
    kinds,
  );
  const addressRows = await db.query<{
    edge: number | null;
    t: number | null;
    snap_m: number | null;
    persons: number | null;
  }>("SELECT edge, t, snap_m, persons FROM atlas.walk_snap WHERE kind = 'address' ORDER BY ref::int");
  const offerRows = await db.query<{
    ref: string;
    edge: number | null;
    t: number | null;
    snap_m: number | null;
    category: string;
    lon: number;
    lat: number;
  }>(
    `SELECT s.ref, s.edge, s.t, s.snap_m, o.category, ST_X(o.geom) AS lon, ST_Y(o.geom) AS lat
     FROM atlas.walk_snap s JOIN atlas.offer o ON o.id = s.ref WHERE s.kind = 'offer' ORDER BY s.ref`,
  );
  const addresses = attach(graph, addressRows.map(snapOf));
  const offers = attach(graph, offerRows.map(snapOf));
  const attachedBytes = (a: Attached) => a.first.byteLength + a.item.byteLength + a.offset.byteLength;
  const persons = Float64Array.from(addressRows, (r) => r.persons ?? Number.NaN);
  const index = indexEdges(graph, info.min_component_nodes);
  // A map entry costs about 80 bytes besides its array.
  let indexBytes = 0;
  for (const list of index.cells.values()) indexBytes += list.byteLength + 80;
  return {
    graph,
    index,
    addresses,
    persons,
    offers,
    offerIds: offerRows.map((r) => r.ref),
    offerCategory: offerRows.map((r) => r.category),
    offerLon: Float64Array.from(offerRows, (r) => r.lon),
    offerLat: Float64Array.from(offerRows, (r) => r.lat),
    offerIndex: new Map(offerRows.map((r, i) => [r.ref, i])),
    info,
    bytes: graphBytes(graph) + attachedBytes(addresses) + attachedBytes(offers) + persons.byteLength + indexBytes,
    loadMs: Math.round(performance.now() - t0),
  };
}

/** One network per database and data version, in an LRU of its own (it must not push out, nor be pushed out by, answers). */
const ONE: OwnCache = { entries: 1, bytes: 1 };
const stores = new WeakMap<Db, ReturnType<typeof perDataVersion<'network', LoadedWalkNetwork | null>>>();

/** The live data version's walking network (read on first use), or null when the package has none. */
export async function walkNetwork(db: Db): Promise<LoadedWalkNetwork | null> {
  let store = stores.get(db);
  if (!store) {
    store = perDataVersion<'network', LoadedWalkNetwork | null>(db, () => loadWalkNetwork(db), undefined, ONE);
    stores.set(db, store);
  }
  return (await store.get('network')).value;
}
