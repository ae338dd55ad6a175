import { describe, expect, it } from 'vitest';
import {
  decimalsFor,
  formatDate,
  formatDistance,
  formatNumber,
  formatNumberUpTo,
  formatRange,
  formatRank,
  formatShare,
  formatValue,
} from './format.ts';
import { translate } from './i18n/index.ts';

describe('formatNumber', () => {
  it('writes numbers as each language does', () => {
    expect(formatNumber(1234.5, 'de', 1)).toBe('1.234,5');
    expect(formatNumber(1234.5, 'en', 1)).toBe('1,234.5');
    expect(formatNumber(1234.5, 'tr', 1)).toBe('1.234,5');
    expect(formatNumber(1234.5, 'ar', 1)).toMatch(/^1[,٬]234[.٫]5$/);
  });

  it('chooses decimals by magnitude and by how close values lie', () => {
    expect(decimalsFor([1234, 5678])).toBe(0);
    expect(decimalsFor([12.3, 45.6])).toBe(1);
    expect(decimalsFor([0.12, 0.5])).toBe(2);
    expect(decimalsFor([5.281, 5.288, 7])).toBe(3);
    expect(decimalsFor([1, 2, 3])).toBe(0);
    expect(decimalsFor([])).toBe(0);
  });
});

describe('formatValue', () => {
  it('puts a narrow space before the unit and a dash for a missing value', () => {
    expect(formatValue(12.34, '%', 'de')).toBe('12,3\u202f%');
    expect(formatValue(null, '%', 'de')).toBe('–');
    expect(formatValue(5, '', 'en')).toBe('5');
  });

  it('writes a class range', () => {
    expect(formatRange(1, 2.5, 'de', 1)).toBe('1,0 – 2,5');
  });
});

describe('formatDate', () => {
  it('keeps the precision of the reference date', () => {
    expect(formatDate('2023', 'de')).toBe('2023');
    expect(formatDate('2024/25', 'de')).toBe('2024/25');
    expect(formatDate('2023-12-31', 'de')).toBe('31.12.2023');
    expect(formatDate('2023-12-31', 'en')).toBe('31 Dec 2023');
    expect(formatDate('2023-12', 'de')).toBe('Dezember 2023');
    expect(formatDate(null, 'de')).toBe('–');
  });

  it('writes shares as percentages', () => {
    expect(formatShare(0.42, 'en')).toBe('42%');
    expect(formatShare(0.42, 'de')).toBe('42\u00a0%');
  });
});

describe('formatDistance', () => {
  it('gives metres to 10 m below a kilometre, kilometres with one decimal below 10 km', () => {
    expect(formatDistance(3, 'en')).toEqual({ value: '10', unit: 'm' });
    expect(formatDistance(347, 'en')).toEqual({ value: '350', unit: 'm' });
    expect(formatDistance(996, 'en')).toEqual({ value: '1.0', unit: 'km' });
    expect(formatDistance(1234, 'de')).toEqual({ value: '1,2', unit: 'km' });
    expect(formatDistance(12_345, 'tr')).toEqual({ value: '12', unit: 'km' });
  });

  it('keeps Latin digits in Arabic', () => {
    expect(formatDistance(350, 'ar').value).toBe('350');
    expect(formatDistance(1500, 'ar').value).toMatch(/^1.5$/);
  });
});

describe('formatDate, long', () => {
  it('writes a day in the language, and leaves a year alone', () => {
    expect(formatDate('2024-10-01', 'de', 'long')).toBe('1. Oktober 2024');
    expect(formatDate('2024-10-01', 'en', 'long')).toBe('1 October 2024');
    expect(formatDate('2018', 'ar', 'long')).toBe('2018');
  });
});

describe('formatNumberUpTo', () => {
  it('drops trailing zeros up to the decimals given', () => {
    expect(formatNumberUpTo(1.3, 'de', 2)).toBe('1,3');
    expect(formatNumberUpTo(4.5, 'en', 1)).toBe('4.5');
    expect(formatNumberUpTo(5, 'de')).toBe('5');
    expect(formatNumberUpTo(1234, 'de')).toBe('1.234');
  });
});

describe('formatRank', () => {
  it('writes a rank in one form, in the language of the page', () => {
    const t = (lang: 'de' | 'en') => (key: 'rank.of', params: { position: string; of: string }) =>
      translate(lang, key, params);
    expect(formatRank({ position: 3, of: 15 }, 'de', t('de'))).toBe('Rang 3 von 15');
    expect(formatRank({ position: 1, of: 1234 }, 'de', t('de'))).toBe('Rang 1 von 1.234');
    expect(formatRank({ position: 12, of: 62 }, 'en', t('en'))).toBe('Rank 12 of 62');
  });
});
