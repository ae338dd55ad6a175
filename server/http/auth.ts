import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/index.ts';
import { findToken, type Principal, type Role } from '../db/queries/tokens.ts';
import { ProblemError } from './problem.ts';

/**
 * Who is asking: `authenticate` reads `Authorization: Bearer <token>` (tokens from `npm run token`) and sets
 * `principal`; `requireRole` guards a write. Without a token a write answers 401, with a role too low 403, both
 * application/problem+json. An answer to a request with credentials is never kept in nor served from the memory
 * of answers (http/representation.ts), and is sent `private, no-store`.
 */

declare module 'hono' {
  interface ContextVariableMap {
    /** The token's holder, null for an anonymous request. */
    principal: Principal | null;
  }
}

const RANK: Record<Role, number> = { editor: 1, admin: 2 };

/** True when the request carries credentials of any kind (checked before the memory of answers is used). */
export function hasCredentials(headers: { get(name: string): string | null | undefined }): boolean {
  return Boolean(headers.get('authorization'));
}

function unauthorized(detail: string): ProblemError {
  return new ProblemError(
    { title: 'Unauthorized', status: 401, detail, param: 'Authorization' },
    { 'www-authenticate': 'Bearer realm="quartiersatlas"', 'cache-control': 'no-store' },
  );
}

/** Sets `principal` from the Authorization header; an unknown, revoked or malformed token is a 401. */
export function authenticate(db: Db): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) {
      c.set('principal', null);
      return next();
    }
    const match = /^Bearer\s+(qa_[A-Za-z0-9_-]{43})\s*$/.exec(header);
    if (!match?.[1]) throw unauthorized('Authorization must be "Bearer <token>", a token from npm run token');
    const principal = await findToken(db, match[1]);
    if (!principal) throw unauthorized('This token is unknown or revoked');
    c.set('principal', principal);
    await next();
    c.header('cache-control', 'private, no-store');
  };
}

/** Lets the request through only with a token of `role` or higher: 401 without a token, 403 with a lower role. */
export function requireRole(role: Role): MiddlewareHandler {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw unauthorized(`This action needs a token with the role ${role}`);
    if (RANK[principal.role] < RANK[role])
      throw new ProblemError({
        title: 'Forbidden',
        status: 403,
        detail: `This action needs the role ${role}; the token "${principal.name}" has the role ${principal.role}`,
      });
    return next();
  };
}

/** Whether the request may see internal indicators: any valid token. */
export function seesInternal(principal: Principal | null | undefined): boolean {
  return Boolean(principal);
}
