/**
 * CSV as spreadsheets read it, in two dialects: German (the default: semicolon, decimal comma, German headers, as
 * Excel and LibreOffice in German read a double-clicked file) and international (comma, decimal point, English
 * headers). Both: fields quoted where they need it (RFC 4180), CRLF line ends, numbers never rounded, a UTF-8 byte
 * order mark so that Excel shows umlauts.
 */

export type CsvValue = string | number | boolean | null | undefined;

export type CsvDialect = 'de' | 'intl';

export const DIALECTS: Record<CsvDialect, { separator: string; decimal: string; yes: string; no: string }> = {
  de: { separator: ';', decimal: ',', yes: 'ja', no: 'nein' },
  intl: { separator: ',', decimal: '.', yes: 'true', no: 'false' },
};

export function csvField(value: CsvValue, dialect: CsvDialect = 'intl'): string {
  const d = DIALECTS[dialect];
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? d.yes : d.no;
  const text =
    typeof value === 'number' ? (Number.isFinite(value) ? String(value).replace('.', d.decimal) : '') : String(value);
  // A leading = + - @ would make a spreadsheet evaluate the field as a formula: quote and prefix it.
  const guarded = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  const special = new RegExp(`["\r\n${d.separator}]`);
  return special.test(guarded) || guarded !== text ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly CsvValue[])[],
  dialect: CsvDialect = 'intl',
  comments: readonly string[] = [],
): string {
  const sep = DIALECTS[dialect].separator;
  // Comment lines first (`# …`, one field each): the attribution the sources' licences require (issue 17).
  const lines = [
    ...comments.map((c) => csvField(`# ${c}`, dialect)),
    ...[header, ...rows].map((row) => row.map((v) => csvField(v, dialect)).join(sep)),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A column of a CSV file: its header in German and in English, and its field of a row. */
export interface CsvColumn<R> {
  de: string;
  en: string;
  value: (row: R, dialect: CsvDialect) => CsvValue;
}

/** A CSV file of rows in a dialect: German headers for the German one, English ones for the international one. */
export function columnsToCsv<R>(
  columns: readonly CsvColumn<R>[],
  rows: readonly R[],
  dialect: CsvDialect,
  comments: readonly string[] = [],
): string {
  return toCsv(
    columns.map((c) => (dialect === 'de' ? c.de : c.en)),
    rows.map((r) => columns.map((c) => c.value(r, dialect))),
    dialect,
    comments,
  );
}

/** A text given in German and English, in the dialect's language. */
export function textIn(text: { de: string; en: string } | null | undefined, dialect: CsvDialect): string | null {
  return text ? (dialect === 'de' ? text.de : text.en) : null;
}

/** Offers a text as a file download (no request leaves the page: a blob URL). */
export function downloadText(text: string, filename: string, type = 'text/csv;charset=utf-8'): void {
  downloadBlob(new Blob([text], { type }), filename);
}

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from parts: lower case, ASCII, hyphens. */
export function fileName(...parts: string[]): string {
  return parts
    .join('-')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
