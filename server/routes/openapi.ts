import { Hono } from 'hono';
import { z } from 'zod';
import { type Representation, represent, send, THOROUGH } from '../http/representation.ts';
import { documentedRoutes, documentRoute, type RouteDoc } from '../http/validate.ts';

/**
 * /api/openapi.json: an OpenAPI 3.1 document generated from the registry of documented routes
 * (http/validate.ts), with parameter and response schemas converted from the very zod schemas that
 * validate the requests (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses it).
 */

type JsonSchema = Record<string, unknown>;

documentRoute({
  method: 'get',
  path: '/api/openapi.json',
  tag: 'meta',
  summary: 'This OpenAPI 3.1 document',
  response: { description: 'The OpenAPI document' },
});

const PROBLEM: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    param: { type: 'string', description: 'The parameter that was wrong' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { param: { type: 'string' }, message: { type: 'string' } },
        required: ['param', 'message'],
      },
    },
  },
  required: ['title', 'status'],
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(schema: RouteDoc['query'], where: 'query' | 'path') {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** /api/areas/:level/:code → /api/areas/{level}/{code} */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function operationId(route: RouteDoc): string {
  const words = route.path
    .replace(/^\/api\//, '')
    .split(/[/.]/)
    .filter(Boolean)
    .map((w) => (w.startsWith(':') ? `by-${w.slice(1)}` : w));
  return [route.method, ...words]
    .join('-')
    .split(/[-_]/)
    .map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

function operation(route: RouteDoc) {
  const ok = route.response;
  const responses: Record<string, unknown> = {
    [String(route.status ?? 200)]: {
      description: ok.description,
      ...(ok.cached
        ? {
            headers: {
              ETag: { schema: { type: 'string' }, description: 'Data version and content hash' },
              'Cache-Control': { schema: { type: 'string' } },
            },
          }
        : {}),
      content: { [ok.contentType ?? 'application/json']: { schema: ok.schema ? jsonSchema(ok.schema, 'output') : {} } },
    },
  };
  if (ok.cached) responses['304'] = { description: 'Not modified: If-None-Match named the current ETag' };
  if (route.query || route.params) responses['400'] = problem('A parameter is missing or wrong; `param` names it');
  if (route.role) {
    responses['401'] = problem('No token, or an unknown or revoked one (Authorization: Bearer <token>)');
    responses['403'] = problem(`The token's role is lower than ${route.role}`);
  }
  for (const e of route.errors ?? []) responses[String(e.status)] = problem(e.description);
  responses['500'] = problem('The server could not answer');
  return {
    operationId: operationId(route),
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    ...(route.requestBody
      ? {
          requestBody: {
            required: true,
            description: route.requestBody.description,
            content: { [route.requestBody.contentType]: { schema: route.requestBody.schema } },
          },
        }
      : {}),
    ...(route.role ? { security: [{ bearer: [] }] } : {}),
    responses,
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  const routes = documentedRoutes().sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Quartiersatlas API',
      version: '1',
      description:
        'Where social needs and social services overlap: areas, offers, search and sources of the city atlas. ' +
        'Errors are application/problem+json (RFC 9457); a wrong parameter is named in `param`. ' +
        'The OGC API – Features service under /ogc (collections, items, CRS) is described by its own OpenAPI 3.0 ' +
        'definition at /ogc/api.',
    },
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Problem: PROBLEM },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from npm run token (roles editor, admin)' },
      },
    },
  };
}

export function openApiRoutes() {
  let document: Promise<Representation> | null = null;
  return new Hono().get('/', async (c) => {
    // Every route module has registered itself by the first request; the document does not change after.
    document ??= represent(JSON.stringify(openApiDocument()), {
      contentType: 'application/json',
      compression: THOROUGH,
    }).catch((err: unknown) => {
      document = null;
      throw err;
    });
    return send(c, await document, 'public, max-age=300');
  });
}
