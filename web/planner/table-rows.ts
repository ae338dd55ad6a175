import type { IndicatorValues } from '../api/client.ts';
import type { SortKey } from '../state/planner-state.ts';
import { type CsvColumn, type CsvDialect, columnsToCsv, textIn } from './csv.ts';
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
  /** The reason in German and English, for the CSV. */
  reasonText: { de: string; en: string } | null;
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
    reasonText: v.reason,
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
  indicatorTitle: { de: string; en: string };
  /** The unit as the API gives it (English), and in German. */
  unit: { de: string; en: string };
  level: { de: string; en: string };
  classification: { de: string; en: string };
  classes: readonly LegendClass[];
  /** The method of a value (published, computed, modelled) in German. */
  methodDe: (method: string) => string;
  /** The indicator's sources, as the legend names them: for rows without a source of their own. */
  sources: string;
  /** The attribution lines the sources' licences require, per language (server/domain/attribution.ts). */
  attribution?: { de: readonly string[]; en: readonly string[] };
}

type Row = { r: TableRow; ctx: CsvContext };
const cls = ({ r, ctx }: Row) => (r.cls === null ? undefined : ctx.classes[r.cls]);
const column = (de: string, en: string, value: CsvColumn<Row>['value']): CsvColumn<Row> => ({ de, en, value });

/** The table's columns in its CSV: what each value rests on, and every source named. */
export const TABLE_COLUMNS: readonly CsvColumn<Row>[] = [
  column('Gebietsnummer', 'code', ({ r }) => r.code),
  column('Gebiet', 'name', ({ r }) => r.name),
  column('Stadtbezirk', 'district', ({ r }) => r.parent),
  column('Wert', 'value', ({ r }) => r.value),
  column('Einheit', 'unit', ({ ctx }, d) => textIn(ctx.unit, d)),
  column('Klasse', 'class', ({ r }) => (r.cls === null ? null : r.cls + 1)),
  column('Klasse von', 'class_from', (row) => cls(row)?.from),
  column('Klasse bis', 'class_to', (row) => cls(row)?.to),
  column('Zurückgehalten (Datenschutz)', 'suppressed', ({ r }) => r.suppressed),
  column('Hinweis', 'note', ({ r }, d) => textIn(r.reasonText, d)),
  column('Stand', 'reference_date', ({ r }) => r.referenceDate),
  column('Methode', 'method', ({ r, ctx }, d) => (r.method && d === 'de' ? ctx.methodDe(r.method) : r.method)),
  column('Quelle', 'source', ({ r, ctx }) => r.source ?? ctx.sources),
  column('Indikator-ID', 'indicator_id', ({ ctx }) => ctx.indicatorId),
  column('Indikator', 'indicator', ({ ctx }, d) => textIn(ctx.indicatorTitle, d)),
  column('Ebene', 'level', ({ ctx }, d) => textIn(ctx.level, d)),
  column('Klassifikation', 'classification', ({ ctx }, d) => textIn(ctx.classification, d)),
];

/** The rows as shown (same order), with what they rest on: date, method, source, classification. */
export function rowsToCsv(rows: readonly TableRow[], ctx: CsvContext, dialect: CsvDialect): string {
  return columnsToCsv(
    TABLE_COLUMNS,
    rows.map((r) => ({ r, ctx })),
    dialect,
    (dialect === 'de' ? ctx.attribution?.de : ctx.attribution?.en) ?? [],
  );
}
