/**
 * The ranking table's rows: sorted by value, number or name, the rank by value. Pure.
 * Rank 1 is the highest value (as the API ranks); equal values share a rank (1, 2, 2, 4); areas without a
 * value have no rank and always come last.
 */

export type SortKey = 'value' | 'code' | 'name';
export type SortDirection = 'ascending' | 'descending';

export interface RankingRow {
  code: string;
  name: string;
  value: number | null;
}

export function ranks(rows: readonly RankingRow[]): Map<string, number> {
  const values = rows.map((r) => r.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const out = new Map<string, number>();
  for (const r of rows) {
    if (r.value === null || !Number.isFinite(r.value)) continue;
    const value = r.value;
    out.set(r.code, values.filter((v) => v > value).length + 1);
  }
  return out;
}

export function sortRows<R extends RankingRow>(
  rows: readonly R[],
  key: SortKey,
  direction: SortDirection,
  locale: string,
): R[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
  return [...rows].sort((a, b) => {
    if (key === 'value') {
      if (a.value === null || b.value === null) {
        if (a.value === b.value) return collator.compare(a.code, b.code);
        return a.value === null ? 1 : -1;
      }
      if (a.value !== b.value) return sign * (a.value - b.value);
      return collator.compare(a.code, b.code);
    }
    return sign * collator.compare(key === 'code' ? a.code : a.name, key === 'code' ? b.code : b.name);
  });
}

/** The direction a column starts with when it is chosen: values from the highest, number and name from A. */
export function firstDirection(key: SortKey): SortDirection {
  return key === 'value' ? 'descending' : 'ascending';
}
