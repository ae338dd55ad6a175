import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

/**
 * Reading an uploaded table, CSV or XLSX, into a header and rows of text cells, with the row number each row has
 * in the file (the header is row 1). Shared by every upload (tables; offer lists, issue 21).
 *
 * - CSV: UTF-8 (a BOM is dropped), the separator found in the header line (`;`, `,` or tab).
 * - XLSX (exceljs): the first worksheet. Formulas are never evaluated: a formula cell gives the result the file
 *   stored with it, or a finding when it stored none. Merged cells are a finding (their value would belong to one
 *   cell only). Date cells become `YYYY-MM-DD`.
 * - More than `maxRows` data rows: a finding, and nothing is read further.
 */

export interface Finding {
  /** The row in the file (1 = the header), or null for the file as a whole. */
  row: number | null;
  /** The column's header (or letter when it has none), or null. */
  column: string | null;
  reason: string;
  /** Errors stop the upload; warnings are reported and the upload may go ahead. */
  severity: 'error' | 'warning';
}

export interface TableRow {
  /** The row number in the file. */
  row: number;
  cells: string[];
}

export interface SheetTable {
  header: string[];
  rows: TableRow[];
  findings: Finding[];
}

export type TableFormat = 'csv' | 'xlsx';

/** The format of a file by its name, then its first bytes (an XLSX is a zip: `PK`). */
export function tableFormat(name: string, bytes: Uint8Array): TableFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx';
  return null;
}

export async function readTableFile(name: string, bytes: Uint8Array, maxRows: number): Promise<SheetTable> {
  const format = tableFormat(name, bytes);
  if (format === 'xlsx') return readXlsx(bytes, maxRows);
  if (format === 'csv') return readCsv(bytes, maxRows);
  return {
    header: [],
    rows: [],
    findings: [{ row: null, column: null, reason: 'the file is neither CSV nor XLSX', severity: 'error' }],
  };
}

function error(row: number | null, column: string | null, reason: string): Finding {
  return { row, column, reason, severity: 'error' };
}

function tooMany(maxRows: number): Finding {
  return error(null, null, `the table has more than ${maxRows} rows (UPLOAD_MAX_ROWS); split it`);
}

export function readCsv(bytes: Uint8Array, maxRows: number): SheetTable {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { header: [], rows: [], findings: [error(null, null, 'the file is not UTF-8 text')] };
  }
  text = text.replace(/^\uFEFF/, '');
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', '\t', ','].reduce((best, d) => (first.split(d).length > first.split(best).length ? d : best));
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      to: maxRows + 2,
    }) as unknown as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? null;
    return { header: [], rows: [], findings: [error(line, null, `the CSV cannot be read: ${(err as Error).message}`)] };
  }
  const [head, ...rest] = records;
  if (!head) return { header: [], rows: [], findings: [error(null, null, 'the file is empty')] };
  const findings: Finding[] = [];
  if (rest.length > maxRows) findings.push(tooMany(maxRows));
  return {
    header: head.record,
    rows: rest.slice(0, maxRows).map((r) => ({ row: r.info.lines, cells: r.record })),
    findings,
  };
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The text of a cell's value, or a finding's reason when it has none that can be read without evaluating. */
function cellText(value: ExcelJS.CellValue): { text: string } | { problem: string } {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'number') return { text: String(value) };
  if (typeof value === 'string') return { text: value.trim() };
  if (typeof value === 'boolean') return { text: value ? 'true' : 'false' };
  if (value instanceof Date) return { text: isoDate(value) };
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    if (result === undefined || result === null)
      return { problem: 'a formula without a stored result: formulas are not evaluated; save the values' };
    if (typeof result === 'object' && 'error' in result) return { problem: `the formula's result is ${result.error}` };
    return cellText(result as ExcelJS.CellValue);
  }
  if ('richText' in value)
    return {
      text: value.richText
        .map((t) => t.text)
        .join('')
        .trim(),
    };
  if ('text' in value && typeof value.text === 'string') return { text: value.text.trim() };
  if ('error' in value) return { problem: `the cell holds the error ${value.error}` };
  return { problem: 'a cell of a kind that cannot be read' };
}

export async function readXlsx(bytes: Uint8Array, maxRows: number): Promise<SheetTable> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as never);
  } catch (err) {
    return {
      header: [],
      rows: [],
      findings: [error(null, null, `the XLSX cannot be read: ${(err as Error).message}`)],
    };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { header: [], rows: [], findings: [error(null, null, 'the workbook has no worksheet')] };
  const findings: Finding[] = [];
  const width = ws.columnCount;
  const lines: TableRow[] = [];
  let header: string[] | null = null;
  const columnName = (i: number) => header?.[i] || ws.getColumn(i + 1).letter;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (lines.length > maxRows) return;
    const cells: string[] = [];
    for (let i = 0; i < width; i++) {
      const cell = row.getCell(i + 1);
      if (cell.isMerged && cell.master.address !== cell.address) {
        findings.push(
          error(
            rowNumber,
            columnName(i),
            `merged with ${cell.master.address}: merged cells are not read, unmerge them`,
          ),
        );
        cells.push('');
        continue;
      }
      const read = cellText(cell.value);
      if ('problem' in read) {
        findings.push(error(rowNumber, columnName(i), `${cell.address}: ${read.problem}`));
        cells.push('');
      } else cells.push(read.text);
    }
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (header === null) header = cells;
    else if (cells.length > 0) lines.push({ row: rowNumber, cells });
  });
  if (!header) return { header: [], rows: [], findings: [error(null, null, 'the worksheet is empty')] };
  if (lines.length > maxRows) findings.push(tooMany(maxRows));
  return { header, rows: lines.slice(0, maxRows), findings };
}
