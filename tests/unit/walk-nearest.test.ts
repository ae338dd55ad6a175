import { describe, expect, it } from 'vitest';
import { rankOnFoot, walkCandidates } from '../../server/domain/walk/nearest.ts';

const rows = [
  { id: 'a', distance_m: 100 },
  { id: 'b', distance_m: 200 },
  { id: 'c', distance_m: 300 },
  { id: 'd', distance_m: 400 },
];

describe('nearest offers on foot', () => {
  it('keeps the straight-line order when asked, each with its walk', () => {
    const { rows: out, exact } = rankOnFoot(rows, [900, 250, null, 400], 'distance', 3, false);
    expect(out.map((r) => [r.id, r.walk_m])).toEqual([
      ['a', 900],
      ['b', 250],
      ['c', null],
    ]);
    expect(exact).toBe(true);
  });

  it('ranks by walk, unreachable last, and says whether no other offer can be nearer on foot', () => {
    const ranked = rankOnFoot(rows, [900, 250, null, 400], 'walk', 2, false);
    expect(ranked.rows.map((r) => r.id)).toEqual(['b', 'd']);
    // The second walk (400 m) is no longer than the farthest candidate's straight line (400 m): exact.
    expect(ranked.exact).toBe(true);
    const unsure = rankOnFoot(rows, [900, 250, null, 700], 'walk', 2, false);
    expect(unsure.rows.map((r) => r.id)).toEqual(['b', 'd']);
    expect(unsure.exact).toBe(false);
    expect(rankOnFoot(rows, [900, 250, null, 700], 'walk', 2, true).exact).toBe(true);
  });

  it('never answers a walk shorter than the straight line', () => {
    const { rows: out } = rankOnFoot(rows, [99.9999999, 200, 300.5, 400], 'distance', 4, true);
    for (const r of out) expect(r.walk_m).toBeGreaterThanOrEqual(r.distance_m);
  });

  it('looks at three times k candidates, at least k + 10, at most 200', () => {
    expect(walkCandidates(1)).toBe(11);
    expect(walkCandidates(10)).toBe(30);
    expect(walkCandidates(100)).toBe(200);
  });
});

describe('the network packed into one value', () => {
  it('gives back every array and the extra values as packed', async () => {
    const { pack, unpack } = await import('../../server/domain/walk/pack.ts');
    const arrays = {
      lon: Float64Array.from([7.1, 7.2, Number.NaN]),
      a: Int32Array.from([0, -1, 5, 7]),
      kind: Uint8Array.from([1, 2, 3]),
    };
    const bytes = pack(arrays, { kinds: ['footway', 'minor'], ids: ['kita-1'] });
    // Shifted by one byte, as a database answer may be.
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    const back = unpack(shifted.subarray(1));
    expect([...(back.arrays.lon as Float64Array)]).toEqual([7.1, 7.2, Number.NaN]);
    expect([...(back.arrays.a as Int32Array)]).toEqual([0, -1, 5, 7]);
    expect([...(back.arrays.kind as Uint8Array)]).toEqual([1, 2, 3]);
    expect(back.extra).toEqual({ kinds: ['footway', 'minor'], ids: ['kita-1'] });
  });
});
