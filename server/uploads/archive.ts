import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/**
 * The archive of accepted uploads in UPLOADS_DIR: every original file as it arrived, by its SHA-256, and beside
 * it one JSON record per version (table, kind, version, who, when, metadata, checksum). `npm run rebuild`
 * replays it in order. Files are written to a temporary name and renamed, so a kill leaves none half-written;
 * the original is written before the database transaction, the record after it commits (a kill between leaves
 * an original without a record, which nothing replays).
 */

export interface ArchiveRecord {
  kind: string;
  tableId: string;
  version: number;
  fileName: string;
  sha256: string;
  /** The original's path inside UPLOADS_DIR. */
  file: string;
  meta: unknown;
  /** Form fields besides file and meta that the upload was made with (e.g. the date of a wide table). */
  options: Record<string, string>;
  createdBy: string;
  createdAt: string;
  /** An upload, or a rollback to an earlier version (`rollbackTo`), in the order they happened. */
  action: 'upload' | 'rollback';
  rollbackTo?: number;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const SAFE = /[^A-Za-z0-9._-]/g;

/** Stores the original (once per checksum); returns its path inside `dir` and its checksum. */
export function archiveOriginal(dir: string, fileName: string, bytes: Uint8Array): { file: string; sha256: string } {
  const sum = sha256(bytes);
  const ext = extname(fileName).toLowerCase().replace(SAFE, '').slice(0, 8);
  const file = join('originals', `${sum}${ext}`);
  mkdirSync(join(dir, 'originals'), { recursive: true });
  writeAtomic(join(dir, file), bytes);
  return { file, sha256: sum };
}

/** Writes the record of one accepted action; records are named so that they list in the order they happened. */
export function archiveRecord(dir: string, record: ArchiveRecord): string {
  mkdirSync(join(dir, 'records'), { recursive: true });
  const stamp = record.createdAt.replace(/[^0-9]/g, '').padEnd(20, '0');
  const name = `${stamp}-${record.kind}-${record.tableId.replace(SAFE, '_')}-v${record.version}-${record.action}.json`;
  writeAtomic(join(dir, 'records', name), JSON.stringify(record, null, 2));
  return name;
}

/** Every record, in the order the actions happened. */
export function readArchive(dir: string): ArchiveRecord[] {
  let names: string[];
  try {
    names = readdirSync(join(dir, 'records')).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names
    .sort()
    .map((n) => JSON.parse(readFileSync(join(dir, 'records', n), 'utf8')) as ArchiveRecord)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The original of a record, checked against its checksum. */
export function readOriginal(dir: string, record: ArchiveRecord): Uint8Array {
  const bytes = new Uint8Array(readFileSync(join(dir, record.file)));
  if (sha256(bytes) !== record.sha256)
    throw new Error(`${record.file}: the checksum does not match its record (${record.tableId} v${record.version})`);
  return bytes;
}
