import { describe, expect, it } from 'vitest';
import type { CatalogueIndicator, IndicatorValues } from '../api/client.ts';
import { sequentialColors } from '../layers/palettes.ts';
import { csvField, fileName, toCsv } from './csv.ts';
import { stripTags } from './export-png.ts';
import { barExtent, barScale } from './profile-bars.ts';
import { canDiverge, defaultIndicator, indicatorsAt, paletteFor, symbologyOf } from './symbology.ts';
import { CSV_HEADER, rowsToCsv, sortRows, tableRows } from './table-rows.ts';

const indicator = (id: string, patch: Partial<CatalogueIndicator> = {}) =>
  ({
    id,
    theme: 'social',
    unit: '%',
    direction: 'neutral',
    levels: [{ level: 'quarter', dates: ['2024'], latest_dates: ['2024'], areas: 62, with_value: 62 }],
    ...patch,
  }) as CatalogueIndicator;

const area = (code: string, value: number | null, cls: number | null, suppressed = false) => ({
  code,
  name: `Area ${code}`,
  value,
  reference_date: '2024',
  method: 'computed' as const,
  source: { id: 'q', title: 'Q', attribution: 'Quartiersatlas (computed)', url: null, quote: null },
  note: null,
  basis_count: null,
  suppressed,
  reason: value === null ? { de: 'fehlt', en: 'missing' } : null,
  class: cls,
});

const values = {
  indicator: { id: 'x' },
  level: 'quarter',
  date: null,
  city: { ...area('city', 25, null), code: '05913000' },
  values: [area('010', 5, 0), area('020', 15, 1), area('030', 35, 2), area('040', null, null, true)],
  classification: {
    method: 'quantile',
    classes_requested: 3,
    classes: 3,
    breaks: [10, 20, 40],
    min: 5,
    max: 40,
    counts: [1, 1, 1],
    missing: [{ code: '040', name: 'Area 040', reason: { de: 'fehlt', en: 'missing' } }],
  },
} as unknown as IndicatorValues;

describe('symbology', () => {
  it('colours every area by the class the API gives it, and areas without a value not at all', () => {
    const s = symbologyOf(values, indicator('x', { direction: 'need' }), null);
    const colors = sequentialColors('orange', 3);
    expect(s.palette).toBe('orange');
    expect(s.classes.map((c) => c.color)).toEqual(colors);
    expect(s.colorOf('010')).toBe(colors[0]);
    expect(s.colorOf('030')).toBe(colors[2]);
    expect(s.colorOf('040')).toBeNull();
    expect(s.classes.map((c) => [c.from, c.to, c.count])).toEqual([
      [5, 10, 1],
      [10, 20, 1],
      [20, 40, 1],
    ]);
  });

  it('centres a diverging scheme on the city value', () => {
    const s = symbologyOf(values, indicator('x'), 'purple-orange');
    expect(s.centre).toBe(25);
    expect(s.classes[2]?.color).toBe('#f7f7f7');
  });

  it('offers diverging schemes only where the city value is a centre', () => {
    expect(canDiverge(indicator('x', { unit: 'persons' }))).toBe(false);
    expect(paletteFor(indicator('x', { unit: 'persons', direction: 'strength' }), 'red-blue')).toBe('blue');
    expect(paletteFor(indicator('income', { unit: '% vs. city' }), null)).toBe('purple-orange');
  });

  it('lists the indicators a level has values for, and picks a default among them', () => {
    const list = [
      indicator('a', { levels: [] }),
      indicator('b'),
      indicator('coverage_childcare_500m', {
        levels: [{ level: 'district', dates: [], latest_dates: [], areas: 12, with_value: 12 }],
      }),
    ];
    expect(indicatorsAt(list, 'quarter').map((i) => i.id)).toEqual(['b']);
    const preferred = ['school_social_index_nearest_primary', 'coverage_childcare_500m'];
    // The first preferred indicator the level has; without one, the one with values for most areas.
    expect(defaultIndicator(list, 'quarter', preferred)).toBe('b');
    expect(defaultIndicator(list, 'district', preferred)).toBe('coverage_childcare_500m');
    expect(defaultIndicator(list, 'district', [])).toBe('coverage_childcare_500m');
    expect(defaultIndicator(list, 'quarter', ['b', 'a'])).toBe('b');
  });
});

describe('table rows', () => {
  const rows = tableRows(values, new Map([['010', 'Innenstadt-West']]), (r) => r.en);

  it('lists every area with its value, class and reason', () => {
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ code: '010', parent: 'Innenstadt-West', value: 5, cls: 0 });
    expect(rows[3]).toMatchObject({ code: '040', value: null, suppressed: true, reason: 'missing' });
  });

  it('sorts by value either way, areas without a value always last', () => {
    expect(sortRows(rows, 'value', true).map((r) => r.code)).toEqual(['030', '020', '010', '040']);
    expect(sortRows(rows, 'value', false).map((r) => r.code)).toEqual(['010', '020', '030', '040']);
    expect(sortRows(rows, 'code', true).map((r) => r.code)).toEqual(['040', '030', '020', '010']);
  });

  it('writes the CSV with source, date, method and classification on every row', () => {
    const s = symbologyOf(values, indicator('x'), null);
    const csv = rowsToCsv(sortRows(rows, 'value', true), {
      indicatorId: 'x',
      indicatorTitle: 'Share, "quoted"',
      unit: '%',
      level: 'quarter',
      classification: 'quantile, 3',
      classes: s.classes,
      sources: 'IT.NRW',
    });
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(
      '030,Area 030,,35,%,3,20,40,false,,2024,computed,Quartiersatlas (computed),x,"Share, ""quoted""",quarter,"quantile, 3"',
    );
    expect(lines[4]?.startsWith('040,Area 040,,,%,,,,true,missing,')).toBe(true);
  });
});

describe('csv', () => {
  it('quotes what needs it and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('=SUM(A1)')).toBe(`"'=SUM(A1)"`);
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(null)).toBe('');
    expect(toCsv(['a'], [[1]])).toBe('\uFEFFa\r\n1\r\n');
  });

  it('makes ASCII file names', () => {
    expect(fileName('Dortmund', 'Kirchhörde-Löttringhausen', 'Straße')).toBe(
      'dortmund-kirchhorde-lottringhausen-strasse',
    );
  });
});

describe('profile bars', () => {
  it('scales from zero to the largest value', () => {
    const scale = barScale([50, 100, null]);
    expect(scale?.zero).toBe(0);
    expect(scale?.at(50)).toBe(50);
    expect(scale && barExtent(scale, 100)).toEqual({ left: 0, width: 100 });
  });

  it('puts zero inside the row for negative values', () => {
    const scale = barScale([-50, 150]);
    expect(scale?.zero).toBe(25);
    expect(scale && barExtent(scale, -50)).toEqual({ left: 0, width: 25 });
  });

  it('has no scale without values', () => {
    expect(barScale([null, undefined])).toBeNull();
  });
});

describe('attribution text', () => {
  it('keeps the text of HTML attributions', () => {
    expect(stripTags('<a href="https://x">© OpenStreetMap contributors</a> (ODbL)')).toBe(
      '© OpenStreetMap contributors (ODbL)',
    );
  });
});
