/**
 * Validating an uploaded table of indicator values (issue 15). Pure: the rows of the file, the metadata sent with
 * it and what the database knows (areas, the package's indicators, indicators of earlier uploads) go in; the
 * normalised values and every finding (row, column, reason) come out.
 *
 * - Long form: columns `level`, `code` (or `name`), `date`, `indicator`, `value` (and `basis`, the persons or
 *   addresses a value rests on, optional).
 * - Wide form: one row per area (`code` or `name`, `level` optional), one column per indicator; the date and,
 *   without a level column, the level come with the upload.
 */
import { z } from 'zod';
import type { Finding, TableRow } from '../uploads/table-file.ts';
import { type IndicatorMethod, VALUE_LEVELS, type ValueLevel } from './indicators.ts';
import { fold, trigramSimilarity } from './search-key.ts';

const Text = z.strictObject({ de: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });
const LongText = z.strictObject({ de: z.string().trim().min(1).max(2000), en: z.string().trim().min(1).max(2000) });

export const INDICATOR_ID = /^[a-z][a-z0-9_]{0,79}$/;

export const UploadIndicatorMeta = z.strictObject({
  title: Text,
  description: LongText.optional(),
  unit: z.string().trim().min(1).max(20),
  direction: z.enum(['need', 'strength', 'neutral']),
  visibility: z.enum(['public', 'internal']),
  method: z.literal('published').default('published').describe('Uploaded values are published figures'),
  method_note: LongText.optional(),
  theme: z.string().trim().min(1).max(40).default('social'),
  count_based: z.boolean().optional().describe('Values are counts of persons or addresses: small ones are suppressed'),
  source: z.strictObject({
    title: z.string().trim().min(1).max(300),
    url: z.url({ protocol: /^https?$/ }).max(500),
    licence: z.string().trim().min(1).max(100),
    attribution: z.string().trim().min(1).max(300),
    publisher: z.string().trim().min(1).max(300).optional(),
  }),
});
export type UploadIndicatorMeta = z.output<typeof UploadIndicatorMeta>;

export const UploadMeta = z.strictObject({
  table: z.string().regex(INDICATOR_ID, 'a table id: lower-case letters, digits and underscores').optional(),
  indicators: z
    .record(
      z.string().regex(INDICATOR_ID, 'an indicator id: lower-case letters, digits and underscores'),
      UploadIndicatorMeta,
    )
    .refine((r) => Object.keys(r).length > 0, 'at least one indicator'),
});
export type UploadMeta = z.output<typeof UploadMeta>;

export interface UploadArea {
  level: ValueLevel;
  code: string;
  name: string;
}

export interface UploadContext {
  areas: readonly UploadArea[];
  /** The package's own indicators (computed, modelled or published) by id: an upload may not take their ids. */
  packageIndicators: ReadonlyMap<string, IndicatorMethod>;
  /** Indicators of earlier uploads: id → table. */
  uploadedIndicators: ReadonlyMap<string, string>;
  minCount: number;
}

export interface UploadOptions {
  /** Wide form: the date of every value. */
  date?: string;
  /** Wide form without a level column: the level of every row. */
  level?: string;
}

export interface UploadValue {
  indicator: string;
  level: ValueLevel;
  code: string;
  date: string;
  /** null: left empty in the file, stored as missing. */
  value: number | null;
  basis: number | null;
  /** The row in the file. */
  row: number;
}

export interface UploadContent {
  form: 'long' | 'wide';
  indicators: Record<string, UploadIndicatorMeta & { count_based: boolean }>;
  values: UploadValue[];
}

export interface UploadReport {
  /** The table this upload becomes a version of (new or existing). */
  table: string | null;
  form: 'long' | 'wide' | null;
  ok: boolean;
  findings: Finding[];
  summary: {
    rows: number;
    values: number;
    indicators: string[];
    dates: string[];
    levels: string[];
    suppressed: number;
  };
  content: UploadContent | null;
}

const err = (row: number | null, column: string | null, reason: string): Finding => ({
  row,
  column,
  reason,
  severity: 'error',
});
const warn = (row: number | null, column: string | null, reason: string): Finding => ({
  row,
  column,
  reason,
  severity: 'warning',
});

/** `YYYY-MM-DD` (a real day) or `YYYY`, else null. */
export function readDate(text: string): string | null {
  const t = text.trim();
  if (/^\d{4}$/.test(t)) return t;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === t ? t : null;
}

/** A number as the file writes it: `12.5`, `12,5` (decimal comma), `-3`, `1e3`; empty → null; else undefined. */
export function readNumber(text: string): number | null | undefined {
  const t = text.trim().replace(/\s/g, '');
  if (t === '') return null;
  const n = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t.replace(',', '.')) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** The range a unit allows: shares 0–100 %, per mille 0–1000, counts not below 0. */
export function unitRange(unit: string, countBased: boolean): [number, number] | null {
  if (unit === '%') return [0, 100];
  if (unit === '‰') return [0, 1000];
  if (countBased) return [0, Number.POSITIVE_INFINITY];
  return null;
}

/** Areas by level, code and folded name; `match` finds an area by code or name, with suggestions for near misses. */
function areaIndex(areas: readonly UploadArea[]) {
  const byCode = new Map<string, UploadArea>();
  const byName = new Map<string, UploadArea[]>();
  for (const a of areas) {
    byCode.set(`${a.level}\n${a.code}`, a);
    const key = `${a.level}\n${fold(a.name)}`;
    byName.set(key, [...(byName.get(key) ?? []), a]);
  }
  return {
    code(level: ValueLevel, code: string): UploadArea | undefined {
      return byCode.get(`${level}\n${code}`) ?? byCode.get(`${level}\n${code.padStart(code.length + 1, '0')}`);
    },
    name(level: ValueLevel, name: string): UploadArea[] {
      return byName.get(`${level}\n${fold(name)}`) ?? [];
    },
    suggest(level: ValueLevel, text: string): UploadArea[] {
      const key = fold(text);
      return areas
        .filter((a) => a.level === level)
        .map((a) => ({ a, s: Math.max(trigramSimilarity(fold(a.name), key), a.code === text.trim() ? 1 : 0) }))
        .filter((x) => x.s >= 0.3)
        .sort((x, y) => y.s - x.s)
        .slice(0, 3)
        .map((x) => x.a);
    },
  };
}

const suggestText = (list: UploadArea[]) =>
  list.length ? `; did you mean ${list.map((a) => `${a.code} ${a.name}`).join(', ')}?` : '';

/** The column index of each name in the header (case and spaces ignored). */
function columns(header: string[]): Map<string, number> {
  return new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
}

export function validateUpload(
  header: string[],
  rows: TableRow[],
  metaInput: unknown,
  options: UploadOptions,
  ctx: UploadContext,
): UploadReport {
  const findings: Finding[] = [];
  const empty = (table: string | null = null): UploadReport => ({
    table,
    form: null,
    ok: false,
    findings,
    summary: { rows: rows.length, values: 0, indicators: [], dates: [], levels: [], suppressed: 0 },
    content: null,
  });
  const parsedMeta = UploadMeta.safeParse(metaInput);
  if (!parsedMeta.success) {
    for (const issue of parsedMeta.error.issues)
      findings.push(err(null, `meta.${issue.path.join('.')}`, issue.message));
    return empty();
  }
  const meta = parsedMeta.data;
  const ids = Object.keys(meta.indicators);

  // Ids: never one of the package's, and all of one table.
  const tables = new Set<string>();
  for (const id of ids) {
    const own = ctx.packageIndicators.get(id);
    if (own)
      findings.push(err(null, `meta.indicators.${id}`, `the id clashes with the package's ${own} indicator ${id}`));
    const table = ctx.uploadedIndicators.get(id);
    if (table) tables.add(table);
  }
  if (tables.size > 1)
    findings.push(
      err(
        null,
        'meta.indicators',
        `these indicators belong to different tables (${[...tables].join(', ')}): upload them apart`,
      ),
    );
  const existing = [...tables][0] ?? null;
  if (meta.table && existing && meta.table !== existing)
    findings.push(err(null, 'meta.table', `the indicators belong to table ${existing}, not ${meta.table}`));
  const table = existing ?? meta.table ?? [...ids].sort()[0] ?? null;

  const col = columns(header);
  const long = col.has('indicator') && col.has('value');
  const form: 'long' | 'wide' = long ? 'long' : 'wide';
  const codeCol = col.get('code');
  const nameCol = col.get('name');
  const levelCol = col.get('level');
  if (codeCol === undefined && nameCol === undefined)
    findings.push(err(1, null, 'the table needs a column code (or name) naming each area'));
  if (long) {
    if (levelCol === undefined) findings.push(err(1, null, 'the long form needs a column level'));
    if (!col.has('date')) findings.push(err(1, null, 'the long form needs a column date'));
  }
  let wideDate: string | null = null;
  let wideLevel: ValueLevel | null = null;
  const wideColumns: [string, number][] = [];
  if (!long) {
    if (options.date === undefined || options.date.trim() === '')
      findings.push(err(null, 'date', 'a wide table needs the date of its values with the upload'));
    else {
      wideDate = readDate(options.date);
      if (!wideDate) findings.push(err(null, 'date', `"${options.date}" is not a date: write YYYY-MM-DD or YYYY`));
    }
    if (levelCol === undefined) {
      const level = options.level ?? 'quarter';
      if ((VALUE_LEVELS as readonly string[]).includes(level)) wideLevel = level as ValueLevel;
      else findings.push(err(null, 'level', `"${level}" is not a level: ${VALUE_LEVELS.join(', ')}`));
    }
    const known = new Set(['code', 'name', 'level']);
    header.forEach((h, i) => {
      const name = h.trim();
      if (known.has(name.toLowerCase()) || name === '') return;
      if (!meta.indicators[name])
        findings.push(err(1, name, `the column ${name} is no indicator of the metadata (${ids.join(', ')})`));
      else wideColumns.push([name, i]);
    });
  }
  if (findings.some((f) => f.severity === 'error' && (f.row === 1 || f.column?.startsWith('meta'))))
    return empty(table);

  const index = areaIndex(ctx.areas);
  const values: UploadValue[] = [];
  const seen = new Map<string, number>();
  const cell = (r: TableRow, i: number | undefined) => (i === undefined ? '' : (r.cells[i] ?? '').trim());
  const basisCol = col.get('basis');

  for (const r of rows) {
    // The area
    let level: ValueLevel | null = wideLevel;
    if (levelCol !== undefined) {
      const text = cell(r, levelCol);
      if ((VALUE_LEVELS as readonly string[]).includes(text)) level = text as ValueLevel;
      else {
        findings.push(err(r.row, 'level', `"${text}" is not a level: ${VALUE_LEVELS.join(', ')}`));
        continue;
      }
    }
    if (!level) continue;
    const codeText = cell(r, codeCol);
    const nameText = cell(r, nameCol);
    let area: UploadArea | undefined;
    if (codeText) {
      area = index.code(level, codeText);
      if (!area)
        findings.push(
          err(
            r.row,
            'code',
            `unknown ${level} code "${codeText}"${suggestText(index.suggest(level, nameText || codeText))}`,
          ),
        );
    } else if (nameText) {
      const named = index.name(level, nameText);
      if (named.length === 1 && named[0]) {
        area = named[0];
        if (area.name !== nameText)
          findings.push(warn(r.row, 'name', `"${nameText}" read as ${area.code} ${area.name}`));
      } else if (named.length > 1)
        findings.push(err(r.row, 'name', `"${nameText}" names ${named.length} ${level} areas: give the code`));
      else
        findings.push(
          err(r.row, 'name', `unknown ${level} name "${nameText}"${suggestText(index.suggest(level, nameText))}`),
        );
    } else findings.push(err(r.row, codeCol !== undefined ? 'code' : 'name', 'the area is missing'));
    if (!area) continue;

    // The date and the values
    const entries: { indicator: string; text: string; column: string }[] = [];
    let date = wideDate;
    if (long) {
      const dateText = cell(r, col.get('date'));
      date = readDate(dateText);
      if (!date) {
        findings.push(err(r.row, 'date', `"${dateText}" is not a date: write YYYY-MM-DD or YYYY`));
        continue;
      }
      const indicator = cell(r, col.get('indicator'));
      if (!meta.indicators[indicator]) {
        findings.push(err(r.row, 'indicator', `"${indicator}" is no indicator of the metadata (${ids.join(', ')})`));
        continue;
      }
      entries.push({ indicator, text: cell(r, col.get('value')), column: 'value' });
    } else for (const [name, i] of wideColumns) entries.push({ indicator: name, text: cell(r, i), column: name });
    if (!date) continue;

    let basis: number | null = null;
    if (basisCol !== undefined) {
      const b = readNumber(cell(r, basisCol));
      if (b === undefined || (b !== null && (b < 0 || !Number.isInteger(b)))) {
        findings.push(err(r.row, 'basis', `"${cell(r, basisCol)}" is not a count of persons or addresses`));
        continue;
      }
      basis = b;
    }
    for (const e of entries) {
      const key = `${e.indicator}\n${level}\n${area.code}\n${date}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        findings.push(
          err(
            r.row,
            e.column,
            `duplicate: ${e.indicator} for ${level} ${area.code} on ${date} is already in row ${earlier}`,
          ),
        );
        continue;
      }
      seen.set(key, r.row);
      const value = readNumber(e.text);
      if (value === undefined) {
        findings.push(err(r.row, e.column, `"${e.text}" is not a number`));
        continue;
      }
      const m = meta.indicators[e.indicator] as UploadIndicatorMeta;
      const countBased = m.count_based ?? basisCol !== undefined;
      if (value === null) findings.push(warn(r.row, e.column, 'empty: stored as missing'));
      else {
        const range = unitRange(m.unit, countBased);
        if (range && (value < range[0] || value > range[1])) {
          findings.push(
            err(r.row, e.column, `${value} is out of range for the unit ${m.unit} (${range[0]} to ${range[1]})`),
          );
          continue;
        }
        const rests = basis ?? value;
        if (countBased && rests < ctx.minCount)
          findings.push(
            warn(
              r.row,
              e.column,
              `rests on ${rests} (< MIN_COUNT ${ctx.minCount}): stored, and suppressed in every answer`,
            ),
          );
      }
      values.push({ indicator: e.indicator, level, code: area.code, date, value, basis, row: r.row });
    }
  }
  for (const id of ids)
    if (!values.some((v) => v.indicator === id))
      findings.push(warn(null, `meta.indicators.${id}`, 'no values in the table'));
  if (rows.length === 0) findings.push(err(null, null, 'the table has no rows'));

  const indicators = Object.fromEntries(
    ids.map((id) => {
      const m = meta.indicators[id] as UploadIndicatorMeta;
      return [id, { ...m, count_based: m.count_based ?? basisCol !== undefined }];
    }),
  );
  const suppressed = values.filter((v) => {
    const m = indicators[v.indicator];
    return m?.count_based && v.value !== null && (v.basis ?? v.value) < ctx.minCount;
  }).length;
  const ok = !findings.some((f) => f.severity === 'error');
  return {
    table,
    form,
    ok,
    findings,
    summary: {
      rows: rows.length,
      values: values.length,
      indicators: ids,
      dates: [...new Set(values.map((v) => v.date))].sort(),
      levels: [...new Set(values.map((v) => v.level))],
      suppressed,
    },
    content: ok ? { form, indicators, values } : null,
  };
}
