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

/** The date after `current` in time, for playing through dates given newest first; null at the newest. */
export function nextDate(newestFirst: readonly string[], current: string | null): string | null {
  const i = current === null ? 0 : newestFirst.indexOf(current);
  if (i < 0) return newestFirst[newestFirst.length - 1] ?? null;
  return i === 0 ? null : (newestFirst[i - 1] ?? null);
}

/** An SVG path through the values (evenly spaced, scaled to the box); a null breaks the line. */
export function sparkline(values: readonly (number | null)[], width: number, height: number): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '';
  const min = Math.min(...known);
  const max = Math.max(...known);
  const x = (i: number) => (values.length === 1 ? width / 2 : (i * width) / (values.length - 1));
  const y = (v: number) => (max === min ? height / 2 : height - 2 - ((v - min) * (height - 4)) / (max - min));
  let path = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${round1(x(i))},${round1(y(v))}`;
    pen = true;
  });
  return path;
}

const round1 = (v: number) => Math.round(v * 10) / 10;
