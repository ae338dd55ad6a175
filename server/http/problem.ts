import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';

/** An RFC 9457 problem. `param` names the query parameter (or row, or field) that was wrong. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  param?: string;
  errors?: { param: string; message: string }[];
  /** An upload's validation findings (issue 15): each names row, column and reason. */
  findings?: Finding[];
  /** Extension members (RFC 9457, section 3.2), e.g. how an upload's rows were placed. */
  [extension: string]: unknown;
}

interface Finding {
  row: number | null;
  column: string | null;
  reason: string;
  severity: 'error' | 'warning';
}

/** The one error type of the API: throw it anywhere, `onError` turns it into application/problem+json. */
export class ProblemError extends HTTPException {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.status as never, { message: problem.detail ?? problem.title });
  }
}

export function badRequest(param: string, message: string): ProblemError {
  return new ProblemError({
    title: 'Invalid parameter',
    status: 400,
    detail: `${param}: ${message}`,
    param,
    errors: [{ param, message }],
  });
}

/**
 * 422 for an upload with errors: how many, the first by row and column, and every finding; `more` adds what the
 * page needs besides to offer fixes.
 */
export function uploadRejected(title: string, findings: Finding[], more: Record<string, unknown> = {}): ProblemError {
  const errors = findings.filter((f) => f.severity === 'error');
  const first = errors[0];
  const row = first && first.row !== null ? `row ${first.row}, ` : '';
  const column = first?.column ? `${first.column}: ` : '';
  return new ProblemError({
    ...more,
    title,
    status: 422,
    detail: `${errors.length} error(s); the first: ${row}${column}${first?.reason ?? ''}`,
    param: first?.column ?? 'file',
    findings,
  });
}

export function notFound(detail: string): ProblemError {
  return new ProblemError({ title: 'Not found', status: 404, detail });
}

export function fromZod(error: ZodError): ProblemError {
  const errors = error.issues.map((i) => ({ param: i.path.join('.') || '(query)', message: i.message }));
  const first = errors[0] ?? { param: '(query)', message: 'invalid' };
  return new ProblemError({
    title: 'Invalid parameter',
    status: 400,
    detail: errors.map((e) => `${e.param}: ${e.message}`).join('; '),
    param: first.param,
    errors,
  });
}

export function problemResponse(c: Context, problem: Problem, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(problem), problem.status as never, {
    'content-type': 'application/problem+json',
    ...headers,
  });
}
