import { describe, expect, it } from 'vitest';
import { BIVARIATE_COLORS } from './bivariate.ts';
import {
  classColors,
  contrastRatio,
  divergingColors,
  hexToRgb,
  oklabToRgb,
  PALETTES,
  previewColors,
  rgbToHex,
  rgbToOklab,
  SEQUENTIAL_PALETTES,
  sequentialColors,
  textColorOn,
} from './palettes.ts';

const lightness = (hex: string) => rgbToOklab(hexToRgb(hex))[0];

describe('colour conversion', () => {
  it('round-trips sRGB through OKLab', () => {
    for (const hex of ['#000000', '#ffffff', '#1d5f8a', '#fdb863', '#7f3b08']) {
      expect(rgbToHex(oklabToRgb(rgbToOklab(hexToRgb(hex))))).toBe(hex);
    }
  });

  it('rejects what is not #rrggbb', () => {
    expect(() => hexToRgb('red')).toThrow(/#rrggbb/);
  });
});

describe('sequentialColors', () => {
  it.each(SEQUENTIAL_PALETTES)('%s gives 3 to 9 distinct colours, lighter to darker', (palette) => {
    for (let k = 3; k <= 9; k++) {
      const colors = sequentialColors(palette, k);
      expect(colors).toHaveLength(k);
      expect(new Set(colors).size).toBe(k);
      for (let i = 1; i < k; i++)
        expect(lightness(colors[i] as string)).toBeLessThan(lightness(colors[i - 1] as string));
    }
  });

  it('keeps neighbouring classes apart by a visible step even at nine classes', () => {
    for (const palette of SEQUENTIAL_PALETTES) {
      const colors = sequentialColors(palette, 9);
      for (let i = 1; i < 9; i++) {
        const [l1, a1, b1] = rgbToOklab(hexToRgb(colors[i - 1] as string));
        const [l2, a2, b2] = rgbToOklab(hexToRgb(colors[i] as string));
        expect(Math.hypot(l1 - l2, a1 - a2, b1 - b2), `${palette} ${i}`).toBeGreaterThan(0.03);
      }
    }
  });
});

describe('divergingColors', () => {
  it('gives the class holding the centre the neutral middle and darkens outwards on both sides', () => {
    // classes: [0,10] (10,20] (20,30] (30,40] (40,50], centre 25 lies in the third
    const colors = divergingColors('purple-orange', [10, 20, 30, 40, 50], 0, 25);
    expect(colors[2]).toBe('#f7f7f7');
    expect(lightness(colors[1] as string)).toBeGreaterThan(lightness(colors[0] as string));
    expect(lightness(colors[3] as string)).toBeGreaterThan(lightness(colors[4] as string));
    // purple below, orange above: blue-ish b < 0 below, yellow-ish b > 0 above
    expect(rgbToOklab(hexToRgb(colors[0] as string))[2]).toBeLessThan(0);
    expect(rgbToOklab(hexToRgb(colors[4] as string))[2]).toBeGreaterThan(0);
  });

  it('steps out at the same rate on both sides when the centre is off the middle', () => {
    // centre 5 lies in the first class; the others are all above it
    const colors = divergingColors('red-blue', [10, 20, 30, 40], 0, 5);
    const below = divergingColors('red-blue', [10, 20, 30, 40], 0, 35);
    expect(colors[0]).toBe('#f7f7f7');
    // one class above the centre looks like one class below it, mirrored
    expect(Math.abs(lightness(colors[1] as string) - lightness(below[2] as string))).toBeLessThan(0.06);
  });

  it('has no neutral class when the centre falls on a break', () => {
    const colors = divergingColors('purple-orange', [10, 20, 30, 40], 0, 20);
    expect(colors).not.toContain('#f7f7f7');
  });
});

describe('classColors', () => {
  it('falls back to a sequential scheme when a diverging one has no centre', () => {
    expect(classColors({ palette: 'purple-orange', breaks: [1, 2, 3], min: 0, centre: null })).toEqual(
      sequentialColors('grey-blue', 3),
    );
  });

  it('gives one colour per class for every palette', () => {
    for (const palette of PALETTES) {
      expect(classColors({ palette, breaks: [1, 2, 3, 4, 5], min: 0, centre: 2.5 })).toHaveLength(5);
      expect(previewColors(palette)).toHaveLength(5);
    }
  });
});

describe('text on colours (issue 19: WCAG 2.1 AA contrast)', () => {
  it('computes the WCAG contrast ratio', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // The ratio WebAIM's checker gives for #767676 on white, the lightest grey that passes AA.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('writes every class colour of every scheme and of the gap grid in a colour with AA contrast (4.5:1)', () => {
    const backgrounds = [
      ...BIVARIATE_COLORS,
      ...SEQUENTIAL_PALETTES.flatMap((id) => [3, 5, 7, 9].flatMap((k) => sequentialColors(id, k))),
      ...(['purple-orange', 'red-blue'] as const).flatMap((id) => divergingColors(id, [10, 20, 30, 40], 0, 25)),
    ];
    for (const background of backgrounds) {
      expect(contrastRatio(textColorOn(background), background), background).toBeGreaterThanOrEqual(4.5);
    }
  });
});
