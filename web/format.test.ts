import { describe, expect, it } from 'vitest';
import { decimalsFor, formatDate, formatNumber, formatRange, formatShare, formatValue } from './format.ts';

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
