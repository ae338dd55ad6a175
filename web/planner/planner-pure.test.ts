import { describe, expect, it } from 'vitest';
import type { CatalogueIndicator, Gaps, IndicatorValues, MapValues } from '../api/client.ts';
import { sequentialColors } from '../layers/palettes.ts';
import {
  clearCard,
  freeRegion,
  geometryBounds,
  isCovered,
  mirrored,
  overlaps,
  paddingBeside,
  panInto,
  projectBounds,
  projectPoint,
  unprojectPoint,
} from './card-clearance.ts';
import { changeColors, changeRanges, nextDate, sparkline } from './change.ts';
import { csvField, fileName, toCsv } from './csv.ts';
import { stripTags } from './export-png.ts';
import { type Bound, boundText, GAP_COLUMNS, gapsToCsv, tercileRanges } from './gap-basis.ts';
import { barExtent, barScale } from './profile-bars.ts';
import { sameAnswer, shownView } from './shown.ts';
import { canDiverge, defaultIndicator, indicatorsAt, paletteFor, symbologyOf } from './symbology.ts';
import { rowsToCsv, sortRows, TABLE_COLUMNS, tableRows } from './table-rows.ts';

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

const values: MapValues = {
  indicator: 'x',
  level: 'quarter',
  date: null,
  method: null,
  min_count: 5,
  dates: ['2024'],
  city: { value: 25, reference_date: '2024' },
  values: [
    { code: '010', value: 5, class: 0 },
    { code: '020', value: 15, class: 1 },
    { code: '030', value: 35, class: 2 },
    { code: '040', value: null, class: null },
  ],
  classification: {
    method: 'quantile',
    classes_requested: 3,
    classes: 3,
    breaks: [10, 20, 40],
    min: 5,
    max: 40,
    counts: [1, 1, 1],
    merged: [],
  },
  missing: [{ code: '040', suppressed: true, reason: { de: 'fehlt', en: 'missing' } }],
};

/** The full answer of the same values, as the table gets it. */
const fullValues = {
  indicator: { id: 'x' },
  level: 'quarter',
  date: null,
  city: { ...area('city', 25, null), code: '05913000' },
  values: [area('010', 5, 0), area('020', 15, 1), area('030', 35, 2), area('040', null, null, true)],
  classification: {
    ...values.classification,
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
  const rows = tableRows(fullValues, new Map([['010', 'Innenstadt-West']]), (r) => r.en);

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

  const context = () => ({
    indicatorId: 'x',
    indicatorTitle: { de: 'Anteil; "zitiert"', en: 'Share, "quoted"' },
    unit: { de: '%', en: '%' },
    level: { de: 'Statistische Bezirke', en: 'quarter' },
    classification: { de: 'Quantile, 3', en: 'quantile, 3' },
    classes: symbologyOf(values, indicator('x'), null).classes,
    methodDe: (m: string) => (m === 'computed' ? 'berechnet' : m),
    sources: 'IT.NRW',
  });
  const lines = (csv: string) => {
    expect(csv.startsWith('\uFEFF')).toBe(true);
    return csv.slice(1).trimEnd().split('\r\n');
  };

  it('writes the German CSV: semicolons, decimal commas, German headers, every source named', () => {
    const rows2 = tableRows(
      { ...fullValues, values: fullValues.values.map((v) => (v.code === '030' ? { ...v, value: 35.25 } : v)) },
      new Map(),
      (r) => r.de,
    );
    const csv = lines(rowsToCsv(sortRows(rows2, 'value', true), context(), 'de'));
    expect(csv[0]).toBe(TABLE_COLUMNS.map((c) => c.de).join(';'));
    expect(csv[0]?.startsWith('Gebietsnummer;Gebiet;Stadtbezirk;Wert;Einheit;Klasse')).toBe(true);
    expect(csv).toHaveLength(5);
    expect(csv[1]).toBe(
      '030;Area 030;;35,25;%;3;20;40;nein;;2024;berechnet;Quartiersatlas (computed);x;"Anteil; ""zitiert""";Statistische Bezirke;Quantile, 3',
    );
    expect(csv[4]?.startsWith('040;Area 040;;;%;;;;ja;fehlt;')).toBe(true);
    // Every row names its source.
    for (const line of csv.slice(1)) expect(line).toContain('Quartiersatlas (computed)');
  });

  it('writes the international CSV: commas, decimal points, English headers', () => {
    const csv = lines(rowsToCsv(sortRows(rows, 'value', true), context(), 'intl'));
    expect(csv[0]).toBe(TABLE_COLUMNS.map((c) => c.en).join(','));
    expect(csv[0]?.startsWith('code,name,district,value,unit,class,class_from,class_to,suppressed')).toBe(true);
    expect(csv[1]).toBe(
      '030,Area 030,,35,%,3,20,40,false,,2024,computed,Quartiersatlas (computed),x,"Share, ""quoted""",quarter,"quantile, 3"',
    );
    expect(csv[4]?.startsWith('040,Area 040,,,%,,,,true,missing,')).toBe(true);
  });
});

describe('what the map shows', () => {
  const catalogue = [indicator('x'), indicator('y')];

  it('is the values answer with its own indicator, never the one just picked', () => {
    expect(shownView(values, 'quarter', catalogue)?.indicator.id).toBe('x');
    expect(shownView({ ...values, indicator: 'y' }, 'quarter', catalogue)?.indicator.id).toBe('y');
    // Values of another level than the areas drawn, or of an indicator the catalogue lacks: nothing to show.
    expect(shownView(values, 'district', catalogue)).toBeNull();
    expect(shownView({ ...values, indicator: 'z' }, 'quarter', catalogue)).toBeNull();
    expect(shownView(undefined, 'quarter', catalogue)).toBeNull();
  });

  it('pairs the table’s full answer with the map’s lean one only when they are the same answer', () => {
    expect(sameAnswer(fullValues, values)).toBe(true);
    expect(sameAnswer(fullValues, { ...values, indicator: 'y' })).toBe(false);
    expect(sameAnswer(fullValues, { ...values, level: 'district' })).toBe(false);
    expect(
      sameAnswer(fullValues, { ...values, classification: { ...values.classification, breaks: [12, 20, 40] } }),
    ).toBe(false);
  });
});

describe('csv', () => {
  it('quotes what needs it and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('a,b', 'de')).toBe('a,b');
    expect(csvField('a;b', 'de')).toBe('"a;b"');
    expect(csvField(-1.5, 'de')).toBe('-1,5');
    expect(csvField(true, 'de')).toBe('ja');
    expect(toCsv(['a', 'b'], [[1.5, 'x']], 'de')).toBe('\uFEFFa;b\r\n1,5;x\r\n');
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

describe('the card beside the selected area', () => {
  const view = [7.3, 51.4, 7.6, 51.6] as const;
  const size = { width: 1000, height: 800 };

  it('projects like the map: corners to corners, the middle longitude to the middle', () => {
    expect(projectPoint(view, size, [7.3, 51.6])).toEqual({ x: 0, y: 0 });
    const corner = projectPoint(view, size, [7.6, 51.4]);
    expect(corner.x).toBeCloseTo(1000, 6);
    expect(corner.y).toBeCloseTo(800, 6);
    expect(projectPoint(view, size, [7.45, 51.5]).x).toBeCloseTo(500, 6);
  });

  it('sees an area under the card, and leaves the card’s side free', () => {
    const card = { left: 600, top: 12, width: 380, height: 700 };
    expect(isCovered({ x: 700, y: 300 }, card)).toBe(true);
    expect(isCovered({ x: 300, y: 300 }, card)).toBe(false);
    expect(paddingBeside(size, card, 20)).toEqual({ top: 20, bottom: 20, left: 20, right: 420 });
    // A phone's card at the bottom: the area goes above it.
    const sheet = { left: 8, top: 400, width: 374, height: 380 };
    expect(paddingBeside({ width: 390, height: 800 }, sheet, 20)).toEqual({
      top: 20,
      bottom: 420,
      left: 20,
      right: 20,
    });
    // Right to left: the card on the left, the area to its right.
    expect(paddingBeside(size, { left: 20, top: 12, width: 380, height: 700 }, 20).left).toBe(420);
  });

  it('pans an area under the card into the free part, and back from pixels to places', () => {
    const card = { left: 600, top: 12, width: 380, height: 700 };
    const free = freeRegion(size, card, 20);
    expect(free).toEqual({ left: 20, top: 20, width: 560, height: 760 });
    // An area at x 650–750 moves left until its right edge is at 580.
    expect(panInto({ left: 650, top: 100, width: 100, height: 50 }, free)).toEqual({ dx: -170, dy: 0 });
    expect(panInto({ left: 100, top: 100, width: 100, height: 50 }, free)).toEqual({ dx: 0, dy: 0 });
    // Larger than the free part: its middle to the free part's middle.
    expect(panInto({ left: 0, top: 0, width: 700, height: 50 }, free).dx).toBe(-50);
    const [lon, lat] = unprojectPoint(view, size, projectPoint(view, size, [7.41, 51.47]));
    expect(lon).toBeCloseTo(7.41, 9);
    expect(lat).toBeCloseTo(51.47, 9);
  });

  it('docks the card on the other side when it covers the area there, and pans only where both sides would', () => {
    const card = { left: 600, top: 12, width: 380, height: 700 };
    expect(mirrored(size, card)).toEqual({ ...card, left: 20 });
    const sheet = { left: 8, top: 400, width: 374, height: 380 };
    expect(mirrored({ width: 390, height: 800 }, sheet)).toEqual({ ...sheet, top: 20 });
    const keep = { place: 'keep', maxHeight: null };
    expect(clearCard(size, card, { left: 100, top: 100, width: 50, height: 50 })).toEqual(keep);
    expect(clearCard(size, card, { left: 700, top: 100, width: 50, height: 50 })).toEqual({
      place: 'dock',
      maxHeight: null,
    });
    const wide = clearCard(size, card, { left: 300, top: 100, width: 500, height: 50 });
    expect(wide.place).toBe('pan');
    // A phone whose sheet covers the area wherever it lies: shortened to end above it, or docked at the top
    // and ending before it, whichever leaves more.
    const phone = { width: 390, height: 720 };
    const low = clearCard(
      phone,
      { left: 8, top: 270, width: 374, height: 430 },
      {
        left: 150,
        top: 430,
        width: 60,
        height: 80,
      },
    );
    expect(low).toEqual({ place: 'dock', maxHeight: 430 - 12 - 20 });
    const high = clearCard(
      phone,
      { left: 8, top: 270, width: 374, height: 430 },
      {
        left: 150,
        top: 250,
        width: 60,
        height: 80,
      },
    );
    expect(high).toEqual({ place: 'keep', maxHeight: 700 - 330 - 12 });
  });

  it('finds the bounds of a multipolygon and whether they meet the card', () => {
    const bounds = geometryBounds({
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [7.4, 51.5],
            [7.5, 51.5],
            [7.5, 51.55],
            [7.4, 51.5],
          ],
        ],
        [
          [
            [7.55, 51.45],
            [7.56, 51.45],
            [7.56, 51.46],
            [7.55, 51.45],
          ],
        ],
      ],
    });
    expect(bounds).toEqual([7.4, 51.45, 7.56, 51.55]);
    const rect = projectBounds(view, size, bounds as [number, number, number, number]);
    expect(overlaps(rect, { left: 900, top: 0, width: 100, height: 800 })).toBe(false);
    expect(overlaps(rect, { left: 500, top: 0, width: 100, height: 800 })).toBe(true);
  });
});

describe('the gap list’s basis', () => {
  const side = (breaks: [number, number] | null, inverted: boolean) =>
    ({ terciles: { breaks, constant: false, counts: [2, 2, 2], missing: 0 }, inverted }) as Gaps['need'];

  it('gives each tercile its bounds on the values as given, turned round for an inverted side', () => {
    const plain = tercileRanges(side([72.3, 85], false));
    const text = (b: Bound) => boundText(b, (v) => String(v).replace('.', ','));
    expect([plain?.low, plain?.mid, plain?.high].map((b) => text(b as Bound))).toEqual([
      '≤ 72,3',
      '> 72,3 – 85',
      '> 85',
    ]);
    // Low values mean high need (a coverage used as need): the high tercile is below the first bound.
    const inverted = tercileRanges(side([3.1, 4.2], true));
    expect([inverted?.low, inverted?.mid, inverted?.high].map((b) => text(b as Bound))).toEqual([
      '≥ 4,2',
      '3,1 – < 4,2',
      '< 3,1',
    ]);
    expect(tercileRanges(side(null, false))).toBeNull();
  });

  it('writes the ranked gaps as CSV with both values, dates, sources and the bounds used', () => {
    const summary = (id: string, unit: string) => ({
      id,
      unit,
      title: { de: `Titel ${id}`, en: `Title ${id}` },
      sources: [{ attribution: `Quelle ${id}` }],
    });
    const gaps = {
      level: 'quarter',
      need: { ...side([4, 6], false), indicator: summary('need_x', 'index 1–9') },
      supply: { ...side([72.3, 85], false), indicator: summary('supply_y', '%') },
      gaps: [
        {
          rank: 1,
          code: '070',
          name: 'Hostedde',
          need: 6.5,
          supply: 65.25,
          need_source: { method: 'modelled', reference_date: '2024/25', source: null, borrowed: null },
        },
      ],
    } as unknown as Gaps;
    const context = { supplyDates: ['2024-12-31'], methodDe: () => 'modelliert', unitDe: (u: string) => u };
    const de = gapsToCsv(gaps, context, 'de').slice(1).trimEnd().split('\r\n');
    expect(de[0]).toBe(GAP_COLUMNS.map((c) => c.de).join(';'));
    expect(de[1]).toBe(
      '1;070;Hostedde;6,5;index 1–9;65,25;%;Titel need_x;2024/25;modelliert;Quelle need_x;;> 6;Titel supply_y;2024-12-31;Quelle supply_y;≤ 72,3',
    );
    const intl = gapsToCsv(gaps, context, 'intl').slice(1).trimEnd().split('\r\n');
    expect(intl[0]?.startsWith('rank,code,name,need,need_unit,supply')).toBe(true);
    expect(intl[1]).toContain(',6.5,index 1–9,65.25,%,Title need_x,2024/25,modelled,');
    expect(intl[1]?.endsWith('Quelle supply_y,≤ 72.3')).toBe(true);
  });
});

describe('the change map (issue 15)', () => {
  it('colours the classes about zero: the middle neutral, falls and rises equally strong on each side', () => {
    const breaks = [-60, -20, 20, 60, 100];
    const colors = changeColors(breaks);
    expect(colors).toHaveLength(5);
    expect(new Set(colors).size).toBe(5);
    expect(changeRanges(breaks)).toEqual([
      [-100, -60],
      [-60, -20],
      [-20, 20],
      [20, 60],
      [60, 100],
    ]);
    // No change anywhere: one neutral class.
    expect(changeColors([0])).toHaveLength(1);
  });
});

describe('playing through dates (issue 15)', () => {
  it('steps from older to newer dates and stops at the newest', () => {
    const dates = ['2023-12-31', '2021', '1987'];
    expect(nextDate(dates, '1987')).toBe('2021');
    expect(nextDate(dates, '2021')).toBe('2023-12-31');
    expect(nextDate(dates, '2023-12-31')).toBeNull();
    expect(nextDate(dates, null)).toBeNull();
    expect(nextDate(dates, 'other')).toBe('1987');
  });
});

describe('the time series in the profile (issue 15)', () => {
  it('draws a line through the values, broken where one is withheld', () => {
    expect(sparkline([1, 3, 2], 100, 20)).toBe('M0,18L50,2L100,10');
    expect(sparkline([1, null, 2, 3], 90, 20)).toBe('M0,18M60,10L90,2');
    expect(sparkline([5, 5], 10, 20)).toBe('M0,10L10,10');
  });
});
