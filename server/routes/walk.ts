import { Hono } from 'hono';
import { z } from 'zod';
import { walkNetwork } from '../db/queries/walk.ts';
import type { AppDeps } from '../deps.ts';
import { ISOCHRONE_BUFFER_M, ISOCHRONE_CELL_M } from '../domain/walk/isochrone.ts';
import { isochroneBands, START_MAX_M, snapStart, walkRoute } from '../domain/walk/network.ts';
import { SNAP_FLAG_M } from '../domain/walk/snap.ts';
import { minutesFor, WALK_SPEED_KMH } from '../domain/walk/speed.ts';
import { badRequest, notFound } from '../http/problem.ts';
import {
  documentRoute,
  feature,
  featureCollection,
  MultiPolygonGeometry,
  Position,
  queryNumber,
  validateQuery,
} from '../http/validate.ts';

/**
 * Walking on the street and footpath network (issue 16): isochrones (GET /api/isochrones) and the route to an
 * offer (GET /api/walk/route), answered from the network in memory (server/db/queries/walk.ts).
 */
export const MINUTES_MAX = 30;
export const BANDS_MAX = 5;

const Minutes = z
  .string()
  .max(40)
  .regex(/^\s*\d{1,2}\s*(,\s*\d{1,2}\s*)*$/, 'must be a comma separated list of whole minutes, such as 5,10,15')
  .describe(`Minutes of walking, comma separated: at most ${BANDS_MAX} bands of 1 to ${MINUTES_MAX} minutes.`)
  .default('5,10,15')
  .transform((text, ctx) => {
    const list = [...new Set(text.split(',').map((m) => Number(m.trim())))].sort((a, b) => a - b);
    if (list.some((m) => m < 1 || m > MINUTES_MAX)) {
      ctx.addIssue({ code: 'custom', message: `every band must be 1 to ${MINUTES_MAX} minutes` });
      return z.NEVER;
    }
    if (list.length > BANDS_MAX) {
      ctx.addIssue({ code: 'custom', message: `at most ${BANDS_MAX} bands` });
      return z.NEVER;
    }
    return list;
  });

const Point = {
  lon: queryNumber(z.number().min(-180).max(180)).describe('Longitude, WGS84'),
  lat: queryNumber(z.number().min(-90).max(90)).describe('Latitude, WGS84'),
};

export const IsochroneQuery = z.strictObject({ ...Point, minutes: Minutes });
export const RouteQuery = z.strictObject({
  ...Point,
  to: z.string().min(1).max(200).describe('The id of the offer to walk to'),
});

const Start = z
  .strictObject({
    point: Position,
    snap_m: z.number().describe('Metres from the point to the nearest walkable way (walked first)'),
    flagged: z.boolean().describe(`true: more than ${SNAP_FLAG_M} m from the network`),
  })
  .describe('Where the walk joins the network');

const METHOD = {
  de:
    `Fußwege auf dem Straßen- und Wegenetz der Grundkarte (OpenStreetMap über OpenMapTiles, etwa 2020) bei ${WALK_SPEED_KMH} km/h. ` +
    `Die Fläche eines Bandes: alle Wege, die in der Zeit erreicht werden (angefangene Wege bis zum erreichten Punkt), ` +
    `${ISOCHRONE_BUFFER_M} m breit gepuffert auf einem Raster von ${ISOCHRONE_CELL_M} m; so reicht sie nicht über Flüsse, Bahnlinien ` +
    `oder Schnellstraßen ohne Übergang und füllt Blöcke nur, wo Wege sie umschließen. Adressen, Einwohner und Angebote zählen ` +
    `nach ihrem eigenen Fußweg (jede auf den nächsten Weg gesetzt), nicht nach der Fläche. Einwohner sind geschätzt: jede Adresse ` +
    `mit den Einwohnern je Adresse ihres statistischen Bezirks.`,
  en:
    `Walks on the street and path network of the basemap (OpenStreetMap through OpenMapTiles, about 2020) at ${WALK_SPEED_KMH} km/h. ` +
    `A band's area: every way reached within the time (ways begun up to the point reached), buffered ${ISOCHRONE_BUFFER_M} m ` +
    `on a grid of ${ISOCHRONE_CELL_M} m; so it does not reach across rivers, railways or expressways without a crossing and fills ` +
    `blocks only where ways enclose them. Addresses, residents and offers count by their own walk (each placed on its ` +
    `nearest way), not by the area. Residents are estimated: every address with its quarter's persons per address.`,
};

const Band = z.strictObject({
  minutes: z.number().int(),
  metres: z.number().describe(`Metres walked in so many minutes at ${WALK_SPEED_KMH} km/h`),
  addresses: z.number().int().describe('Addresses within this walk'),
  residents: z.number().int().describe('Estimated residents of those addresses (modelled, rounded)'),
  residents_unknown: z.number().int().describe('Addresses of those without an estimate of their residents'),
  offers: z.record(z.string(), z.number().int()).describe('Offers within this walk, by category'),
});

export const IsochroneCollection = featureCollection(
  feature(Band, MultiPolygonGeometry),
  z.strictObject({
    origin: Position,
    start: Start,
    speed_kmh: z.number(),
    method: z.strictObject({ de: z.string(), en: z.string() }),
  }),
);

export const RouteFeature = z.strictObject({
  type: z.literal('Feature'),
  geometry: z.strictObject({ type: z.literal('LineString'), coordinates: z.array(Position) }),
  properties: z.strictObject({
    to: z.string(),
    walk_m: z.number().int().describe('Metres of the walk, the ways to and from the network included'),
    walk_minutes: z.number().int().describe(`Whole minutes at ${WALK_SPEED_KMH} km/h, rounded up`),
    start: Start,
  }),
});

documentRoute({
  method: 'get',
  path: '/api/isochrones',
  tag: 'walking',
  summary: 'Areas reachable on foot from a point within 5, 10, 15 (or other) minutes, with what lies inside',
  description: `${METHOD.en} The point must lie within ${START_MAX_M} m of a walkable way.`,
  query: IsochroneQuery,
  response: {
    description: 'One MultiPolygon per band, shortest first',
    contentType: 'application/geo+json',
    schema: IsochroneCollection,
  },
  errors: [{ status: 404, description: 'The data package has no walking network (no basemap tiles)' }],
  example: '/api/isochrones?lon=7.4653&lat=51.5136&minutes=5,10,15',
});
export const NetworkInfo = z.strictObject({
  zoom: z.number().int().describe('The zoom of the basemap tiles the network is built from'),
  tiles: z.number().int(),
  nodes: z.number().int(),
  edges: z.number().int(),
  length_km: z.number(),
  components: z.number().int().describe('Connected components of the graph'),
  largest_component: z.number().int().describe('Nodes of the largest component'),
  min_component_nodes: z.number().int().describe('Points snap to components with at least this many nodes'),
  seam_joins: z.number().int().describe('Vertices joined across tile seams (within 1 m)'),
  junctions: z.number().int().describe('Dead ends joined to the line they end on (within 1 m)'),
  addresses_flagged: z.number().int().describe(`Addresses more than ${SNAP_FLAG_M} m from the network`),
  offers_flagged: z.number().int().describe(`Offers more than ${SNAP_FLAG_M} m from the network`),
  build_ms: z.number().int().describe('Reading the tiles and building the graph at import, ms'),
  derive_ms: z.number().int().nullable().describe('Storing, snapping and the walking indicators at import, ms'),
  memory_bytes: z.number().int().describe('Bytes of the network in the server: typed arrays and the snapping index'),
  load_ms: z
    .number()
    .int()
    .describe(
      'Reading the network from the database into memory, and a few walks made at once to ready the code for the first answers, ms',
    ),
  source_id: z.string().nullable(),
});

documentRoute({
  method: 'get',
  path: '/api/walk/network',
  tag: 'walking',
  summary: 'The walking network: its size, components, joins, snapped points flagged, build time and memory',
  response: { description: 'The network', schema: NetworkInfo },
  errors: [{ status: 404, description: 'The data package has no walking network' }],
  example: '/api/walk/network',
});
documentRoute({
  method: 'get',
  path: '/api/walk/route',
  tag: 'walking',
  summary: 'The shortest walk from a point to an offer, as a line on the network',
  query: RouteQuery,
  response: { description: 'A LineString feature', contentType: 'application/geo+json', schema: RouteFeature },
  errors: [
    { status: 404, description: 'No offer has this id, it cannot be reached on foot, or there is no walking network' },
  ],
});

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

async function networkOrThrow(db: AppDeps['db']) {
  const net = await walkNetwork(db);
  if (!net) throw notFound('The data package has no walking network (no basemap tiles at its highest zoom)');
  return net;
}

function startOrThrow(net: Awaited<ReturnType<typeof networkOrThrow>>, lon: number, lat: number) {
  const start = snapStart(net, lon, lat);
  if (!start) throw badRequest('lon', `no walkable way within ${START_MAX_M} m of the point (${lon}, ${lat})`);
  return start;
}

export function walkRoutes({ db }: Pick<AppDeps, 'db'>) {
  return new Hono()
    .get('/walk/network', validateQuery(z.strictObject({})), async (c) => {
      const net = await networkOrThrow(db);
      const { info } = net;
      const body: z.infer<typeof NetworkInfo> = {
        ...info,
        memory_bytes: net.bytes,
        load_ms: net.loadMs,
      };
      return c.json(body);
    })
    .get('/isochrones', validateQuery(IsochroneQuery), async (c) => {
      const q = c.req.valid('query');
      const net = await networkOrThrow(db);
      const start = startOrThrow(net, q.lon, q.lat);
      const bands = isochroneBands(net, q.lon, q.lat, start, q.minutes);
      const body: z.infer<typeof IsochroneCollection> = {
        type: 'FeatureCollection',
        features: bands.map((b) => ({
          type: 'Feature',
          id: `${b.minutes}min`,
          properties: {
            minutes: b.minutes,
            metres: b.metres,
            addresses: b.addresses,
            residents: Math.round(b.residents),
            residents_unknown: b.residentsUnknown,
            offers: b.offers,
          },
          geometry: { type: 'MultiPolygon', coordinates: b.polygons },
        })),
        meta: {
          origin: [q.lon, q.lat],
          start: { point: [r6(q.lon), r6(q.lat)], snap_m: Math.round(start.m), flagged: start.m > SNAP_FLAG_M },
          speed_kmh: WALK_SPEED_KMH,
          method: METHOD,
        },
      };
      return c.body(JSON.stringify(body), 200, { 'content-type': 'application/geo+json' });
    })
    .get('/walk/route', validateQuery(RouteQuery), async (c) => {
      const q = c.req.valid('query');
      const net = await networkOrThrow(db);
      if (!net.offerIndex.has(q.to)) throw notFound(`No offer with id ${q.to}`);
      const start = startOrThrow(net, q.lon, q.lat);
      const route = walkRoute(net, q.lon, q.lat, start, q.to);
      if (!route) throw notFound(`The offer ${q.to} cannot be reached on foot from this point on the network`);
      const body: z.infer<typeof RouteFeature> = {
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: route.coordinates.map(([x, y]) => [r6(x), r6(y)]) },
        properties: {
          to: q.to,
          walk_m: Math.round(route.metres),
          walk_minutes: minutesFor(Math.round(route.metres)),
          start: { point: [r6(q.lon), r6(q.lat)], snap_m: Math.round(start.m), flagged: start.m > SNAP_FLAG_M },
        },
      };
      return c.body(JSON.stringify(body), 200, { 'content-type': 'application/geo+json' });
    });
}
