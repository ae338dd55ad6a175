/** The API's tokens (app.token): only a SHA-256 of each is stored; the token itself is shown once, at creation. */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../index.ts';

export const ROLES = ['editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  name: string;
  role: Role;
}

/** The stored form of a token. Tokens are 256 random bits, so a plain SHA-256 cannot be reversed by guessing. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new token: `qa_` and 43 characters of base64url. */
export function newToken(): string {
  return `qa_${randomBytes(32).toString('base64url')}`;
}

export const TOKEN_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Creates a token; its text is returned once and never stored. Throws when the name is taken (even revoked). */
export async function createToken(db: Queryable, name: string, role: Role): Promise<string> {
  if (!TOKEN_NAME.test(name)) throw new Error(`token name "${name}": letters, digits, . _ - only, at most 64`);
  if (!ROLES.includes(role)) throw new Error(`role "${role}": must be one of ${ROLES.join(', ')}`);
  const [taken] = await db.query('SELECT 1 FROM app.token WHERE name = $1', [name]);
  if (taken) throw new Error(`a token named "${name}" exists already (revoked tokens keep their name)`);
  const token = newToken();
  await db.query('INSERT INTO app.token (name, role, hash) VALUES ($1, $2, $3)', [name, role, hashToken(token)]);
  await db.query("INSERT INTO app.audit_log (actor, action, detail) VALUES ('command line', 'token-create', $1)", [
    JSON.stringify({ name, role }),
  ]);
  return token;
}

/** Revokes a token by name; false when there is no such active token. */
export async function revokeToken(db: Queryable, name: string): Promise<boolean> {
  const rows = await db.query(
    'UPDATE app.token SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING name',
    [name],
  );
  if (rows.length === 0) return false;
  await db.query("INSERT INTO app.audit_log (actor, action, detail) VALUES ('command line', 'token-revoke', $1)", [
    JSON.stringify({ name }),
  ]);
  return true;
}

/** The holder of a token, or null when it is unknown or revoked. */
export async function findToken(db: Queryable, token: string): Promise<Principal | null> {
  const [row] = await db.query<Principal>('SELECT name, role FROM app.token WHERE hash = $1 AND revoked_at IS NULL', [
    hashToken(token),
  ]);
  return row ?? null;
}
