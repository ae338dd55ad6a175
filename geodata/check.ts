import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Manifest } from './manifest.ts';
import type { AreaRecord, OfferRecord } from './parse.ts';
import { PackageError, readGeoJson } from './read.ts';

/**
 * Checks of a whole package beyond what each reader checks in its own file: every column the manifest names is in
 * its table, and every area and offer can be asked for through the API. A package that fails them is refused with
 * the file, record and field named (SECURITY.md, promise 2; tests/api/hardening-import-fuzz.test.ts).
 */

/** What the API takes as an area code and an offer id (server/routes/areas.ts and offers.ts; the fuzz test compares). */
export const AREA_CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const OFFER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Every field a part of the manifest names: the values of its `…Field` and `…Fields` keys. */
export function namedFields(part: object): string[] {
  const out: string[] = [];
  for (const [key, v] of Object.entries(part)) {
    if (!/Fields?$/.test(key)) continue;
    const names =
      typeof v === 'string' ? [v] : Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v).flat() : [];
    for (const name of names) if (typeof name === 'string') out.push(name);
  }
  return out;
}

/** The first record of a table as the reader takes it (byte-order mark, `sep=` line and empty lines skipped). */
function header(dir: string, file: string): string[] | null {
  const text = readFileSync(join(dir, file), 'utf8').replace(/^sep=.\r?\n/, '');
  try {
    const rows = parse(text.slice(0, 65_536), { bom: true, skip_empty_lines: true, relax_column_count: true, to: 1 });
    return (rows as string[][])[0] ?? []; // not trimmed: the readers look columns up by their exact name
  } catch {
    return null; // a table that is no CSV: its reader names the fault
  }
}

/**
 * A table without a column the manifest names would load that field as empty in every row; an OSM element the
 * manifest keeps (keepWhen) without its type or id would get an id that names no element, or be merged into an
 * official record under one. Checked on every kept element, whatever the category rules then make of it.
 */
export function checkColumns(dir: string, m: Manifest): void {
  for (const part of [m.addresses, m.schools, m.schools.masterData]) {
    const columns = header(dir, part.file);
    if (!columns) continue;
    const have = new Set(columns);
    for (const field of namedFields(part))
      if (!have.has(field)) throw new PackageError(part.file, null, field, 'column is missing');
  }
  readGeoJson(dir, m.osm.file).forEach((f, i) => {
    const p = f.properties ?? {};
    if (!Object.entries(m.osm.keepWhen).every(([key, v]) => p[key] === v)) return;
    for (const key of ['osm_type', 'osm_id'])
      if (String(p[key] ?? '').trim() === '')
        throw new PackageError(m.osm.file, `#${i + 1}`, key, 'an OSM element needs its osm_type and osm_id');
  });
}

/** Area codes and offer ids the API can address, schools without negative pupils. */
export function checkRecords(m: Manifest, areas: AreaRecord[], offers: OfferRecord[]): void {
  const areaFile = { district: m.districts, quarter: m.quarters, 'action-area': m.actionAreas } as const;
  for (const a of areas) {
    if (AREA_CODE.test(a.code)) continue;
    const part = areaFile[a.level];
    const field = 'codeField' in part ? (a.numbered ? part.codeField : part.nameField) : part.keyField;
    throw new PackageError(
      part.file,
      `code ${a.code}`,
      field,
      'an area code must be lower-case letters a-z, digits and hyphens, at most 40, starting with a letter or digit',
    );
  }
  for (const o of offers) {
    const [file, field] =
      o.source === m.schools.source
        ? [m.schools.file, m.schools.idField]
        : o.source === m.kitas.source
          ? [m.kitas.file, m.kitas.idField]
          : [m.osm.file, 'osm_id'];
    if (!OFFER_ID.test(o.id))
      throw new PackageError(
        file,
        `id ${o.externalId}`,
        field,
        'an id must be letters, digits, ".", "_" and "-", at most 100 with its prefix',
      );
    if (o.pupils !== null && o.pupils < 0)
      throw new PackageError(file, `id ${o.externalId}`, m.schools.pupilsField, `${o.pupils} is not a count of pupils`);
  }
}
