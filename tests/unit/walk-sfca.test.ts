import { describe, expect, it } from 'vitest';
import { twoStepFca } from '../../server/domain/walk/sfca.ts';

describe('two-step floating catchment area (2SFCA)', () => {
  it('shares places over the people in reach, worked by hand', () => {
    // Kita 0 with 30 places reaches homes 0 (100 people) and 1 (50 people); Kita 1 with 10 places reaches homes
    // 1 and 2 (50 people); home 2 is 900 m from Kita 0, beyond the 800 m catchment.
    //   R_0 = 30 / (100 + 50) = 0.2;  R_1 = 10 / (50 + 50) = 0.1
    //   A_0 = 0.2;  A_1 = 0.2 + 0.1 = 0.3;  A_2 = 0.1
    const pairs = [
      { site: 0, home: 0, m: 300 },
      { site: 0, home: 1, m: 700 },
      { site: 1, home: 1, m: 800 },
      { site: 1, home: 2, m: 100 },
      { site: 0, home: 2, m: 900 },
    ];
    const { ratio, access } = twoStepFca([30, 10], [100, 50, 50], pairs, 800);
    expect([...ratio]).toEqual([0.2, 0.1].map((v) => expect.closeTo(v, 12)));
    expect([...access]).toEqual([0.2, 0.3, 0.1].map((v) => expect.closeTo(v, 12)));
    // The population-weighted mean: (100·0.2 + 50·0.3 + 50·0.1) / 200 = 0.2 places per person; all 40 places are
    // shared out once.
    const people = [100, 50, 50];
    const placed = people.reduce((s, p, i) => s + p * (access[i] as number), 0);
    expect(placed).toBeCloseTo(40, 10);
    expect(placed / 200).toBeCloseTo(0.2, 12);
  });

  it('gives a Kita nobody reaches no share and a home nothing reaches nothing', () => {
    const { ratio, access } = twoStepFca([20, 5], [10, 10], [{ site: 0, home: 0, m: 100 }], 800);
    expect(ratio[0]).toBe(2);
    expect(Number.isNaN(ratio[1])).toBe(true);
    expect([...access]).toEqual([2, 0]);
  });
});
