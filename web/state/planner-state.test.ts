import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STATE,
  formatMapPosition,
  type PlannerState,
  parseMapPosition,
  parsePlannerState,
  plannerSearch,
  updateState,
} from './planner-state.ts';

describe('planner state in the URL', () => {
  const full: PlannerState = {
    view: 'table',
    indicator: 'coverage_childcare_500m',
    level: 'district',
    method: 'manual',
    classes: 4,
    breaks: [10, 20.5, 30],
    palette: 'purple-orange',
    date: '2024/25',
    since: '2021-12-31',
    offers: ['childcare', 'school'],
    actionAreas: true,
    need: 'school_social_index_nearest_primary',
    supply: 'coverage_childcare_500m',
    area: '05',
    compare: '07',
    offer: 'kita-11245',
    walk: [7.46533, 51.51361],
    sort: { key: 'name', descending: false },
    map: { lon: 7.46413, lat: 51.51331, zoom: 12.5 },
  };

  it('round-trips every field', () => {
    expect(parsePlannerState(plannerSearch(full))).toEqual(full);
  });

  it('writes nothing for the defaults and reads the defaults from an empty query', () => {
    expect(plannerSearch(DEFAULT_STATE)).toBe('');
    expect(parsePlannerState('')).toEqual(DEFAULT_STATE);
  });

  it('keeps parameters that are not its own, such as the language', () => {
    const search = plannerSearch({ ...DEFAULT_STATE, level: 'district' }, '?lang=en&level=quarter');
    const params = new URLSearchParams(search);
    expect(params.get('lang')).toBe('en');
    expect(params.get('level')).toBe('district');
  });

  it('falls back to the defaults for broken or unknown values', () => {
    const state = parsePlannerState(
      '?view=globe&level=city&method=magic&k=12&colors=rainbow&map=abc&sort=-height&offers=Kita,,childcare,childcare&ind=<script>',
    );
    expect(state.view).toBe('map');
    expect(state.level).toBe('quarter');
    expect(state.method).toBe('quantile');
    expect(state.classes).toBe(5);
    expect(state.palette).toBeNull();
    expect(state.map).toBeNull();
    expect(state.sort).toEqual({ key: 'value', descending: true });
    expect(state.offers).toEqual(['childcare']);
    expect(state.indicator).toBeNull();
  });

  it('drops manual classes whose cut points do not fit', () => {
    expect(parsePlannerState('?method=manual&k=4&breaks=1,2').method).toBe('quantile');
    expect(parsePlannerState('?method=manual&k=4&breaks=3,2,1').method).toBe('quantile');
    expect(parsePlannerState('?method=manual&k=3&breaks=1,2')).toMatchObject({ method: 'manual', breaks: [1, 2] });
  });

  it('reads a walking catchment point as lon,lat and drops a broken one (issue 16)', () => {
    expect(parsePlannerState('?walk=7.46533,51.51361').walk).toEqual([7.46533, 51.51361]);
    for (const text of ['7.4', '7.4,', 'a,b', '190,51', '7.4,91', '7.4,51,3'])
      expect(parsePlannerState(`?walk=${encodeURIComponent(text)}`).walk).toBeNull();
    expect(new URLSearchParams(plannerSearch({ ...DEFAULT_STATE, walk: [7.465331234, 51.5136149] })).get('walk')).toBe(
      '7.46533,51.51361',
    );
  });

  it('has no comparison without a selected area', () => {
    expect(parsePlannerState('?cmp=050').compare).toBeNull();
  });
});

describe('map position', () => {
  it('reads zoom/lat/lon and rejects what is out of range', () => {
    expect(parseMapPosition('12/51.5/7.4')).toEqual({ zoom: 12, lat: 51.5, lon: 7.4 });
    expect(parseMapPosition('12/95/7.4')).toBeNull();
    expect(parseMapPosition('12/51.5')).toBeNull();
    expect(parseMapPosition('12//7')).toBeNull();
  });

  it('writes about a metre of precision for the zoom', () => {
    expect(formatMapPosition({ zoom: 10.6943, lat: 51.505123456, lon: 7.470123456 })).toBe('10.69/51.50512/7.47012');
    expect(formatMapPosition({ zoom: 16, lat: 51.505123456, lon: 7.470123456 })).toBe('16/51.505123/7.470123');
  });
});

describe('updateState', () => {
  it('clears the selection when the level changes', () => {
    const next = updateState({ ...DEFAULT_STATE, area: '050', compare: '060' }, { level: 'district' });
    expect(next.area).toBeNull();
    expect(next.compare).toBeNull();
  });

  it('leaves manual classes when the indicator changes, and forgets the date', () => {
    const next = updateState(
      { ...DEFAULT_STATE, method: 'manual', classes: 3, breaks: [1, 2], date: '2018' },
      { indicator: 'x' },
    );
    expect(next).toMatchObject({ method: 'quantile', breaks: null, date: null });
  });

  it('drops cut points of another number of classes', () => {
    const next = updateState({ ...DEFAULT_STATE, method: 'manual', classes: 3, breaks: [1, 2] }, { classes: 5 });
    expect(next.breaks).toBeNull();
  });

  it('never compares an area with itself', () => {
    expect(updateState({ ...DEFAULT_STATE, area: '050' }, { compare: '050' }).compare).toBeNull();
  });
});
