import type { CatalogueIndicator, IndicatorValues, MapValues } from '../api/client.ts';

/**
 * What the planner's map shows, as one piece: the values answer the map is drawn from and the indicator that
 * answer belongs to. Title, legend, unit, table caption, exports and the map's colours are all taken from it,
 * never from the indicator just picked, so that nothing is shown under another indicator's name while the next
 * answer is on its way (or cannot come: offline). Pure functions.
 */

export interface Shown {
  values: MapValues;
  indicator: CatalogueIndicator;
}

/**
 * The view the map can draw: the last values answer whose level is that of the areas drawn, with its own
 * catalogue entry; null while there is none.
 */
export function shownView(
  values: MapValues | undefined,
  areasLevel: string | undefined,
  indicators: readonly CatalogueIndicator[] | undefined,
): Shown | null {
  if (!values || !indicators || values.level !== areasLevel) return null;
  const indicator = indicators.find((i) => i.id === values.indicator);
  return indicator ? { values, indicator } : null;
}

/** Whether a full values answer (the table's) is the same answer as the lean one the map is drawn from. */
export function sameAnswer(full: IndicatorValues, lean: MapValues): boolean {
  const a = full.classification;
  const b = lean.classification;
  return (
    full.indicator.id === lean.indicator &&
    full.level === lean.level &&
    (full.date ?? null) === (lean.date ?? null) &&
    a.method === b.method &&
    a.classes === b.classes &&
    a.breaks.length === b.breaks.length &&
    a.breaks.every((x, i) => x === b.breaks[i])
  );
}
