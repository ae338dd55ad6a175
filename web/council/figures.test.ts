import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/index.ts';
import { citationsOf, formatCell, formatFigure } from './figures.ts';
import { changeText } from './key-figures.tsx';

const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
  translate('de', key, params);

describe('decimals', () => {
  it('are those of the unit, as on every page, whatever the value', () => {
    expect(formatFigure(3.19, '%', 'de', t)).toBe('3,2\u202f%');
    expect(formatFigure(96.0957, '%', 'de', t)).toBe('96,1\u202f%');
    expect(formatFigure(26369.4, 'persons', 'de', t)).toBe('26.369\u202fPersonen');
  });
});

describe('formatFigure and formatCell', () => {
  it('writes the unit in German after the number, "1 Stufe" in the singular', () => {
    expect(formatFigure(26369, 'persons', 'de', t, 0)).toBe('26.369\u202fPersonen');
    expect(formatFigure(1, 'stages', 'de', t, 0)).toBe('1\u202fStufe');
    expect(formatFigure(2, 'stages', 'de', t, 0)).toBe('2\u202fStufen');
    expect(formatFigure(null, '%', 'de', t)).toBe('–');
  });

  it('keeps only % in table cells', () => {
    expect(formatCell(96.0957, '%', 'de', 1)).toBe('96,1\u202f%');
    expect(formatCell(131.772, 'places per 1,000 residents', 'de', 1)).toBe('131,8');
    expect(formatCell(131.772, 'places per 1,000 residents', 'en', 1)).toBe('131.8');
  });
});

describe('citationsOf', () => {
  const atlas = { id: 'quartiersatlas', title: 'Quartiersatlas', url: null };
  const inputs = [
    { id: 'do-addresses', title: 'Adressen', url: 'https://open-data.dortmund.de' },
    { id: 'nrw-schools', title: 'Schulen', url: null },
  ];

  it('cites the data a computed or modelled value comes from, then who computed it', () => {
    expect(citationsOf(atlas, 'computed', inputs).map((c) => c.id)).toEqual([
      'do-addresses',
      'nrw-schools',
      'quartiersatlas',
    ]);
    expect(citationsOf(atlas, 'modelled', []).map((c) => c.id)).toEqual(['quartiersatlas']);
  });

  it('cites a published value by the page it was taken from', () => {
    const page = { id: 'published-figures', title: 'Published', url: 'https://example.org/p' };
    expect(citationsOf(page, 'published', [{ id: 'published-figures', title: 'Published', url: null }])).toEqual([
      page,
    ]);
    expect(citationsOf(null, 'published', inputs).map((c) => c.id)).toEqual(['do-addresses', 'nrw-schools']);
  });
});

describe('the change of a key figure (issue 15)', () => {
  it('has its sign and unit, percentage points for a share', () => {
    expect(changeText({ from: '2021', to: '2023', absolute: 1234, unit: 'persons' }, 'de', t, 0)).toBe(
      '+1.234\u202fPersonen',
    );
    expect(changeText({ from: '2021', to: '2023', absolute: -1.5, unit: '%' }, 'de', t, 1)).toBe('−1,5 Prozentpunkte');
    expect(changeText({ from: '2021', to: '2023', absolute: 0, unit: '%' }, 'de', t, 1)).toBe('±0,0 Prozentpunkte');
  });
});
