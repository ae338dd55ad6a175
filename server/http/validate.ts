import type { Env, MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import { fromZod, type ProblemError } from './problem.ts';

/**
 * Validation of query strings and path parameters with zod, and the registry of documented routes that
 * /api/openapi.json is generated from: a route's schemas are written once, next to its handler, and serve
 * both. A wrong parameter gives a 400 application/problem+json whose `param` names it.
 */

/**
 * Turns zod's issues into the API's one error: an unknown query parameter is named like a wrong one, and a
 * parameter that is missing from `input` (when given) is said to be required.
 */
export function invalid(error: z.ZodError, input?: unknown): ProblemError {
  const given = (key: PropertyKey | undefined) =>
    key === undefined ||
    typeof input !== 'object' ||
    input === null ||
    (input as Record<PropertyKey, unknown>)[key] !== undefined;
  const issues = error.issues.flatMap((issue): z.core.$ZodIssue[] => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        ...issue,
        path: [...issue.path, key],
        message: 'is not a parameter of this route',
      }));
    if (issue.path.length === 1 && !given(issue.path[0])) return [{ ...issue, message: 'is required' }];
    return [issue];
  });
  return fromZod(new z.ZodError(issues));
}

/** The typed value, or a thrown 400 problem naming the parameter. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error, value);
  return result.data;
}

type QueryObject = z.ZodObject<Record<string, z.ZodType>>;
type StringInput<S extends QueryObject> = { [K in keyof z.input<S>]?: string };

/** Middleware: `c.req.valid('query')` is the parsed query. A repeated parameter arrives as an array and fails. */
export function validateQuery<S extends QueryObject>(
  schema: S,
): MiddlewareHandler<Env, string, { in: { query: StringInput<S> }; out: { query: z.output<S> } }> {
  return validator('query', (value) => parseOrThrow(schema, value)) as never;
}

/** Middleware: `c.req.valid('param')` is the parsed path parameters. */
export function validateParams<S extends QueryObject>(
  schema: S,
): MiddlewareHandler<Env, string, { in: { param: Record<keyof z.input<S>, string> }; out: { param: z.output<S> } }> {
  return validator('param', (value) => parseOrThrow(schema, value)) as never;
}

// --- Building blocks for query parameters -------------------------------------------------------------

const NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * A number given as text: "12.5" becomes 12.5; anything else stays a string, so `schema` rejects it as
 * "expected number". Bounds and a default belong on `schema` (`z.number().max(50).default(5)`), where the
 * OpenAPI document shows them.
 */
export function queryNumber<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (typeof v === 'string' && NUMBER.test(v) ? Number(v) : v), schema);
}

/** A comma separated list of values from `values`, parsed into an array without repeats. */
export function queryList<const T extends readonly [string, ...string[]]>(values: T, description: string) {
  const one = z.enum(values);
  return z
    .string()
    .max(2000)
    .regex(/^[^,]+(,[^,]+)*$/, 'must be a comma separated list without empty items')
    .describe(`${description} Comma separated, any of: ${values.join(', ')}.`)
    .transform((text, ctx) => {
      const out: T[number][] = [];
      for (const item of text.split(',')) {
        const parsed = one.safeParse(item.trim());
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', message: `unknown value "${item.trim().slice(0, 40)}"` });
          return z.NEVER;
        }
        if (!out.includes(parsed.data)) out.push(parsed.data);
      }
      return out;
    });
}

// --- Shared response schemas (GeoJSON) ------------------------------------------------------------------

/** [longitude, latitude] in WGS84, 5 decimals (about 1 m). */
export const Position = z.tuple([z.number(), z.number()]).describe('[longitude, latitude], WGS84');

export const PointGeometry = z.strictObject({ type: z.literal('Point'), coordinates: Position });

export const MultiPolygonGeometry = z.strictObject({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(z.array(Position))),
});

export function feature<P extends z.ZodType, G extends z.ZodType>(properties: P, geometry: G) {
  return z.strictObject({ type: z.literal('Feature'), id: z.string(), properties, geometry });
}

export function featureCollection<F extends z.ZodType, M extends z.ZodType>(feat: F, meta: M) {
  return z.strictObject({ type: z.literal('FeatureCollection'), features: z.array(feat), meta });
}

/** A code and name of an area, as it appears in other answers. */
export const AreaRef = z.strictObject({ code: z.string(), name: z.string() });

// --- The registry the OpenAPI document is made from -----------------------------------------------------

export interface RouteDoc {
  method: 'get' | 'post';
  /** A request body (issue 15's uploads): its media type and a JSON schema of its fields. */
  requestBody?: { contentType: string; description: string; schema: Record<string, unknown> };
  /** The route needs a token of this role (Authorization: Bearer): 401 without, 403 with a lower role. */
  role?: 'editor' | 'admin';
  /** The answer's status when it is not 200 (201 Created). */
  status?: number;
  /** The full path as Hono writes it: /api/areas/:level/:code */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  query?: QueryObject;
  params?: QueryObject;
  response: {
    description: string;
    /** application/json unless told. */
    contentType?: string;
    schema?: z.ZodType;
    /** Built once per data version: ETag, If-None-Match → 304. */
    cached?: boolean;
  };
  /** Error statuses besides 400 (wrong parameter) and 500. */
  errors?: { status: number; description: string }[];
  /**
   * A request (path and query) that answers 200 with the real data package: tests/api/openapi.test.ts calls it
   * and checks the body against `response.schema`.
   */
  example?: string;
}

const routes = new Map<string, RouteDoc>();

/** Registers a route's documentation (again on re-import: the key is method and path). */
export function documentRoute<D extends RouteDoc>(doc: D): D {
  routes.set(`${doc.method} ${doc.path}`, doc);
  return doc;
}

export function documentedRoutes(): RouteDoc[] {
  return [...routes.values()];
}
