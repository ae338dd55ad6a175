/**
 * Which published figure is shown when a unit has several for one indicator: pure functions, unit-tested in
 * tests/unit/published.test.ts. The rule, as stated in every published indicator's method note:
 *
 *   1. a dated value before an undated one;
 *   2. the newest reference date, a date given as a year or a month counting as the last day of that period;
 *   3. on the same last day, the more precise date (a day before a month before a year);
 *   4. on the same date, the first row in the package's file; a different value for that date from another row
 *      is named in the shown value's date note and reported as an import warning.
 */

export interface Dated {
  /** 'YYYY-MM-DD', 'YYYY-MM', 'YYYY', or null when the source gives no date. */
  referenceDate: string | null;
  value: number | null;
  /** The row of the package file (for the order and for warnings). */
  row: number;
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** The last day a reference date can stand for ('2023' → '2023-12-31', '2024-02' → '2024-02-29'), and its precision. */
export function periodEnd(date: string): { end: string; precision: 1 | 2 | 3 } | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const [, y, mo, d] = m;
  if (d) return { end: date, precision: 3 };
  if (mo) {
    const last = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
    return { end: `${y}-${mo}-${String(last).padStart(2, '0')}`, precision: 2 };
  }
  return { end: `${y}-12-31`, precision: 1 };
}

/** Negative when a is shown before b (rules 1–4). */
export function compareShown(a: Dated, b: Dated): number {
  const pa = a.referenceDate ? periodEnd(a.referenceDate) : null;
  const pb = b.referenceDate ? periodEnd(b.referenceDate) : null;
  if (pa && !pb) return -1;
  if (!pa && pb) return 1;
  if (pa && pb) {
    if (pa.end !== pb.end) return pa.end > pb.end ? -1 : 1;
    if (pa.precision !== pb.precision) return pb.precision - pa.precision;
  }
  return a.row - b.row;
}

export interface Pick<T extends Dated> {
  shown: T;
  /** Rows of the same date as the shown one whose value differs from it. */
  disagreeing: T[];
}

/** The shown figure of one unit and indicator, with the rows of its date that give another value. */
export function pickShown<T extends Dated>(rows: readonly T[]): Pick<T> {
  if (rows.length === 0) throw new Error('pickShown: no rows');
  const sorted = [...rows].sort(compareShown);
  const shown = sorted[0] as T;
  const disagreeing = sorted.filter(
    (r) => r !== shown && r.referenceDate === shown.referenceDate && r.value !== shown.value,
  );
  return { shown, disagreeing };
}

/** Groups rows by a key and picks the shown one of each group. */
export function pickAll<T extends Dated>(rows: readonly T[], key: (r: T) => string): Map<string, Pick<T>> {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return new Map([...groups].map(([k, g]) => [k, pickShown(g)]));
}
