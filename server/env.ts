import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** The only reader of process.env. Every setting is validated once, at start. */
const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('.data'),
  GEODATA_DIR: z.string().optional(),
  GEODATA_MANIFEST: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(0).default(262_144), // 256 KiB
  MIN_COUNT: z.coerce.number().int().min(1).default(5),
  CORS_ORIGINS: z
    .string()
    .default('')
    .refine((v) => v.split(/[\s,]+/).every((o) => !o || /^https?:\/\/[^/\s*]+\/?$/.test(o)), {
      message: 'must list origins such as https://atlas.example, comma separated (no paths, no *)',
    }),
  ROUTE_URL_TEMPLATE: z.string().default(''),
  // Issue 17: the sites that may show /embed in a frame (Content-Security-Policy frame-ancestors); none by default.
  EMBED_ORIGINS: z
    .string()
    .default('')
    .refine((v) => v.split(/[\s,]+/).every((o) => !o || /^https?:\/\/[^/\s*]+\/?$/.test(o)), {
      message: 'must list origins such as https://www.city.example, comma separated (no paths, no *)',
    }),
  // Issue 19: the feedback contact of the accessibility statement (an e-mail address or an http(s) address).
  ACCESSIBILITY_CONTACT: z
    .string()
    .trim()
    .default('')
    .refine((v) => !v || /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(v) || /^https?:\/\/[^\s<>]+$/i.test(v), {
      message: 'must be an e-mail address (barrierefreiheit@stadt.example) or an http(s) address of a contact form',
    }),
  // Issue 15: uploaded tables.
  UPLOADS_DIR: z.string().optional(),
  UPLOAD_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024), // 10 MiB
  UPLOAD_MAX_ROWS: z.coerce.number().int().min(1).default(100_000),
});

export type Env = z.infer<typeof schema> & { GEODATA_DIR: string; UPLOADS_DIR: string };

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable (`DATABASE_URL= npm start`) means the same as an unset one.
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const shared = resolve('../shared/geodata');
  return {
    ...parsed.data,
    GEODATA_DIR: parsed.data.GEODATA_DIR ?? (existsSync(shared) ? shared : 'geodata/package'),
    UPLOADS_DIR: parsed.data.UPLOADS_DIR ?? join(parsed.data.DATA_DIR, 'uploads'),
  };
}
