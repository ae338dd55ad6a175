import { describe, expect, it } from 'vitest';
import { finderParams, parseFinderState, parsePosition, toggleCategory } from './finder-state.ts';

const NO_FILTERS = { open: null, age: null, spoken: null, stepFree: false };
const NO_FILTER_PARAMS = { open: null, age: null, spoken: null, stepfree: null };

const query = (params: Record<string, string | null>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== null)).toString();

describe('finder state in the URL', () => {
  it('round-trips place, categories and the open result', () => {
    const state = {
      place: { point: [7.46523, 51.51331] as [number, number], label: 'Friedensplatz 1', source: 'search' as const },
      categories: ['childcare', 'school'],
      kinds: [],
      selected: 'kita-123',
      ...NO_FILTERS,
    };
    const params = finderParams(state);
    expect(params).toEqual({
      at: '7.46523,51.51331',
      place: 'Friedensplatz 1',
      from: null,
      cat: 'childcare,school',
      kind: null,
      sel: 'kita-123',
      ...NO_FILTER_PARAMS,
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
    expect(parseFinderState('?at=abc&cat=childcare,,Bad!,childcare&kind=doctor:general,Doc!,x:&sel=x')).toEqual({
      place: null,
      categories: ['childcare'],
      kinds: ['doctor:general'],
      selected: null,
      ...NO_FILTERS,
    });
    for (const text of ['', '7.4', '7.4,51.5,3', '200,51', '7,95', ',51', 'NaN,1']) {
      expect(parsePosition(text), text).toBeNull();
    }
    expect(parseFinderState('?at=7.4,51.5&sel=a%20b').selected).toBeNull();
  });

  it('removes every parameter when nothing is chosen', () => {
    expect(finderParams({ place: null, categories: [], kinds: [], selected: 'x', ...NO_FILTERS })).toEqual({
      at: null,
      place: null,
      from: null,
      cat: null,
      kind: null,
      sel: null,
      ...NO_FILTER_PARAMS,
    });
  });

  it('round-trips the kinds chosen within a category', () => {
    const state = parseFinderState('?at=7.4,51.5&cat=health&kind=doctor:paediatrics,pharmacy');
    expect(state.kinds).toEqual(['doctor:paediatrics', 'pharmacy']);
    expect(finderParams(state).kind).toBe('doctor:paediatrics,pharmacy');
  });

  it('round-trips the filters by what offer lists say, and ignores ones a link cannot mean', () => {
    const state = parseFinderState('?at=7.4,51.5&cat=youth&open=2026-12-11T19:30&age=4&spoken=tr&stepfree=1');
    expect(state).toMatchObject({ open: '2026-12-11T19:30', age: 4, spoken: 'tr', stepFree: true });
    expect(finderParams(state)).toMatchObject({ open: '2026-12-11T19:30', age: '4', spoken: 'tr', stepfree: '1' });
    expect(parseFinderState('?open=now').open).toBe('now');
    expect(parseFinderState('?open=friday&age=-1&spoken=Türkisch&stepfree=yes')).toMatchObject(NO_FILTERS);
    expect(parseFinderState('?age=121').age).toBeNull();
  });

  it('toggles categories and keeps the order of the chips', () => {
    const all = ['childcare', 'school', 'library'];
    expect(toggleCategory([], 'library', all)).toEqual(['library']);
    expect(toggleCategory(['library'], 'childcare', all)).toEqual(['childcare', 'library']);
    expect(toggleCategory(['childcare', 'library'], 'childcare', all)).toEqual(['library']);
  });
});
