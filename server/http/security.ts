import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { timeout } from 'hono/timeout';
import type { Env } from '../env.ts';
import { ProblemError } from './problem.ts';

/**
 * The middleware every response passes through (mounted first in app.ts): security headers, CORS (closed
 * unless CORS_ORIGINS names origins), a cap on request bodies and a time limit per request. Their promises
 * and the tests that check them are listed in SECURITY.md.
 */

/**
 * One policy for every response. The web app is served from the same origin: scripts and workers only from
 * it (MapLibre's worker is a same-origin file; `blob:` stays allowed for workers MapLibre or deck.gl create),
 * inline styles because MapLibre, deck.gl and React set element styles, images also as data: and blob: URLs
 * (MapLibre's sprites and canvases). No frame may embed the app, except /embed in the sites EMBED_ORIGINS names.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  childSrc: ["'self'", 'blob:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The Content-Security-Policy header as sent. */
export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
  .join('; ');

/** The origins CORS_ORIGINS allows: comma or space separated, `https://atlas.example` form, no paths. */
export function corsOrigins(env: Pick<Env, 'CORS_ORIGINS'>): string[] {
  return env.CORS_ORIGINS.split(/[\s,]+/)
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

/** The origins EMBED_ORIGINS allows to frame /embed, in the same form as CORS_ORIGINS. */
export function embedOrigins(env: Pick<Env, 'EMBED_ORIGINS'>): string[] {
  return env.EMBED_ORIGINS.split(/[\s,]+/)
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

/** The embeddable map (issue 17): the one page other sites may frame, and only those EMBED_ORIGINS names. */
export const EMBED_PATH = /^\/embed\/?$/;

/**
 * The security headers of /embed: the same as every answer's, but with `frame-ancestors` listing the origins
 * EMBED_ORIGINS names and without `X-Frame-Options` (which cannot name origins; browsers obey frame-ancestors).
 * Without origins /embed is as unframeable as the rest.
 */
export function embedHeaderList(list: [string, string][], origins: string[]): [string, string][] {
  if (origins.length === 0) return list;
  return list
    .filter(([name]) => name !== 'x-frame-options')
    .map(([name, value]) =>
      name === 'content-security-policy'
        ? [name, value.replace("frame-ancestors 'none'", `frame-ancestors ${origins.join(' ')}`)]
        : [name, value],
    );
}

/** The options of Hono's secureHeaders for this app. */
function secureOptions(crossOrigin: boolean): Parameters<typeof secureHeaders>[0] {
  return {
    contentSecurityPolicy: CSP_DIRECTIVES,
    // Cross-origin reads are for the origins CORS_ORIGINS allows; without any, same-origin only.
    crossOriginResourcePolicy: crossOrigin ? 'cross-origin' : 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    // Sent by the TLS terminator in front of the server, which knows the host name and its sub-domains.
    strictTransportSecurity: false,
    permissionsPolicy: {
      geolocation: ['self'],
      camera: [],
      microphone: [],
      payment: [],
      usb: [],
    },
  };
}

/** The headers Hono's secureHeaders sets with these options, read once by running it on an empty answer. */
async function secureHeaderList(crossOrigin: boolean): Promise<[string, string][]> {
  const probe = new Hono().use(secureHeaders(secureOptions(crossOrigin))).get('/', (c) => c.body(null, 204));
  const res = await probe.request('/');
  return [...res.headers.entries()];
}

const SECURE_HEADERS = { same: await secureHeaderList(false), cross: await secureHeaderList(true) };

declare module 'hono' {
  interface ContextVariableMap {
    /** The security headers of every answer, for handlers that build their header record themselves (`send`). */
    securityHeaders: Readonly<Record<string, string>>;
  }
}

/** The security headers as a record, for answers made in front of the app (http/representation.ts). */
export function securityHeaderRecord(env: Pick<Env, 'CORS_ORIGINS'>): Readonly<Record<string, string>> {
  return Object.freeze(Object.fromEntries(corsOrigins(env).length > 0 ? SECURE_HEADERS.cross : SECURE_HEADERS.same));
}

/** Answers that carry the security headers already (made with `withSecurityHeaders`). */
const secured = new WeakSet<Response>();

/**
 * A response whose header record holds the security headers from the start: the middleware leaves it alone.
 * Setting headers on an answer after it is made turns @hono/node-server's lightweight response into a full one
 * (a Headers object, then the slow path when it is written), which costs more CPU than the rest of an answer
 * served from memory.
 */
export function withSecurityHeaders(res: Response): Response {
  secured.add(res);
  return res;
}

/** Security headers on every answer, errors and 304s included: set after the handler unless it included them. */
function headers(crossOrigin: boolean, embed: string[]): MiddlewareHandler {
  const list = crossOrigin ? SECURE_HEADERS.cross : SECURE_HEADERS.same;
  const record = Object.freeze(Object.fromEntries(list));
  const embedList = embedHeaderList(list, embed);
  const embedRecord = Object.freeze(Object.fromEntries(embedList));
  return async (c, next) => {
    const framed = EMBED_PATH.test(c.req.path);
    c.set('securityHeaders', framed ? embedRecord : record);
    await next();
    if (secured.has(c.res)) return;
    for (const [name, value] of framed ? embedList : list) c.res.headers.set(name, value);
  };
}

/**
 * CORS for the origins CORS_ORIGINS names, read-only (GET, HEAD), without credentials. A request from any
 * other origin gets no CORS header at all, so browsers keep other sites from reading the answers; a
 * preflight from such an origin gets 403.
 */
function cors(allowed: string[]): MiddlewareHandler {
  const set = new Set(allowed);
  return async (c, next) => {
    const origin = c.req.header('origin');
    const ok = origin !== undefined && set.has(origin);
    if (c.req.method === 'OPTIONS' && origin !== undefined && c.req.header('access-control-request-method')) {
      if (!ok) throw new ProblemError({ title: 'Forbidden', status: 403, detail: 'This origin may not call the API.' });
      return c.body(null, 204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, HEAD',
        'access-control-allow-headers': 'If-None-Match, Accept-Language, Content-Type',
        'access-control-max-age': '600',
        vary: 'Origin',
      });
    }
    await next();
    if (set.size === 0) return;
    c.res.headers.append('vary', 'Origin');
    if (ok) {
      c.res.headers.set('access-control-allow-origin', origin);
      c.res.headers.set('access-control-expose-headers', 'ETag, Retry-After');
    }
  };
}

/**
 * Request bodies larger than `maxBytes` are refused with 413 before anything reads them. GET and HEAD pass
 * unchecked: no route reads their body, and asking for it (`c.req.raw.body`) makes @hono/node-server build a
 * full Request per call, a third of the CPU time of an answer served from memory (BENCHMARKS.md).
 */
/**
 * Routes that take uploaded files: the global cap does not apply to them; they read their body with their own,
 * larger cap (UPLOAD_LIMIT_BYTES, server/uploads/multipart.ts). Offer lists (issue 21) add their prefix here.
 */
export const UPLOAD_PREFIXES = ['/api/tables', '/api/offer-lists'];

function limitBody(maxBytes: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ProblemError({
        title: 'Payload too large',
        status: 413,
        detail: `A request body may have at most ${maxBytes} bytes.`,
        param: '(body)',
      });
    },
  });
  return (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' || UPLOAD_PREFIXES.some((p) => c.req.path.startsWith(p))
      ? next()
      : limit(c, next);
}

/**
 * A request that has no answer after `ms` gets a 503 problem (the work it started is not waited for).
 *
 * Issue 21: an offer list's upload and rollback derive the computed indicators again in their transaction, which
 * takes seconds on a city's data (README): they need an editor's token and are not cut off by the time limit.
 */
const UNTIMED_POST = /^\/api\/offer-lists(\/[^/]+\/rollback)?$/;

function limitTime(ms: number): MiddlewareHandler {
  const limited = timed(ms);
  return (c, next) => (c.req.method === 'POST' && UNTIMED_POST.test(c.req.path) ? next() : limited(c, next));
}

function timed(ms: number): MiddlewareHandler {
  return timeout(
    ms,
    () =>
      new ProblemError(
        { title: 'Request timed out', status: 503, detail: `The server found no answer within ${ms} ms.` },
        { 'retry-after': '5', 'cache-control': 'no-store' },
      ),
  );
}

/** The security middleware in the order app.ts mounts it: `app.use('*', ...security(env))`. */
export function security(
  env: Pick<Env, 'CORS_ORIGINS' | 'BODY_LIMIT_BYTES' | 'REQUEST_TIMEOUT_MS' | 'EMBED_ORIGINS'>,
): MiddlewareHandler[] {
  const origins = corsOrigins(env);
  return [
    headers(origins.length > 0, embedOrigins(env)),
    cors(origins),
    limitBody(env.BODY_LIMIT_BYTES),
    limitTime(env.REQUEST_TIMEOUT_MS),
  ];
}
