import { type Context, Hono } from 'hono';
import { parseAccept } from 'hono/utils/accept';
import { perDataVersion, validityDay } from '../db/data-version.ts';
import { catalogueStore, latestStore } from '../db/queries/indicators.ts';
import { readAreaExtent } from '../db/queries/offers.ts';
import {
  readAreaGeometries,
  readAreasInBox,
  readGpkgSrs,
  readOfferGeometries,
  readOfferSources,
  readOffersInBox,
  readWkbById,
} from '../db/queries/ogc.ts';
import type { AppDeps } from '../deps.ts';
import { attributionLines } from '../domain/attribution.ts';
import { GPKG_TYPE, gpkgLayer, type WkbById } from '../domain/downloads.ts';
import { columnsOf, writeGeoPackage } from '../domain/gpkg.ts';
import {
  collectionDocument,
  collectionsDocument,
  conformance,
  DEFAULT_LIMIT,
  GEOJSON,
  geoJsonText,
  itemDocument,
  itemsDocument,
  JSON_TYPE,
  landingPage,
  MAX_LIMIT,
  numericProperties,
  OPENAPI_30,
  queryablesDocument,
  schemaDocument,
} from '../domain/ogc.ts';
import {
  areaFeatures,
  type CollectionInfo,
  findCollection,
  indicatorFeatures,
  type OgcFeature,
  offerFeatures,
  ogcCollections,
  selectItems,
} from '../domain/ogc-collections.ts';
import { CRS84, type Crs, EPSG_25832, type Interval, parseBbox, parseCrs, parseDatetime } from '../domain/ogc-crs.ts';
import {
  collectionHtml,
  collectionsHtml,
  conformanceHtml,
  itemHtml,
  itemsHtml,
  landingHtml,
} from '../domain/ogc-html.ts';
import { ogcOpenApi } from '../domain/ogc-openapi.ts';
import { badRequest, notFound } from '../http/problem.ts';
import { FAST, RECENT_ANSWERS, type Representation, represent, send, sizeOf } from '../http/representation.ts';

/**
 * /ogc: the atlas as OGC API – Features (Part 1 core, GeoJSON, HTML, OpenAPI 3.0; Part 2 CRS by reference), for
 * QGIS, GDAL and the city's geoportals. The collections and their features are made once per data version and
 * CRS (domain/ogc.ts from db/queries/ogc.ts and the catalogue's values); each answer, JSON or HTML, once per
 * data version and request, then sent from memory with its ETag and `Content-Crs`.
 */

export type OgcDeps = Pick<AppDeps, 'db'> & { minCount: number };

const CACHE = 'public, max-age=60, stale-while-revalidate=300';
const ITEM_PARAMS = new Set(['f', 'limit', 'offset', 'bbox', 'bbox-crs', 'crs', 'datetime', 'geometry']);

/** json or html (items also gpkg, read there): `f` when given, else the Accept header (HTML only when it prefers HTML to JSON). */
function formatOf(c: Context): 'json' | 'html' {
  const f = c.req.query('f');
  if (f === 'json' || f === 'html') return f;
  if (f !== undefined) throw badRequest('f', 'must be json or html (items: also gpkg)');
  const accept = c.req.header('accept');
  if (!accept) return 'json';
  let html = 0;
  let json = 0;
  for (const { type, q } of parseAccept(accept)) {
    const t = type.toLowerCase();
    if (t === 'text/html') html = Math.max(html, q);
    else if (t === 'application/json' || t === 'application/geo+json' || t.endsWith('+json')) json = Math.max(json, q);
  }
  return html > json ? 'html' : 'json';
}

function crsParam(c: Context, name: 'crs' | 'bbox-crs'): Crs {
  const value = c.req.query(name);
  if (value === undefined) return CRS84;
  const crs = parseCrs(value);
  if (!crs) throw badRequest(name, `must be one of ${[CRS84, EPSG_25832].map((x) => x.uri).join(', ')} or EPSG:4326`);
  return crs;
}

function intParam(c: Context, name: string, fallback: number, min: number, max: number): number {
  const raw = c.req.query(name);
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw.trim())) throw badRequest(name, 'must be a whole number');
  const n = Number(raw);
  if (n < min || n > max) throw badRequest(name, `must be between ${min} and ${max}`);
  return n;
}

const baseOf = (c: Context) => new URL(c.req.url).origin;

export function ogcRoutes({ db, minCount }: OgcDeps) {
  const catalogue = catalogueStore(db);
  const latest = latestStore(db);
  const meta = perDataVersion<
    'all',
    { collections: CollectionInfo[]; extent: Awaited<ReturnType<typeof readAreaExtent>> }
  >(db, async () => {
    const [cat, offerSources, extent] = await Promise.all([catalogue(), readOfferSources(db), readAreaExtent(db)]);
    return { collections: ogcCollections(cat, offerSources), extent };
  });
  // The features of a collection in CRS84 or EPSG:25832 (EPSG:4326 is CRS84 with the axes swapped when written).
  const features = perDataVersion<{ id: string; srid: number }, OgcFeature[]>(db, async ({ id, srid }, version) => {
    const { collections } = (await meta.get('all')).value;
    const info = findCollection(collections, id);
    if (!info) throw notFound(`No collection ${id}`);
    if (info.kind === 'offers') return offerFeatures(await readOfferGeometries(db, srid, validityDay(version)));
    const level = info.level as NonNullable<CollectionInfo['level']>;
    const [cat, values, rows] = await Promise.all([catalogue(), latest(level), readAreaGeometries(db, level, srid)]);
    if (info.kind === 'areas') return areaFeatures(info, rows, cat, values, minCount);
    const ind = cat.byId.get(info.indicator as string);
    if (!ind) throw notFound(`No collection ${id}`);
    return indicatorFeatures(ind, rows, values.get(ind.id), minCount);
  });
  // The geometries as WKB for GeoPackage files (issue 17): the areas of a level, or the offers (level null).
  const wkbs = perDataVersion<{ level: string | null; srid: number }, WkbById>(db, ({ level, srid }) =>
    readWkbById(db, level, srid),
  );
  // Every answer, by its canonical request, once per data version (open-ended queries: an LRU of its own).
  // (`make` is left out of the key: JSON.stringify drops functions.)
  const answers = perDataVersion<{ key: string; make: () => Promise<Representation> }, Representation>(
    db,
    ({ make }) => make(),
    sizeOf,
    RECENT_ANSWERS,
  );

  /** Sends the answer `key` names, made by `make` when it is not kept. */
  async function answer(
    c: Context,
    key: string,
    make: () => Promise<{ body: unknown; type: string; html?: (doc: never) => string; numeric?: Set<string> }>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const { value } = await answers.get({
      key,
      make: async () => {
        const { body, type, html, numeric } = await make();
        const text = html ? html(body as never) : numeric ? geoJsonText(body, numeric) : JSON.stringify(body);
        return represent(text, { contentType: html ? 'text/html; charset=utf-8' : type, compression: FAST });
      },
    });
    return send(c, value, CACHE, headers);
  }

  async function collectionOf(id: string): Promise<CollectionInfo> {
    const { collections } = (await meta.get('all')).value;
    const info = findCollection(collections, id);
    if (!info) throw notFound(`No collection ${id}; /ogc/collections lists them`);
    return info;
  }

  return new Hono()
    .get('/', (c) => {
      const format = formatOf(c);
      return answer(c, `landing|${format}|${baseOf(c)}`, async () => {
        const cat = await catalogue();
        return {
          body: landingPage(baseOf(c), format, cat.city),
          type: JSON_TYPE,
          ...(format === 'html' ? { html: landingHtml } : {}),
        };
      });
    })
    .get('/conformance', (c) => {
      const format = formatOf(c);
      return answer(c, `conformance|${format}`, async () => ({
        body: conformance(),
        type: JSON_TYPE,
        ...(format === 'html' ? { html: conformanceHtml } : {}),
      }));
    })
    .get('/api', (c) => answer(c, `api|${baseOf(c)}`, async () => ({ body: ogcOpenApi(baseOf(c)), type: OPENAPI_30 })))
    .get('/collections', (c) => {
      const format = formatOf(c);
      return answer(c, `collections|${format}|${baseOf(c)}`, async () => {
        const [{ collections, extent }, cat] = [(await meta.get('all')).value, await catalogue()];
        return {
          body: collectionsDocument(baseOf(c), collections, extent, cat.sources, format),
          type: JSON_TYPE,
          ...(format === 'html' ? { html: collectionsHtml } : {}),
        };
      });
    })
    .get('/collections/:collectionId', async (c) => {
      const format = formatOf(c);
      const info = await collectionOf(c.req.param('collectionId'));
      return answer(c, `collection|${info.id}|${format}|${baseOf(c)}`, async () => {
        const [{ extent }, cat] = [(await meta.get('all')).value, await catalogue()];
        return {
          body: collectionDocument(baseOf(c), info, extent, cat.sources, format),
          type: JSON_TYPE,
          ...(format === 'html' ? { html: collectionHtml } : {}),
        };
      });
    })
    .get('/collections/:collectionId/schema', async (c) => {
      const info = await collectionOf(c.req.param('collectionId'));
      return answer(c, `schema|${info.id}|${baseOf(c)}`, async () => ({
        body: schemaDocument(baseOf(c), info),
        type: 'application/schema+json',
      }));
    })
    .get('/collections/:collectionId/queryables', async (c) => {
      const info = await collectionOf(c.req.param('collectionId'));
      return answer(c, `queryables|${info.id}|${baseOf(c)}`, async () => ({
        body: queryablesDocument(baseOf(c), info),
        type: 'application/schema+json',
      }));
    })
    .get('/collections/:collectionId/items', async (c) => {
      const info = await collectionOf(c.req.param('collectionId'));
      // f=gpkg (issue 17): the page as a GeoPackage file, beside GeoJSON and HTML.
      const gpkg = c.req.query('f') === 'gpkg';
      const format = gpkg ? 'json' : formatOf(c);
      const query = c.req.query();
      for (const name of Object.keys(query))
        if (!ITEM_PARAMS.has(name) && !(name in info.queryables))
          throw badRequest(
            name,
            `is no parameter of ${info.id}/items; /ogc/collections/${info.id}/queryables lists the filters`,
          );
      const limit = intParam(c, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
      const offset = intParam(c, 'offset', 0, 0, 1_000_000_000);
      const crs = crsParam(c, 'crs');
      const bboxCrs = crsParam(c, 'bbox-crs');
      if (query['bbox-crs'] !== undefined && query.bbox === undefined)
        throw badRequest('bbox-crs', 'is given without bbox');
      const bbox = query.bbox === undefined ? null : parseBbox(query.bbox, bboxCrs);
      if (bbox && 'error' in bbox) throw badRequest('bbox', bbox.error);
      let datetime: Interval | null = null;
      if (query.datetime !== undefined) {
        if (info.kind !== 'indicator')
          throw badRequest('datetime', `${info.id} has no single date per feature; the indicator collections have`);
        const parsed = parseDatetime(query.datetime);
        if ('error' in parsed) throw badRequest('datetime', parsed.error);
        datetime = parsed.interval;
      }
      const geometry = query.geometry !== 'false';
      if (query.geometry !== undefined && query.geometry !== 'true' && query.geometry !== 'false')
        throw badRequest('geometry', 'must be true or false');
      const filters = Object.fromEntries(Object.entries(query).filter(([k]) => k in info.queryables));
      // The request's own parameters in a fixed order: the key of its answer and of its links.
      const params: Record<string, string> = {};
      if (query.limit !== undefined) params.limit = String(limit);
      if (bbox) params.bbox = query.bbox as string;
      if (query['bbox-crs'] !== undefined) params['bbox-crs'] = bboxCrs.uri;
      if (query.crs !== undefined) params.crs = crs.uri;
      if (query.datetime !== undefined) params.datetime = query.datetime;
      if (!geometry) params.geometry = 'false';
      for (const k of Object.keys(filters).sort()) params[k] = filters[k] as string;
      const key = `items|${info.id}|${gpkg ? 'gpkg' : format}|${baseOf(c)}|${offset}|${JSON.stringify(params)}`;
      // The features the request asks for, and the attribution their sources require (GeoJSON, HTML and GeoPackage).
      const select = async () => {
        const all = (await features.get({ id: info.id, srid: crs.srid })).value;
        const inBox =
          bbox && 'box' in bbox
            ? new Set(
                info.kind === 'offers'
                  ? await readOffersInBox(db, bbox.box, bboxCrs.srid)
                  : await readAreasInBox(db, info.level as string, bbox.box, bboxCrs.srid),
              )
            : null;
        const selected = selectItems(all, { inBox, filters, datetime, offset, limit });
        const cat = await catalogue();
        const sources = info.sources.flatMap((id) => cat.sources.get(id) ?? []);
        return { all, selected, attribution: attributionLines(sources, info.computed, 'en') };
      };
      if (gpkg) {
        const { value } = await answers.get({
          key,
          make: async () => {
            const { all, selected, attribution } = await select();
            const { page } = selected;
            const [wkb, { srs, wgs84 }] = await Promise.all([
              geometry ? wkbs.get({ level: info.level, srid: crs.srid }) : null,
              readGpkgSrs(db, crs.srid),
            ]);
            const numeric = numericProperties(info);
            const rows = page.map((f) => f.properties);
            const layer = gpkgLayer({
              table: info.id,
              identifier: info.title,
              rows,
              ids: page.map((f) => f.id),
              columns: columnsOf(
                Object.keys(all[0]?.properties ?? {}),
                all.map((f) => f.properties),
                numeric,
              ),
              numeric,
              wkb: wkb?.value ?? new Map(),
              geometryType: info.kind === 'offers' ? 'POINT' : 'MULTIPOLYGON',
              srs,
              wgs84,
              attribution,
              about: [info.title, info.description],
              timestamp: new Date().toISOString(),
            });
            return represent(await writeGeoPackage(layer), { contentType: GPKG_TYPE, compression: FAST });
          },
        });
        // No Content-Disposition name: the page's link names the file (a header's name would override it).
        return send(c, value, CACHE, { 'content-crs': `<${crs.uri}>` });
      }
      return answer(
        c,
        key,
        async () => {
          const { selected, attribution } = await select();
          const doc = itemsDocument(
            baseOf(c),
            info,
            selected,
            { params, offset, limit },
            crs,
            geometry,
            format,
            attribution,
          );
          return {
            body: doc,
            type: GEOJSON,
            numeric: numericProperties(info),
            ...(format === 'html' ? { html: (d: typeof doc) => itemsHtml(info.title, d) } : {}),
          };
        },
        { 'content-crs': `<${crs.uri}>` },
      );
    })
    .get('/collections/:collectionId/items/:featureId', async (c) => {
      const info = await collectionOf(c.req.param('collectionId'));
      const featureId = c.req.param('featureId');
      const format = formatOf(c);
      for (const name of Object.keys(c.req.query()))
        if (!['f', 'crs', 'geometry'].includes(name)) throw badRequest(name, 'is no parameter of a single feature');
      const crs = crsParam(c, 'crs');
      const g = c.req.query('geometry');
      if (g !== undefined && g !== 'true' && g !== 'false') throw badRequest('geometry', 'must be true or false');
      const all = (await features.get({ id: info.id, srid: crs.srid })).value;
      const f = all.find((x) => x.id === featureId);
      if (!f) throw notFound(`No feature ${featureId} in ${info.id}`);
      const key = `item|${info.id}|${featureId}|${format}|${baseOf(c)}|${crs.uri}|${g ?? ''}`;
      return answer(
        c,
        key,
        async () => {
          const doc = itemDocument(baseOf(c), info, f, crs, g !== 'false', format);
          return {
            body: doc,
            type: GEOJSON,
            numeric: numericProperties(info),
            ...(format === 'html' ? { html: (d: typeof doc) => itemHtml(info.title, d) } : {}),
          };
        },
        { 'content-crs': `<${crs.uri}>` },
      );
    });
}
