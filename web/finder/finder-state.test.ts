import { describe, expect, it } from 'vitest';
import { finderParams, parseFinderState, parsePosition, toggleCategory } from './finder-state.ts';

const query = (params: Record<string, string | null>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== null)).toString();

describe('finder state in the URL', () => {
  it('round-trips place, categories and the open result', () => {
    const state = {
      place: { point: [7.46523, 51.51331] as [number, number], label: 'Friedensplatz 1', source: 'search' as const },
      categories: ['childcare', 'school'],
      selected: 'kita-123',
    };
    const params = finderParams(state);
    expect(params).toEqual({
      at: '7.46523,51.51331',
      place: 'Friedensplatz 1',
      from: null,
      cat: 'childcare,school',
      sel: 'kita-123',
    });
    expect(parseFinderState(`?${query(params)}`)).toEqual(state);
  });

  it('keeps how a place without a name was chosen', () => {
    const gps = parseFinderState('?at=7.4,51.5&from=gps');
    expect(gps.place).toEqual({ point: [7.4, 51.5], label: null, source: 'gps' });
    expect(finderParams(gps)).toMatchObject({ at: '7.40000,51.50000', from: 'gps', place: null });
    expect(parseFinderState('?at=7.4,51.5').place?.source).toBe('map');
  });

  it('ignores what a link cannot mean', () => {
    expect(parseFinderState('?at=abc&cat=childcare,,Bad!,childcare&sel=x')).toEqual({
      place: null,
      categories: ['childcare'],
      selected: null,
    });
    for (const text of ['', '7.4', '7.4,51.5,3', '200,51', '7,95', ',51', 'NaN,1']) {
      expect(parsePosition(text), text).toBeNull();
    }
    expect(parseFinderState('?at=7.4,51.5&sel=a%20b').selected).toBeNull();
  });

  it('removes every parameter when nothing is chosen', () => {
    expect(finderParams({ place: null, categories: [], selected: 'x' })).toEqual({
      at: null,
      place: null,
      from: null,
      cat: null,
      sel: null,
    });
  });

  it('toggles categories and keeps the order of the chips', () => {
    const all = ['childcare', 'school', 'library'];
    expect(toggleCategory([], 'library', all)).toEqual(['library']);
    expect(toggleCategory(['library'], 'childcare', all)).toEqual(['childcare', 'library']);
    expect(toggleCategory(['childcare', 'library'], 'childcare', all)).toEqual(['library']);
  });
});
