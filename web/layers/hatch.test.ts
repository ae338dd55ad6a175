import { describe, expect, it } from 'vitest';
import { hatchSegments, hatchSpacing, metresPerPixel } from './hatch.ts';

// A square of 0.01° × 0.01° at the equator (cos(lat) = 1 there), with a hole in the middle.
const outer = [
  [0, 0],
  [0.01, 0],
  [0.01, 0.01],
  [0, 0.01],
  [0, 0],
];
const hole = [
  [0.004, 0.004],
  [0.006, 0.004],
  [0.006, 0.006],
  [0.004, 0.006],
  [0.004, 0.004],
];

const inside = (lon: number, lat: number, rings: number[][][]) => {
  let odd = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
};

describe('hatchSegments', () => {
  it('draws 45° segments whose midpoints lie inside the polygon and outside its hole', () => {
    const segments = hatchSegments([[outer, hole]], 0.001);
    expect(segments.length).toBeGreaterThan(15);
    for (const [[x0, y0], [x1, y1]] of segments) {
      expect(Math.abs(x1 - x0 - (y1 - y0))).toBeLessThan(1e-9); // slope 1
      expect(inside((x0 + x1) / 2, (y0 + y1) / 2, [outer, hole])).toBe(true);
    }
  });

  it('covers the polygon: the total length is about its area over the spacing', () => {
    const spacing = 0.0005;
    const segments = hatchSegments([[outer]], spacing);
    const length = segments.reduce((sum, [[x0, y0], [x1, y1]]) => sum + Math.hypot(x1 - x0, y1 - y0), 0);
    // Lines `spacing` apart measured along u − v = c are spacing/√2 apart on the map.
    expect(length).toBeCloseTo((0.0001 / spacing) * Math.SQRT2, 2);
  });

  it('puts the lines on a fixed grid, so that neighbouring areas line up', () => {
    const left = hatchSegments([[outer]], 0.002);
    const right = hatchSegments(
      [
        [
          [
            [0.01, 0],
            [0.02, 0],
            [0.02, 0.01],
            [0.01, 0.01],
            [0.01, 0],
          ],
        ],
      ],
      0.002,
    );
    const offsets = (segs: typeof left) => new Set(segs.map(([[x, y]]) => Math.round((x - y) / 0.002)));
    expect([...offsets(left)].some((c) => offsets(right).has(c))).toBe(true);
  });

  it('gives nothing for an empty geometry or no spacing', () => {
    expect(hatchSegments([], 0.001)).toEqual([]);
    expect(hatchSegments([[outer]], 0)).toEqual([]);
  });
});

describe('hatchSpacing', () => {
  it('halves with every zoom level', () => {
    expect(hatchSpacing(12, 51.5) / hatchSpacing(13, 51.5)).toBeCloseTo(2, 6);
    expect(metresPerPixel(0, 0)).toBeCloseTo(78271.5, 0);
  });
});
