/**
 * Bivariate need × supply classes (a 3×3 choropleth). Pure functions, no I/O.
 *
 * Terciles: each variable is split on its own non-missing values at the sample quantiles 1/3 and 2/3
 * (Hyndman & Fan definition 7, as `quantile` in classify.ts): low is v <= t1, mid is t1 < v <= t2, high is v > t2.
 * Ties can leave a tercile empty. When every value is the same no area is higher or lower than another,
 * so all are `mid`.
 *
 * Cells: index = 3 · needTercile + supplyTercile, so 0 is 'low-need/low-supply', 6 'high-need/low-supply' and
 * 8 'high-need/high-supply'. An area missing either value has no cell; its other tercile is still given.
 */

import { isPresent, type MaybeNumber, quantileSorted } from './classify.ts';

export const TERCILES = ['low', 'mid', 'high'] as const;
export type TercileName = (typeof TERCILES)[number];
/** 0 = low, 1 = mid, 2 = high. */
export type Tercile = 0 | 1 | 2;
export type CellName = `${TercileName}-need/${TercileName}-supply`;

export const CELL_NAMES: readonly CellName[] = TERCILES.flatMap((need) =>
  TERCILES.map((supply): CellName => `${need}-need/${supply}-supply`),
);
export const HIGH_NEED_LOW_SUPPLY = 6;

export interface TercileSplit {
  /** [t1, t2], or null when there are no values. */
  breaks: [number, number] | null;
  /** True when all values are equal and every area is `mid`. */
  constant: boolean;
  /** Areas in low, mid and high. */
  counts: [number, number, number];
  missing: number;
}

export interface AreaInput {
  id: string;
  need: MaybeNumber;
  supply: MaybeNumber;
}

export interface BivariateArea {
  id: string;
  need: number | null;
  supply: number | null;
  needTercile: Tercile | null;
  supplyTercile: Tercile | null;
  /** 3 · needTercile + supplyTercile, null unless both are present. */
  cell: number | null;
  cellName: CellName | null;
}

export interface Bivariate {
  need: TercileSplit;
  supply: TercileSplit;
  /** One per input area, in input order. */
  areas: BivariateArea[];
  /** Areas per cell, length 9. */
  counts: number[];
  /** Areas without a cell (need or supply missing). */
  unclassified: number;
}

/** Tercile split of a list of values, and a function giving the tercile of a value. */
export function terciles(
  values: readonly MaybeNumber[],
): TercileSplit & { tercileOf: (v: MaybeNumber) => Tercile | null } {
  const sorted = values.filter(isPresent).sort((a, b) => a - b);
  const first = sorted[0];
  const constant = first !== undefined && first === sorted[sorted.length - 1];
  const breaks: [number, number] | null =
    first === undefined ? null : [quantileSorted(sorted, 1 / 3), quantileSorted(sorted, 2 / 3)];
  const tercileOf = (v: MaybeNumber): Tercile | null => {
    if (!isPresent(v) || breaks === null) return null;
    if (constant) return 1;
    return v <= breaks[0] ? 0 : v <= breaks[1] ? 1 : 2;
  };
  const counts: [number, number, number] = [0, 0, 0];
  for (const v of sorted) counts[tercileOf(v) as Tercile] += 1;
  return { breaks, constant, counts, missing: values.length - sorted.length, tercileOf };
}

export function cellIndex(needTercile: Tercile | null, supplyTercile: Tercile | null): number | null {
  return needTercile === null || supplyTercile === null ? null : 3 * needTercile + supplyTercile;
}

/**
 * The 3×3 classes of the areas. With `reference`, the terciles are drawn from those values instead of the areas'
 * own (the action areas placed in the terciles of the city's quarters), and `need` / `supply` describe that split.
 */
export function bivariate(
  input: readonly AreaInput[],
  reference?: { need: readonly MaybeNumber[]; supply: readonly MaybeNumber[] },
): Bivariate {
  const { tercileOf: needOf, ...need } = terciles(reference ? reference.need : input.map((a) => a.need));
  const { tercileOf: supplyOf, ...supply } = terciles(reference ? reference.supply : input.map((a) => a.supply));
  const counts: number[] = CELL_NAMES.map(() => 0);
  let unclassified = 0;
  const areas = input.map((a): BivariateArea => {
    const needTercile = needOf(a.need);
    const supplyTercile = supplyOf(a.supply);
    const cell = cellIndex(needTercile, supplyTercile);
    if (cell === null) unclassified += 1;
    else counts[cell] = (counts[cell] as number) + 1;
    return {
      id: a.id,
      need: isPresent(a.need) ? a.need : null,
      supply: isPresent(a.supply) ? a.supply : null,
      needTercile,
      supplyTercile,
      cell,
      cellName: cell === null ? null : (CELL_NAMES[cell] as CellName),
    };
  });
  return { need, supply, areas, counts, unclassified };
}

/**
 * The 'high-need/low-supply' areas, highest need first; equal need: lowest supply first; then by id.
 * `rank` counts from 1.
 */
export function rankHighNeedLowSupply(result: Bivariate): (BivariateArea & { rank: number })[] {
  return result.areas
    .filter((a) => a.cell === HIGH_NEED_LOW_SUPPLY)
    .sort(
      (a, b) =>
        (b.need as number) - (a.need as number) ||
        (a.supply as number) - (b.supply as number) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .map((a, i) => ({ ...a, rank: i + 1 }));
}
