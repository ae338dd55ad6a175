/**
 * The OpenAPI 3.0 definition of the OGC API – Features service (conformance class oas30), served at /ogc/api.
 * GDAL's OAPIF driver reads the largest `limit` from it.
 */

import { DEFAULT_LIMIT, MAX_LIMIT } from './ogc.ts';
import { SUPPORTED_CRS } from './ogc-crs.ts';

const ref = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const problem = { description: 'A parameter is wrong: application/problem+json names it in `param`' };
const ok = (description: string, types: string[]) => ({
  description,
  content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'object' } }])),
});

export function ogcOpenApi(base: string) {
  const crsUris = SUPPORTED_CRS.map((c) => c.uri);
  return {
    openapi: '3.0.3',
    info: {
      title: 'Quartiersatlas OGC API – Features',
      version: '1.0.0',
      description: 'Areas, indicators and offers of the city atlas as OGC API – Features, Part 1 and Part 2.',
    },
    servers: [{ url: base }],
    paths: {
      '/ogc': {
        get: {
          operationId: 'getLandingPage',
          parameters: [ref('f')],
          responses: { 200: ok('Landing page', ['application/json', 'text/html']) },
        },
      },
      '/ogc/conformance': {
        get: {
          operationId: 'getConformance',
          parameters: [ref('f')],
          responses: { 200: ok('Conformance classes', ['application/json', 'text/html']) },
        },
      },
      '/ogc/api': {
        get: {
          operationId: 'getApi',
          responses: { 200: ok('This document', ['application/vnd.oai.openapi+json;version=3.0']) },
        },
      },
      '/ogc/collections': {
        get: {
          operationId: 'getCollections',
          parameters: [ref('f')],
          responses: { 200: ok('The collections', ['application/json', 'text/html']) },
        },
      },
      '/ogc/collections/{collectionId}': {
        get: {
          operationId: 'describeCollection',
          parameters: [ref('collectionId'), ref('f')],
          responses: { 200: ok('The collection', ['application/json', 'text/html']), 404: problem },
        },
      },
      '/ogc/collections/{collectionId}/schema': {
        get: {
          operationId: 'getSchema',
          parameters: [ref('collectionId')],
          responses: {
            200: ok('Every property with its type, as JSON Schema', ['application/schema+json']),
            404: problem,
          },
        },
      },
      '/ogc/collections/{collectionId}/queryables': {
        get: {
          operationId: 'getQueryables',
          parameters: [ref('collectionId')],
          responses: { 200: ok('The queryables as JSON Schema', ['application/schema+json']), 404: problem },
        },
      },
      '/ogc/collections/{collectionId}/items': {
        get: {
          operationId: 'getFeatures',
          description:
            'Further parameters: the collection’s queryables (/queryables), each the value a property must equal.',
          parameters: [
            ref('collectionId'),
            ref('limit'),
            ref('offset'),
            ref('bbox'),
            ref('bbox-crs'),
            ref('crs'),
            ref('datetime'),
            ref('geometry'),
            ref('fItems'),
          ],
          responses: {
            200: {
              ...ok('A page of features', ['application/geo+json', 'text/html', 'application/geopackage+sqlite3']),
              headers: { 'Content-Crs': { schema: { type: 'string' } } },
            },
            400: problem,
            404: problem,
          },
        },
      },
      '/ogc/collections/{collectionId}/items/{featureId}': {
        get: {
          operationId: 'getFeature',
          parameters: [ref('collectionId'), ref('featureId'), ref('crs'), ref('geometry'), ref('f')],
          responses: {
            200: {
              ...ok('One feature', ['application/geo+json', 'text/html']),
              headers: { 'Content-Crs': { schema: { type: 'string' } } },
            },
            400: problem,
            404: problem,
          },
        },
      },
    },
    components: {
      parameters: {
        collectionId: { name: 'collectionId', in: 'path', required: true, schema: { type: 'string' } },
        featureId: { name: 'featureId', in: 'path', required: true, schema: { type: 'string' } },
        f: { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'html'] } },
        fItems: {
          name: 'f',
          in: 'query',
          required: false,
          description:
            'gpkg (issue 17): the page as a GeoPackage file, its attribution in gpkg_contents and the metadata extension',
          schema: { type: 'string', enum: ['json', 'html', 'gpkg'] },
        },
        limit: {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
          style: 'form',
          explode: false,
        },
        offset: { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
        bbox: {
          name: 'bbox',
          in: 'query',
          required: false,
          schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
          style: 'form',
          explode: false,
        },
        'bbox-crs': {
          name: 'bbox-crs',
          in: 'query',
          required: false,
          schema: { type: 'string', format: 'uri', enum: crsUris },
        },
        crs: { name: 'crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: crsUris } },
        datetime: { name: 'datetime', in: 'query', required: false, schema: { type: 'string' } },
        geometry: {
          name: 'geometry',
          in: 'query',
          required: false,
          description: 'false: the features without geometry',
          schema: { type: 'boolean', default: true },
        },
      },
    },
  };
}
