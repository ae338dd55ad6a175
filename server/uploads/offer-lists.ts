import { CATEGORIES } from '../../geodata/categories.ts';
import { rederiveOffers } from '../../geodata/derive.ts';
import { invalidateDataVersion } from '../db/data-version.ts';
import type { Db } from '../db/index.ts';
import { geocodeAll } from '../db/queries/geocode.ts';
import {
  type AppliedList,
  applyOfferLists,
  OFFER_LIST_KIND,
  type OfferListContent,
  type PlacedRow,
} from '../db/queries/offer-lists.ts';
import { readCityClock } from '../db/queries/offers.ts';
import type { Candidate, MatchKind } from '../domain/geocode.ts';
import { type ListFinding, offerListMeta, readOfferList } from '../domain/offer-list.ts';
import { dateOf, wallClockAt } from '../domain/opening-hours.ts';
import { archiveOriginal, archiveRecord } from './archive.ts';
import { readTableFile } from './table-file.ts';
import { rollbackTo, storeVersion } from './versions.ts';

/**
 * An offer list's way in (issue 21), on the machinery of the indicator tables (issue 15): read the file, check
 * rows and metadata (domain/offer-list.ts), geocode every row against the address register (db/queries/geocode.ts)
 * and report how each matched; unless it is a dry run or has errors, keep the original in the archive, store the
 * list as the next version of its table (kind offer-list), make it current and write the current lists into atlas
 * (db/queries/offer-lists.ts) and derive the computed indicators again with them (geodata/derive.ts), all in one
 * transaction.
 */

export interface OfferListInput {
  fileName: string;
  bytes: Uint8Array;
  /** The metadata JSON as sent (parsed). */
  meta: unknown;
  actor: string;
}

export interface OfferListSettings {
  uploadsDir: string;
  maxRows: number;
}

/** How one row was placed. */
export interface RowReport {
  row: number;
  name: string;
  match: MatchKind;
  address: string | null;
  point: [number, number] | null;
  note: string | null;
  candidates: Candidate[];
}

export interface OfferListReport {
  ok: boolean;
  list: string | null;
  findings: ListFinding[];
  rows: RowReport[];
  summary: { rows: number; placed: number; byMatch: Partial<Record<MatchKind, number>> };
}

const Meta = offerListMeta(CATEGORIES.map((c) => c.code));

export async function checkOfferList(
  db: Db,
  input: OfferListInput,
  s: OfferListSettings,
): Promise<{ report: OfferListReport; content: OfferListContent | null }> {
  const findings: ListFinding[] = [];
  const empty = (): OfferListReport => ({
    ok: false,
    list: null,
    findings,
    rows: [],
    summary: { rows: 0, placed: 0, byMatch: {} },
  });
  const meta = Meta.safeParse(input.meta);
  if (!meta.success) {
    for (const i of meta.error.issues)
      findings.push({ row: null, column: `meta.${i.path.join('.')}`, reason: i.message, severity: 'error' });
    return { report: empty(), content: null };
  }
  const clock = await readCityClock(db);
  if (!clock) {
    findings.push({
      row: null,
      column: null,
      reason: 'the data package names no time zone for its city (manifest city.timeZone): hours cannot be read',
      severity: 'error',
    });
    return { report: empty(), content: null };
  }
  const sheet = await readTableFile(input.fileName, input.bytes, s.maxRows);
  findings.push(...sheet.findings);
  const today = dateOf(wallClockAt(new Date(), clock.timeZone));
  const read = readOfferList(sheet.header, sheet.rows, meta.data, clock, today);
  findings.push(...read.findings);
  const placed = await geocodeAll(
    db,
    read.rows.map((r) => ({ street: r.street, houseNumber: r.houseNumber, lon: r.lon, lat: r.lat })),
  );
  const rows: RowReport[] = [];
  const content: PlacedRow[] = [];
  const byMatch: Partial<Record<MatchKind, number>> = {};
  read.rows.forEach((r, i) => {
    const g = placed[i];
    if (!g) return;
    byMatch[g.match] = (byMatch[g.match] ?? 0) + 1;
    rows.push({ row: r.row, name: r.name, ...g });
    const near = g.candidates.map((c) => c.label).join('; ');
    if (g.match === 'unmatched')
      findings.push({
        row: r.row,
        column: 'street',
        reason: `${g.note}${near ? `; nearest: ${near}` : ''}: fix the address (metadata fixes) or give lon and lat`,
        severity: 'error',
      });
    else if (g.match === 'outside')
      findings.push({ row: r.row, column: 'lon', reason: g.note ?? 'outside the city', severity: 'error' });
    else if (g.match === 'street')
      findings.push({ row: r.row, column: 'house_number', reason: g.note ?? '', severity: 'warning' });
    if (g.point) content.push({ ...r, point: g.point, address: g.address });
  });
  const ok = !findings.some((f) => f.severity === 'error');
  return {
    report: {
      ok,
      list: meta.data.id,
      findings,
      rows,
      summary: { rows: sheet.rows.length, placed: content.length, byMatch },
    },
    content: ok ? { meta: meta.data, rows: content } : null,
  };
}

export async function uploadOfferList(
  db: Db,
  input: OfferListInput,
  s: OfferListSettings,
  dryRun: boolean,
): Promise<{ report: OfferListReport; stored: { list: string; version: number; applied: AppliedList | null } | null }> {
  const { report, content } = await checkOfferList(db, input, s);
  if (dryRun || !content) return { report, stored: null };
  const id = content.meta.id;
  const original = archiveOriginal(s.uploadsDir, input.fileName, input.bytes);
  const { version, applied } = await db.transaction(
    async (tx) => {
      const version = await storeVersion(tx, OFFER_LIST_KIND, {
        tableId: id,
        sha256: original.sha256,
        fileName: input.fileName,
        meta: input.meta,
        content,
        summary: report.summary,
        actor: input.actor,
      });
      const applied = (await applyOfferLists(tx)).find((a) => a.id === id) ?? null;
      await rederiveOffers(tx);
      return { version, applied };
      // Long by design: the derivations take seconds on a city's data (geodata/derive.ts).
    },
    { long: true },
  );
  archiveRecord(s.uploadsDir, {
    kind: OFFER_LIST_KIND,
    tableId: id,
    version,
    fileName: input.fileName,
    sha256: original.sha256,
    file: original.file,
    meta: input.meta,
    options: {},
    createdBy: input.actor,
    createdAt: new Date().toISOString(),
    action: 'upload',
  });
  invalidateDataVersion(db);
  return { report, stored: { list: id, version, applied } };
}

/** Makes `version` of a list current again and writes the lists into atlas; false when there is no such version. */
export async function rollbackOfferList(
  db: Db,
  id: string,
  version: number,
  actor: string,
  uploadsDir: string,
): Promise<boolean> {
  const done = await db.transaction(
    async (tx) => {
      const [kind] = await tx.query<{ kind: string }>('SELECT kind FROM app.upload_table WHERE id = $1', [id]);
      if (kind?.kind !== OFFER_LIST_KIND) return false;
      if (!(await rollbackTo(tx, id, version, actor))) return false;
      await applyOfferLists(tx);
      await rederiveOffers(tx);
      return true;
    },
    { long: true },
  );
  if (!done) return false;
  archiveRecord(uploadsDir, {
    kind: OFFER_LIST_KIND,
    tableId: id,
    version,
    fileName: '',
    sha256: '',
    file: '',
    meta: null,
    options: {},
    createdBy: actor,
    createdAt: new Date().toISOString(),
    action: 'rollback',
    rollbackTo: version,
  });
  invalidateDataVersion(db);
  return true;
}
