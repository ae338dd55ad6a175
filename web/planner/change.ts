import { divergingColors } from '../layers/palettes.ts';

/**
 * The change map's colours and words (issue 15), pure. The API classes a change symmetrically about zero (an odd
 * number of classes, the middle one holding "about no change"); the colours diverge from a neutral middle,
 * purple for a fall, orange for a rise, equally strong at equal distance from zero.
 */

/** One colour per class, for the classes' upper bounds as the API gives them. */
export function changeColors(breaks: readonly number[]): string[] {
  if (breaks.length < 2) return divergingColors('purple-orange', [0], -1, 0);
  const width = (breaks[1] as number) - (breaks[0] as number);
  return divergingColors('purple-orange', breaks, (breaks[0] as number) - width, 0);
}

/** The classes as ranges, lowest first: [lower, upper] with the lowest class starting at −(largest bound). */
export function changeRanges(breaks: readonly number[]): [number, number][] {
  if (breaks.length === 0) return [];
  const top = breaks[breaks.length - 1] as number;
  return breaks.map((upper, i) => [i === 0 ? -top : (breaks[i - 1] as number), upper]);
}
