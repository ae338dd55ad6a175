/**
 * Colour schemes for classed maps. Pure functions, no deck.gl.
 *
 * The sequential and diverging schemes run through the anchor colours of ColorBrewer schemes that are marked
 * safe for colour-blind readers (YlGnBu, YlOrRd, PuOr, Blues) and of viridis; k classes are sampled from them
 * at even steps with interpolation in OKLab, so neighbouring classes differ by about the same perceived amount.
 * ColorBrewer colour specifications: Cynthia Brewer, Mark Harrower and The Pennsylvania State University
 * (Apache-2.0). viridis: Stéfan van der Walt and Nathaniel Smith (CC0).
 */

export type RGB = [r: number, g: number, b: number];
export type RGBA = [r: number, g: number, b: number, a: number];

export const SEQUENTIAL_PALETTES = ['blue', 'orange', 'viridis', 'grey-blue'] as const;
export type SequentialPalette = (typeof SEQUENTIAL_PALETTES)[number];
export const DIVERGING_PALETTES = ['purple-orange', 'red-blue'] as const;
export type DivergingPalette = (typeof DIVERGING_PALETTES)[number];
export type PaletteId = SequentialPalette | DivergingPalette;
export const PALETTES: readonly PaletteId[] = [...SEQUENTIAL_PALETTES, ...DIVERGING_PALETTES];

/** Light to dark. */
const SEQUENTIAL_ANCHORS: Record<SequentialPalette, { colors: string[]; from: number; to: number }> = {
  // YlGnBu
  blue: {
    colors: ['#ffffd9', '#edf8b1', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#253494', '#081d58'],
    from: 0.06,
    to: 0.92,
  },
  // YlOrRd, without its last, blood-red step: calmer for need indicators
  orange: {
    colors: ['#ffffcc', '#ffeda0', '#fed976', '#feb24c', '#fd8d3c', '#fc4e2a', '#e31a1c', '#bd0026', '#800026'],
    from: 0.04,
    to: 0.8,
  },
  // viridis, reversed so that light means low
  viridis: {
    colors: ['#fde725', '#b5de2b', '#6ece58', '#35b779', '#1f9e89', '#26828e', '#31688e', '#3e4989', '#482878'],
    from: 0,
    to: 1,
  },
  // Blues
  'grey-blue': {
    colors: ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'],
    from: 0.08,
    to: 0.96,
  },
};

/** Low end, centre, high end. */
const DIVERGING_ANCHORS: Record<DivergingPalette, string[]> = {
  // PuOr: purple below the centre, orange above
  'purple-orange': [
    '#2d004b',
    '#542788',
    '#8073ac',
    '#b2abd2',
    '#d8daeb',
    '#f7f7f7',
    '#fee0b6',
    '#fdb863',
    '#e08214',
    '#b35806',
    '#7f3b08',
  ],
  // RdBu: blue below, red above
  'red-blue': [
    '#053061',
    '#2166ac',
    '#4393c3',
    '#92c5de',
    '#d1e5f0',
    '#f7f7f7',
    '#fddbc7',
    '#f4a582',
    '#d6604d',
    '#b2182b',
    '#67001f',
  ],
};

export function isDiverging(id: PaletteId): id is DivergingPalette {
  return (DIVERGING_PALETTES as readonly string[]).includes(id);
}

export function isPaletteId(value: unknown): value is PaletteId {
  return typeof value === 'string' && (PALETTES as readonly string[]).includes(value);
}

// --- colour arithmetic ---------------------------------------------------------------------------

export function hexToRgb(hex: string): RGB {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [
    Number.parseInt(m[1] as string, 16),
    Number.parseInt(m[2] as string, 16),
    Number.parseInt(m[3] as string, 16),
  ];
}

/** The relative luminance of an sRGB colour (WCAG 2.1, 1.4.3). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = hexToRgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as RGB;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Text colours written on a coloured background: the page's dark ink or white. */
export const INK = '#1f2328';
export const PAPER = '#ffffff';

/**
 * The text colour for `background`: the page's ink or white where either reaches the AA ratio (4.5:1; ink
 * preferred), else black or white, whichever contrasts more (mid tones such as the gap grid's purple).
 */
export function textColorOn(background: string): string {
  for (const color of [INK, PAPER]) if (contrastRatio(color, background) >= 4.5) return color;
  return contrastRatio('#000000', background) >= contrastRatio(PAPER, background) ? '#000000' : PAPER;
}

export function rgbToHex([r, g, b]: RGB | RGBA): string {
  return `#${[r, g, b]
    .map((v) =>
      Math.round(Math.min(255, Math.max(0, v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

const toLinear = (c: number) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const fromLinear = (v: number) => 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);

type Lab = [number, number, number];

/** sRGB to OKLab (Björn Ottosson, 2020). */
export function rgbToOklab([r, g, b]: RGB): Lab {
  const lr = toLinear(r);
  const lg = toLinear(g);
  const lb = toLinear(b);
  const l = Math.cbrt(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
  const m = Math.cbrt(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
  const s = Math.cbrt(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

export function oklabToRgb([L, a, b]: Lab): RGB {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const rgb: RGB = [
    fromLinear(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
    fromLinear(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
    fromLinear(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s),
  ];
  return rgb.map((v) => Math.round(Math.min(255, Math.max(0, v)))) as RGB;
}

/** The colour at position t (0..1) along a ramp of anchor colours, interpolated in OKLab. */
export function sampleRamp(anchors: readonly string[], t: number): RGB {
  const n = anchors.length - 1;
  const x = Math.min(1, Math.max(0, t)) * n;
  const i = Math.min(n - 1, Math.floor(x));
  const f = x - i;
  const a = rgbToOklab(hexToRgb(anchors[i] as string));
  const b = rgbToOklab(hexToRgb(anchors[i + 1] as string));
  return oklabToRgb([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
}

// --- class colours -------------------------------------------------------------------------------

/** k colours of a sequential palette, light (low values) to dark (high values). */
export function sequentialColors(id: SequentialPalette, k: number): string[] {
  const { colors, from, to } = SEQUENTIAL_ANCHORS[id];
  if (k <= 1) return [rgbToHex(sampleRamp(colors, (from + to) / 2))];
  return Array.from({ length: k }, (_, i) => rgbToHex(sampleRamp(colors, from + ((to - from) * i) / (k - 1))));
}

/**
 * Colours of classes around a centre (usually the city value). `breaks` are the upper bounds of the classes,
 * as the API gives them, and `min` the lowest value. Classes wholly below the centre take the low side, classes
 * wholly above it the high side, a class holding the centre the neutral middle. Both sides step out at the same
 * rate, so equal distance from the centre in classes looks equally strong whichever side it is on.
 */
export function divergingColors(
  id: DivergingPalette,
  breaks: readonly number[],
  min: number,
  centre: number,
): string[] {
  const anchors = DIVERGING_ANCHORS[id];
  // -1 below the centre, 1 above it, 0 holding it. A class holds (lower, upper]; the first one [min, upper].
  // A class whose upper bound is the centre holds values at or below it: it counts as below, unless it is the
  // centre alone.
  const side = breaks.map((upper, i) => {
    const lower = i === 0 ? min : (breaks[i - 1] as number);
    if (upper < centre || (upper === centre && lower < centre)) return -1;
    return lower > centre || (i > 0 && lower >= centre) ? 1 : 0;
  });
  const below = side.filter((s) => s < 0).length;
  const firstAbove = side.indexOf(1);
  const above = firstAbove < 0 ? 0 : side.length - firstAbove;
  const hasMiddle = side.includes(0);
  const steps = Math.max(below, above, 1);
  // How far towards the dark ends a class goes: the outermost possible class reaches 92 %. Without a neutral
  // class the first step out of the centre starts half a step from it.
  const offset = hasMiddle ? 0 : 0.5;
  const reach = (rank: number) => (0.92 * (rank - offset)) / (steps - offset);
  return side.map((s, i) => {
    if (s === 0) return rgbToHex(sampleRamp(anchors, 0.5));
    const rank = s < 0 ? below - i : i - firstAbove + 1;
    const t = reach(rank) / 2;
    return rgbToHex(sampleRamp(anchors, s < 0 ? 0.5 - t : 0.5 + t));
  });
}

/** A few colours of a palette, low to high, for a preview swatch. */
export function previewColors(id: PaletteId, n = 5): string[] {
  if (!isDiverging(id)) return sequentialColors(id, n);
  return Array.from({ length: n }, (_, i) => rgbToHex(sampleRamp(DIVERGING_ANCHORS[id], 0.08 + (0.84 * i) / (n - 1))));
}

export interface ClassPaletteOptions {
  palette: PaletteId;
  /** Upper bounds of the classes (their number is the number of classes). */
  breaks: readonly number[];
  min: number | null;
  /** The centre of a diverging palette; ignored by sequential ones. */
  centre?: number | null;
}

/** The colour of each class, for the map, the legend and the PNG export alike. */
export function classColors({ palette, breaks, min, centre }: ClassPaletteOptions): string[] {
  if (isDiverging(palette)) {
    if (centre === null || centre === undefined || min === null || breaks.length === 0) {
      return sequentialColors('grey-blue', breaks.length);
    }
    return divergingColors(palette, breaks, min, centre);
  }
  return sequentialColors(palette, breaks.length);
}

/** The fill of areas without a value: a light warm grey, drawn with a hatching on top. */
export const NO_DATA_FILL = '#e4e1dc';
export const NO_DATA_HATCH = '#9a948b';

/** `#rrggbb` to deck.gl's [r, g, b, a]. */
export function rgba(hex: string, alpha = 255): RGBA {
  const [r, g, b] = hexToRgb(hex);
  return [r, g, b, alpha];
}
