/**
 * The walking network as the import stored it, read into memory once per data version for the routed answers:
 * nearest offers on foot, isochrones, routes. It is read from walk_graph.arrays, the network in one value (the
 * rows of walk_node, walk_edge and walk_snap hold the same for SQL), which both engines give back in well under
 * a second, where reading 800,000 rows took PGlite half a minute. Null for a package without basemap tiles.
 * The arrays are those of server/domain/walk (typed arrays); what they take is `bytes`. Once read, a few walks
 * warm the code that answers (warmUp); `loadMs` includes them.
 */

import { assembleGraph, graphBytes } from '../../domain/walk/graph.ts';
import { type WalkNetwork, warmUp } from '../../domain/walk/network.ts';
import { unpack } from '../../domain/walk/pack.ts';
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

export async function loadWalkNetwork(db: Db): Promise<LoadedWalkNetwork | null> {
  const t0 = performance.now();
  // As hex text: PGlite turns a bytea of this size (17 MB) into bytes about three times slower than Buffer does.
  const [row] = await db.query<WalkInfo & { arrays_hex: string | null }>(
    `SELECT zoom, tiles, nodes, edges, components, largest_component, min_component_nodes, seam_joins, junctions,
            length_km, build_ms, derive_ms, addresses_flagged, offers_flagged, source_id,
            encode(arrays, 'hex') AS arrays_hex
     FROM atlas.walk_graph`,
  );
  if (!row?.arrays_hex) return null;
  const { arrays_hex, ...info } = row;
  const { arrays, extra } = unpack(Buffer.from(arrays_hex, 'hex'));
  const f64 = (name: string) => arrays[name] as Float64Array;
  const i32 = (name: string) => arrays[name] as Int32Array;
  const graph = assembleGraph(
    f64('lon'),
    f64('lat'),
    i32('a'),
    i32('b'),
    f64('len'),
    arrays.kind as Uint8Array,
    extra.kinds as string[],
  );
  const snapsOf = (prefix: string): (Snap | null)[] => {
    const edge = i32(`${prefix}Edge`);
    const t = f64(`${prefix}T`);
    const m = f64(`${prefix}M`);
    return Array.from(edge, (e, i) => (e < 0 ? null : { edge: e, t: t[i] as number, m: m[i] as number }));
  };
  const addresses = attach(graph, snapsOf('address'));
  const offers = attach(graph, snapsOf('offer'));
  const offerIds = extra.offerIds as string[];
  const persons = f64('addressPersons');
  const index = indexEdges(graph, info.min_component_nodes);
  const attachedBytes = (a: Attached) => a.first.byteLength + a.item.byteLength + a.offset.byteLength;
  // A map entry costs about 80 bytes besides its array.
  let indexBytes = 0;
  for (const list of index.cells.values()) indexBytes += list.byteLength + 80;
  const net: WalkNetwork = {
    graph,
    index,
    addresses,
    persons,
    offers,
    offerIds,
    offerCategory: extra.offerCategories as string[],
    offerLon: f64('offerLon'),
    offerLat: f64('offerLat'),
    offerIndex: new Map(offerIds.map((id, i) => [id, i])),
  };
  warmUp(net);
  return {
    ...net,
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
