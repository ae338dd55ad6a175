import type { IndicatorValues } from '../api/client.ts';
import type { SortKey } from '../state/planner-state.ts';
import { type CsvValue, toCsv } from './csv.ts';
import type { LegendClass } from './symbology.ts';

/**
 * The rows of the table view and of its CSV: one per area of the level, as the API gives them, sorted.
 * Pure functions.
 */

export interface TableRow {
  code: string;
  name: string;
  /** The district a quarter lies in. */
  parent: string | null;
  value: number | null;
  suppressed: boolean;
  /** Class index, null without a value. */
  cls: number | null;
  reason: string | null;
  referenceDate: string | null;
  method: string | null;
  source: string | null;
}

export function tableRows(
  values: IndicatorValues,
  parents: ReadonlyMap<string, string>,
  reasonText: (reason: { de: string; en: string }) => string,
): TableRow[] {
  return values.values.map((v) => ({
    code: v.code,
    name: v.name,
    parent: parents.get(v.code) ?? null,
    value: v.value,
    suppressed: v.suppressed,
    cls: v.class,
    reason: v.reason ? reasonText(v.reason) : null,
    referenceDate: v.reference_date,
    method: v.method,
    source: v.source?.attribution ?? null,
  }));
}

const collator = new Intl.Collator('de', { sensitivity: 'base', numeric: true });

/** Sorted by a column; rows without a value always come last, ties in code order. */
export function sortRows(rows: readonly TableRow[], key: SortKey, descending: boolean): TableRow[] {
  const sign = descending ? -1 : 1;
  const byCode = (a: TableRow, b: TableRow) => collator.compare(a.code, b.code);
  return [...rows].sort((a, b) => {
    if (key === 'name') return sign * collator.compare(a.name, b.name) || byCode(a, b);
    if (key === 'code') return sign * byCode(a, b);
    const va = key === 'value' ? a.value : a.cls;
    const vb = key === 'value' ? b.value : b.cls;
    if (va === null && vb === null) return byCode(a, b);
    if (va === null) return 1;
    if (vb === null) return -1;
    return sign * (va - vb) || byCode(a, b);
  });
}

export interface CsvContext {
  indicatorId: string;
  indicatorTitle: string;
  unit: string;
  level: string;
  classification: string;
  classes: readonly LegendClass[];
  /** The indicator's sources, as the legend names them. */
  sources: string;
}

export const CSV_HEADER = [
  'code',
  'name',
  'district',
  'value',
  'unit',
  'class',
  'class_from',
  'class_to',
  'suppressed',
  'note',
  'reference_date',
  'method',
  'source',
  'indicator_id',
  'indicator',
  'level',
  'classification',
] as const;

/** The rows as shown (same order), with what they rest on: date, method, source, classification. */
export function rowsToCsv(rows: readonly TableRow[], ctx: CsvContext): string {
  const body: CsvValue[][] = rows.map((r) => {
    const cls = r.cls === null ? null : ctx.classes[r.cls];
    return [
      r.code,
      r.name,
      r.parent,
      r.value,
      ctx.unit,
      r.cls === null ? null : r.cls + 1,
      cls?.from,
      cls?.to,
      r.suppressed,
      r.reason,
      r.referenceDate,
      r.method,
      r.source ?? ctx.sources,
      ctx.indicatorId,
      ctx.indicatorTitle,
      ctx.level,
      ctx.classification,
    ];
  });
  return toCsv(CSV_HEADER, body);
}
