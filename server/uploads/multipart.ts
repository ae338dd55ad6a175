import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { badRequest, ProblemError } from '../http/problem.ts';

/**
 * Reading an upload: a multipart/form-data body with one file (`file`) and text fields, capped at `maxBytes`
 * (UPLOAD_LIMIT_BYTES) before anything parses it. Shared by every upload route (tables; offer lists, issue 21).
 * The routes' prefixes are listed in http/security.ts (UPLOAD_PREFIXES), which leaves them to this cap.
 */

export interface UploadedFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** Middleware: a body over `maxBytes` is refused with 413 problem+json, whether it says its length or not. */
export function uploadLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ProblemError({
        title: 'Payload too large',
        status: 413,
        detail: `An upload may have at most ${maxBytes} bytes (UPLOAD_LIMIT_BYTES).`,
        param: 'file',
      });
    },
  });
}

/**
 * The file, the metadata (the field `meta`, parsed as JSON) and the other text fields of a multipart body; 400
 * naming `file` or `meta` when one is missing or `meta` is not JSON.
 */
export async function readMultipart(
  c: Context,
): Promise<{ file: UploadedFile; meta: unknown; fields: Record<string, string> }> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('multipart/form-data'))
    throw new ProblemError({
      title: 'Unsupported media type',
      status: 415,
      detail: 'An upload is sent as multipart/form-data with the fields file and meta',
      param: '(body)',
    });
  let body: Record<string, string | File | (string | File)[]>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch (err) {
    if (err instanceof ProblemError) throw err;
    throw badRequest('(body)', 'is not a readable multipart/form-data body');
  }
  const file = body.file;
  if (!(file instanceof File)) throw badRequest('file', 'one file is required (the table, CSV or XLSX)');
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === 'file') continue;
    if (typeof value !== 'string') throw badRequest(name, 'must be a single text field');
    fields[name] = value;
  }
  const { meta: metaText, ...rest } = fields;
  if (metaText === undefined) throw badRequest('meta', 'the metadata JSON is required');
  let meta: unknown;
  try {
    meta = JSON.parse(metaText);
  } catch {
    throw badRequest('meta', 'is not JSON');
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { file: { name: file.name, type: file.type, bytes }, meta, fields: rest };
}
