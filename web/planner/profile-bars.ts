/**
 * The geometry of the profile's small bar charts: where bars start and end and where the city mark sits, in
 * per cent of the row's width. Pure. One scale per indicator row, from zero (or the lowest negative value) to
 * the highest value of the areas shown and the city, so that the bars of two compared areas share it.
 */

export interface BarScale {
  /** Position of zero, 0..100. */
  zero: number;
  /** Position of a value, 0..100. */
  at: (value: number) => number;
}

export function barScale(values: readonly (number | null | undefined)[]): BarScale | null {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (present.length === 0) return null;
  const lo = Math.min(0, ...present);
  let hi = Math.max(0, ...present);
  if (hi === lo) hi = lo + 1;
  const at = (value: number) => (100 * (value - lo)) / (hi - lo);
  return { zero: at(0), at };
}

/** Left edge and width (per cent) of a bar from zero to `value`. */
export function barExtent(scale: BarScale, value: number): { left: number; width: number } {
  const end = scale.at(value);
  return { left: Math.min(scale.zero, end), width: Math.abs(end - scale.zero) };
}
