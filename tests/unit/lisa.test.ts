import { describe, expect, it } from 'vitest';
import { fdrCutoff, LisaError, lisa } from '../../server/domain/lisa.ts';
import { dirichlet, normalCdf, seededRandom } from '../../server/domain/random.ts';

/** Rook or queen contiguity of a rows × cols lattice, cells coded r-c. */
function lattice(rows: number, cols: number, queen: boolean): Map<string, string[]> {
  const touches = new Map<string, string[]>();
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const list: string[] = [];
      for (let dr = -1; dr <= 1; dr++)
        for (let dc = -1; dc <= 1; dc++) {
          if ((dr === 0 && dc === 0) || (!queen && dr !== 0 && dc !== 0)) continue;
          const rr = r + dr;
          const cc = c + dc;
          if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) list.push(`${rr}-${cc}`);
        }
      touches.set(`${r}-${c}`, list);
    }
  return touches;
}

const NO_PERMS = { permutations: 0, seed: 1, alpha: 0.05, fdr: false };

describe('global Moran’s I on lattices computed by hand', () => {
  it('a 4×4 checkerboard with rook contiguity is perfectly dispersed: I = −1, E[I] = −1/15', () => {
    const touches = lattice(4, 4, false);
    const values = [...touches.keys()].map((code) => {
      const [r, c] = code.split('-').map(Number) as [number, number];
      return { code, value: (r + c) % 2 };
    });
    const result = lisa(values, touches, NO_PERMS);
    expect(result.global.i).toBeCloseTo(-1, 12);
    expect(result.global.expected).toBeCloseTo(-1 / 15, 12);
    expect(result.global.z_normal).toBeLessThan(-3);
    // Every cell is high among lows or low among highs.
    expect(new Set(result.areas.map((a) => a.quadrant))).toEqual(new Set(['high-low', 'low-high']));
    expect(result.neighbours).toEqual({ min: 2, max: 4, mean: 3 });
  });

  it('a 4×4 checkerboard with queen contiguity: diagonal neighbours share the colour', () => {
    // Corner (0,0) value 0: queen neighbours (0,1) 1, (1,0) 1, (1,1) 0 → lag of z = (+½ +½ −½)/3 with z = ±½.
    // By hand over the 16 cells: Σ zᵢ·lagᵢ = ¼ · Σ (same − other) / k = ¼ · (4·(−1/3) + 8·(−1/5) + 4·(0/8)) = −0.7333…
    // I = n/S0 · Σ zᵢ lagᵢ / Σ z² = 16/16 · (−0.73333) / 4 = −0.183333.
    const touches = lattice(4, 4, true);
    const values = [...touches.keys()].map((code) => {
      const [r, c] = code.split('-').map(Number) as [number, number];
      return { code, value: (r + c) % 2 };
    });
    expect(lisa(values, touches, NO_PERMS).global.i).toBeCloseTo(-0.183333333, 8);
  });

  it('two halves of a 4×4 lattice cluster: I is positive and its mean of local values matches', () => {
    const touches = lattice(4, 4, false);
    const values = [...touches.keys()].map((code) => ({ code, value: Number(code.split('-')[1]) < 2 ? 10 : 0 }));
    const result = lisa(values, touches, NO_PERMS);
    // By hand, z = ±½: Σ zᵢ lagᵢ = ¼ · Σ (same − other)/k. Columns 0 and 3: all neighbours the same → 1 each, 8;
    // columns 1 and 2: ends (2 − 1)/3, middles (3 − 1)/4 → 2·(1/3 + 1/2) each, 10/3. Σ = ¼ · 34/3; I = Σ / (Σ z² = 4) = 17/24.
    expect(result.global.i).toBeCloseTo(17 / 24, 12);
    const sumLocal = result.areas.reduce((s, a) => s + (a.local_i ?? 0), 0);
    expect(sumLocal / (result.n - 1)).toBeCloseTo(result.global.i, 12);
  });
});

describe('local Moran’s I against PySAL’s documented example (desmith.gal / desmith.txt)', () => {
  // pysal/examples/desmith.gal and desmith.txt (de Smith, Goodchild and Longley); esda's Moran_Local doctest gives
  // q = [4, 4, 4, 2, 3, 3, 1, 4, 3, 3] (1 HH, 2 LH, 3 LL, 4 HL) and the Is below, row-standardised weights.
  const y = [2.24, 3.1, 4.55, -5.15, -4.39, 0.46, 5.54, 9.02, -2.09, -3.06];
  const gal: Record<number, number[]> = {
    1: [2, 4],
    2: [1, 5],
    3: [4, 7],
    4: [1, 3, 5, 8],
    5: [2, 4, 6, 9],
    6: [5, 10],
    7: [3, 8],
    8: [4, 7, 9],
    9: [5, 8, 10],
    10: [6, 9],
  };
  const touches = new Map(Object.entries(gal).map(([k, v]) => [k, v.map(String)]));
  const values = y.map((value, i) => ({ code: String(i + 1), value }));
  const pysalIs = [
    -0.11409277, -0.19940543, -0.13351408, -0.51770383, 0.48095009, 0.12208113, 1.19148298, -0.58144305, 0.07101383,
    0.34314301,
  ];
  const QUAD = { 1: 'high-high', 2: 'low-high', 3: 'low-low', 4: 'high-low' } as const;

  it('gives PySAL’s local values and quadrants', () => {
    const result = lisa(values, touches, NO_PERMS);
    result.areas.forEach((a, i) => {
      expect(a.local_i).toBeCloseTo(pysalIs[i] as number, 7);
    });
    expect(result.areas.map((a) => a.quadrant)).toEqual(
      [4, 4, 4, 2, 3, 3, 1, 4, 3, 3].map((q) => QUAD[q as keyof typeof QUAD]),
    );
  });

  it('gives the same pseudo p-values for the same seed, others for another, all within (0, ½]', () => {
    const options = { permutations: 999, seed: 42, alpha: 0.05, fdr: false };
    const a = lisa(values, touches, options);
    const b = lisa(values, touches, options);
    const c = lisa(values, touches, { ...options, seed: 43 });
    expect(b).toEqual(a);
    expect(c.areas.map((x) => x.p_sim)).not.toEqual(a.areas.map((x) => x.p_sim));
    for (const area of a.areas) {
      expect(area.p_sim).toBeGreaterThanOrEqual(1 / 1000);
      expect(area.p_sim).toBeLessThanOrEqual(0.5 + 1 / 1000);
    }
    expect(a.global.p_sim).toBeGreaterThan(0);
    // A different draw moves a pseudo p-value by little: 999 permutations have a standard error of about 0.016.
    a.areas.forEach((x, i) => {
      expect(Math.abs((x.p_sim as number) - (c.areas[i]?.p_sim as number))).toBeLessThan(0.08);
    });
  });

  it('finds a planted cluster significant and a random pattern mostly not', () => {
    const touches = lattice(6, 6, true);
    const random = seededRandom(7);
    const cluster = [...touches.keys()].map((code) => {
      const [r, c] = code.split('-').map(Number) as [number, number];
      return { code, value: r < 3 && c < 3 ? 100 + random() : random() };
    });
    const result = lisa(cluster, touches, { permutations: 999, seed: 1, alpha: 0.05, fdr: false });
    expect(result.global.p_sim).toBeLessThan(0.01);
    expect(result.global.p_normal).toBeLessThan(0.01);
    expect(result.areas.find((a) => a.code === '1-1')).toMatchObject({ quadrant: 'high-high', significant: true });
    expect(result.areas.find((a) => a.code === '4-4')).toMatchObject({ quadrant: 'low-low' });
  });
});

describe('missing values, islands and the FDR cut-off', () => {
  it('leaves areas without a value out of the weights and names the islands they leave behind', () => {
    // A line a – b – c – d – e; c has no value, so b and d lose a neighbour; an area f touching only c is an island.
    const touches = new Map([
      ['a', ['b']],
      ['b', ['a', 'c']],
      ['c', ['b', 'd', 'f']],
      ['d', ['c', 'e']],
      ['e', ['d']],
      ['f', ['c']],
    ]);
    const values = [
      { code: 'a', value: 1 },
      { code: 'b', value: 2 },
      { code: 'c', value: null },
      { code: 'd', value: 8 },
      { code: 'e', value: 9 },
      { code: 'f', value: 5 },
    ];
    const result = lisa(values, touches, { permutations: 99, seed: 3, alpha: 0.05, fdr: false });
    expect(result.left_out).toEqual(['c']);
    expect(result.n).toBe(5);
    expect(result.islands).toEqual([{ code: 'f', touches: ['c'] }]);
    const f = result.areas.find((a) => a.code === 'f');
    expect(f).toMatchObject({ lag: null, local_i: null, quadrant: null, p_sim: null, significant: false });
    expect(result.areas.find((a) => a.code === 'b')?.neighbours).toEqual(['a']);
    // S0 = 4 (the island's row is empty): I = 5/4 · Σ zᵢ lagᵢ / Σ z².
    const mean = 5;
    const z = { a: -4, b: -3, d: 3, e: 4 };
    const cross = z.a * z.b + z.b * z.a + z.d * z.e + z.e * z.d;
    const sumZ2 = 16 + 9 + 9 + 16 + (5 - mean) ** 2;
    expect(result.global.i).toBeCloseTo(((5 / 4) * cross) / sumZ2, 12);
  });

  it('refuses fewer than three values and values that are all equal', () => {
    const touches = lattice(2, 2, true);
    expect(() =>
      lisa(
        [...touches.keys()].map((code) => ({ code, value: 3 })),
        touches,
        NO_PERMS,
      ),
    ).toThrow(LisaError);
    expect(() => lisa([{ code: '0-0', value: 1 }], touches, NO_PERMS)).toThrow(/at least 3/);
  });

  it('computes the Benjamini–Hochberg cut-off', () => {
    // Sorted p: 0.001 0.008 0.039 0.041 0.042 0.06 0.074 0.205; k·0.05/8: 0.00625 0.0125 0.01875 0.025 …
    // The largest k with p(k) < k·α/n is k = 2 (0.008 < 0.0125): cut-off 0.0125.
    expect(fdrCutoff([0.041, 0.001, 0.042, 0.06, 0.074, 0.205, 0.008, 0.039], 0.05)).toBeCloseTo(0.0125, 12);
    expect(fdrCutoff([0.5, 0.6], 0.05)).toBeCloseTo(0.025, 12);
  });
});

describe('seeded draws', () => {
  it('repeats a sequence for a seed and gives Dirichlet shares that sum to one around the weights', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
    const random = seededRandom(1);
    const sums = [0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const d = dirichlet([50, 30, 20], random);
      expect(d.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
      d.forEach((x, j) => {
        sums[j] = (sums[j] as number) + x;
      });
    }
    expect(sums.map((s) => s / 4000)).toEqual([expect.closeTo(0.5, 2), expect.closeTo(0.3, 2), expect.closeTo(0.2, 2)]);
  });

  it('gives the normal distribution function to 1e-6', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316, 6);
  });
});
