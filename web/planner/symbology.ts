import type { CatalogueIndicator, MapValues } from '../api/client.ts';
import { classColors, isDiverging, type PaletteId } from '../layers/palettes.ts';
import type { ChoroplethLevel } from '../state/planner-state.ts';

/**
 * How an indicator is drawn: which indicators a level can show, the default indicator and colours, and the
 * classes of a values answer with their colours, ranges and counts. Pure functions shared by map, legend,
 * table, CSV and PNG export, so that all of them say the same.
 */

type Direction = CatalogueIndicator['direction'];
type Unit = CatalogueIndicator['unit'];

/** Units of absolute counts and sizes: a bigger area has more of them, so a city value is no centre for them. */
const ABSOLUTE_UNITS = new Set(['persons', 'offers', 'places', 'households', 'km²', 'ha', 'stages']);

export function isAbsolute(unit: Unit): boolean {
  return ABSOLUTE_UNITS.has(unit);
}

/** Indicators compared with a reference by their nature (a deviation, a change): diverging by default. */
export function hasNaturalCentre(indicator: Pick<CatalogueIndicator, 'id' | 'unit'>): boolean {
  return indicator.unit.includes('vs.') || /_change(_|$)/.test(indicator.id);
}

/** Whether a diverging scheme around the city value makes sense: a rate, share or index, not a count. */
export function canDiverge(indicator: Pick<CatalogueIndicator, 'unit'>): boolean {
  return !isAbsolute(indicator.unit);
}

export function defaultSequential(direction: Direction): PaletteId {
  return direction === 'need' ? 'orange' : direction === 'strength' ? 'blue' : 'viridis';
}

/** The palette a state asks for, or the indicator's default; a diverging one only where it makes sense. */
export function paletteFor(
  indicator: Pick<CatalogueIndicator, 'id' | 'unit' | 'direction'>,
  chosen: PaletteId | null,
): PaletteId {
  if (chosen && (!isDiverging(chosen) || canDiverge(indicator))) return chosen;
  return hasNaturalCentre(indicator) ? 'purple-orange' : defaultSequential(indicator.direction);
}

/** Indicators with at least one value at the level, in catalogue order. */
export function indicatorsAt(indicators: readonly CatalogueIndicator[], level: ChoroplethLevel): CatalogueIndicator[] {
  return indicators.filter((i) => i.levels.some((l) => l.level === level && l.with_value > 0));
}

/**
 * The indicator the planner opens with: the first of `preferred` (the manifest's choice, via /api/config) that
 * the level has, else the one with values for most areas.
 */
export function defaultIndicator(
  indicators: readonly CatalogueIndicator[],
  level: ChoroplethLevel,
  preferred: readonly string[],
): string | null {
  const available = indicatorsAt(indicators, level);
  for (const id of preferred) if (available.some((i) => i.id === id)) return id;
  // Else the one with values for most areas.
  const withMost = [...available].sort((a, b) => withValue(b, level) - withValue(a, level))[0];
  return withMost?.id ?? null;
}

function withValue(indicator: CatalogueIndicator, level: ChoroplethLevel): number {
  return indicator.levels.find((l) => l.level === level)?.with_value ?? 0;
}

/** Default need and supply indicators of the gap view: the first preferred the level has, else a fitting one. */
export function defaultGapPair(
  indicators: readonly CatalogueIndicator[],
  level: ChoroplethLevel,
  preferred: { gapNeed: readonly string[]; gapSupply: readonly string[] },
) {
  const available = indicatorsAt(indicators, level);
  const full = (i: CatalogueIndicator) => withValue(i, level) >= (level === 'quarter' ? 50 : 10);
  const pick = (ids: readonly string[], direction: Direction) =>
    ids.find((id) => available.some((i) => i.id === id)) ??
    available.find((i) => i.direction === direction && full(i) && !isAbsolute(i.unit))?.id ??
    null;
  return {
    need: pick(preferred.gapNeed, 'need'),
    supply: pick(preferred.gapSupply, 'strength'),
  };
}

export interface LegendClass {
  index: number;
  color: string;
  /** Lower and upper bound of the class: values above `from` (the first class: from `from`) up to `to`. */
  from: number;
  to: number;
  count: number;
}

export interface Symbology {
  palette: PaletteId;
  classes: LegendClass[];
  /** The colour of an area's class, or null when it has no value (missing or suppressed). */
  colorOf: (code: string) => string | null;
  /** Changes whenever the colours of the areas do: for deck.gl's updateTriggers. */
  key: string;
  /** The diverging scheme's centre (the city value), else null. */
  centre: number | null;
}

/** Classes with their colours, from a values answer of the API (its lean form): the API's classes, never our own. */
export function symbologyOf(
  values: MapValues,
  indicator: Pick<CatalogueIndicator, 'id' | 'unit' | 'direction'>,
  chosen: PaletteId | null,
): Symbology {
  const palette = paletteFor(indicator, chosen);
  const { breaks, min, counts } = values.classification;
  const centre = isDiverging(palette) ? (values.city?.value ?? null) : null;
  const colors = classColors({ palette, breaks, min, centre });
  const classes = breaks.map((to, index) => ({
    index,
    color: colors[index] as string,
    from: index === 0 ? (min ?? to) : (breaks[index - 1] as number),
    to,
    count: counts[index] ?? 0,
  }));
  const byCode = new Map(values.values.map((v) => [v.code, v.class === null ? null : (colors[v.class] ?? null)]));
  return {
    palette,
    classes,
    colorOf: (code) => byCode.get(code) ?? null,
    key: `${values.indicator}|${values.level}|${values.date}|${breaks.join(',')}|${colors.join(',')}`,
    centre,
  };
}
