import { ProblemError } from '../http/problem.ts';

/**
 * What a database error means for the client: the database being away (stopped, restarting, unreachable,
 * out of connections) or a query stopped by statement_timeout is a 503 with Retry-After, which a client may
 * retry; anything else stays an internal error. The pool reconnects by itself: every request after the
 * database returns gets a new connection, so nothing here needs to be reset.
 */

/** Seconds a client is asked to wait before trying again while the database is away. */
export const RETRY_AFTER_S = 5;

/** SQLSTATEs of a database that is away or refusing work: class 08, shutdown, start-up, no connections left. */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-4]|53300|53400)/;
/** Query cancelled: statement_timeout (or an operator's pg_cancel_backend). */
const CANCELLED_SQLSTATE = '57014';
/** Socket errors from Node, for a database host that is down, unreachable or resets the connection. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** node-postgres and pg-pool say these in words, without a code. */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|Cannot use a pool after calling end|Client was closed and is not queryable|PGlite is closed)/;

type Reason = 'unavailable' | 'cancelled';

function reason(err: unknown, depth = 0): Reason | null {
  if (!err || typeof err !== 'object' || depth > 4) return null;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (code === CANCELLED_SQLSTATE) return 'cancelled';
  if (UNAVAILABLE_SQLSTATE.test(code) || SOCKET_CODES.has(code)) return 'unavailable';
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return 'unavailable';
  // Node wraps the attempts at several addresses in an AggregateError; pg sometimes keeps the socket error as cause.
  for (const inner of [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = reason(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

/** Whether `err` says the database is away (as opposed to a fault in a query or in the code). */
export function isDatabaseUnavailable(err: unknown): boolean {
  return reason(err) === 'unavailable';
}

/** The 503 problem for a database that is away or a query that took too long; null for any other error. */
export function unavailableProblem(err: unknown): ProblemError | null {
  const why = reason(err);
  if (!why) return null;
  return new ProblemError(
    why === 'cancelled'
      ? {
          title: 'Query took too long',
          status: 503,
          detail: 'The database stopped the query at its time limit. Try again later or ask for less.',
        }
      : {
          title: 'Database unavailable',
          status: 503,
          detail: 'The database does not answer at the moment. Try again shortly.',
        },
    { 'retry-after': String(RETRY_AFTER_S), 'cache-control': 'no-store' },
  );
}

let lastLogged = Number.NEGATIVE_INFINITY;
let suppressed = 0;

/** Logs that the database is away, at most once per 10 s however many requests find it so. */
export function logUnavailable(err: unknown): void {
  const now = performance.now();
  if (now - lastLogged < 10_000) {
    suppressed++;
    return;
  }
  const more = suppressed ? ` (and ${suppressed} more since the last report)` : '';
  console.error(`[db] unavailable: ${(err as Error)?.message ?? String(err)}${more}`);
  lastLogged = now;
  suppressed = 0;
}
