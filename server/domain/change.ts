/**
 * Change of an indicator between two dates, per area (issue 15). Pure.
 *
 * - A date stands for the period it ends ('2021' and '2021-12-31' are the same year's end: published.ts's
 *   `periodEnd`); of several values for one period an area shows the one dated exactly as asked, then the more
 *   precise date, then the one the import shows.
 * - Change: the absolute difference, and the relative one: in per cent of the earlier value, or, for shares
 *   (unit %), the absolute change in percentage points (a per cent of a per cent misleads).
 * - Count-based values resting on fewer than MIN_COUNT persons are withheld, and so is their change.
 * - Classified around zero: the classes are symmetric about 0 (equal width up to the largest change either way),
 *   an odd number of them so that the middle class holds "about no change", for a diverging scheme.
 */
import { periodEnd } from '../../geodata/published.ts';
import { suppress } from './indicators.ts';

export { periodEnd };

export interface DatedValue {
  code: string;
  name: string;
  reference_date: string;
  value: number | null;
  basis_count: number | null;
  is_latest: boolean;
}

export interface AreaChange {
  code: string;
  name: string;
  from: { date: string; value: number } | null;
  to: { date: string; value: number } | null;
  /** to − from, in the indicator's unit. */
  absolute: number | null;
  /** Per cent of the earlier value, or percentage points for shares (`relative_unit`). */
  relative: number | null;
  suppressed: boolean;
  class: number | null;
}

export interface ChangeOptions {
  unit: string;
  countBased: boolean;
  minCount: number;
  /** Which change is classified and mapped. */
  measure: 'absolute' | 'relative';
  classes: number;
}

/** The value of an area for a period: exact date first, then the more precise, then the shown one. */
export function valueAt(rows: readonly DatedValue[], date: string): DatedValue | null {
  const end = periodEnd(date)?.end;
  if (!end) return null;
  const candidates = rows.filter((r) => periodEnd(r.reference_date)?.end === end && r.value !== null);
  candidates.sort(
    (a, b) =>
      Number(b.reference_date === date) - Number(a.reference_date === date) ||
      (periodEnd(b.reference_date)?.precision ?? 0) - (periodEnd(a.reference_date)?.precision ?? 0) ||
      Number(b.is_latest) - Number(a.is_latest),
  );
  return candidates[0] ?? null;
}

/** `classes` (made odd) cut points symmetric about zero, up to the largest change either way. */
export function symmetricBreaks(values: readonly (number | null)[], classes: number): number[] {
  const k = classes % 2 === 1 ? classes : classes + 1;
  const m = Math.max(0, ...values.filter((v): v is number => v !== null).map(Math.abs));
  if (m === 0) return [0];
  const width = (2 * m) / k;
  // Upper bounds of the classes, the last one m.
  return Array.from({ length: k }, (_, i) => round(-m + width * (i + 1)));
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

export function classOf(breaks: readonly number[], value: number | null): number | null {
  if (value === null) return null;
  const i = breaks.findIndex((b) => value <= b);
  return i < 0 ? breaks.length - 1 : i;
}

/** The change of every area between two dates. */
export function changeBetween(
  rows: readonly DatedValue[],
  from: string,
  to: string,
  o: ChangeOptions,
): { areas: AreaChange[]; breaks: number[]; relativeUnit: 'percent' | 'percentage-points' } {
  const share = o.unit === '%';
  const byArea = new Map<string, DatedValue[]>();
  for (const r of rows) byArea.set(r.code, [...(byArea.get(r.code) ?? []), r]);
  const areas: AreaChange[] = [...byArea.values()].map((list) => {
    const first = list[0] as DatedValue;
    const a = valueAt(list, from);
    const b = valueAt(list, to);
    const hidden = [a, b].some(
      (x) => x !== null && suppress(o.countBased, x.basis_count, x.value, o.minCount).suppressed,
    );
    const both = a !== null && b !== null && !hidden;
    const absolute = both ? round((b.value as number) - (a.value as number)) : null;
    const relative =
      absolute === null
        ? null
        : share
          ? absolute
          : (a?.value as number) === 0
            ? null
            : round((absolute / Math.abs(a?.value as number)) * 100);
    return {
      code: first.code,
      name: first.name,
      from: a && !hidden ? { date: a.reference_date, value: a.value as number } : null,
      to: b && !hidden ? { date: b.reference_date, value: b.value as number } : null,
      absolute,
      relative,
      suppressed: hidden,
      class: null,
    };
  });
  const measured = areas.map((a) => (o.measure === 'absolute' ? a.absolute : a.relative));
  const breaks = symmetricBreaks(measured, o.classes);
  areas.forEach((a, i) => {
    a.class = classOf(breaks, measured[i] ?? null);
  });
  return { areas, breaks, relativeUnit: share ? 'percentage-points' : 'percent' };
}

/** The dates an indicator's values can be compared at: period ends present in the rows, oldest first. */
export function comparableDates(rows: readonly DatedValue[]): string[] {
  return [...new Set(rows.filter((r) => r.value !== null).map((r) => periodEnd(r.reference_date)?.end))]
    .filter((d): d is string => Boolean(d))
    .sort();
}

/** One area's values over time, oldest first, one per period (as `valueAt` picks it); withheld counts are null. */
export function seriesOf(
  rows: readonly DatedValue[],
  o: Pick<ChangeOptions, 'countBased' | 'minCount'>,
): { date: string; value: number | null; suppressed: boolean }[] {
  return comparableDates(rows).flatMap((end) => {
    const v = valueAt(rows, end);
    if (!v) return [];
    const hidden = suppress(o.countBased, v.basis_count, v.value, o.minCount).suppressed;
    return [{ date: v.reference_date, value: hidden ? null : v.value, suppressed: hidden }];
  });
}
