import { describe, expect, it } from 'vitest';
import { formatDate, formatDistance, routeUrl } from './format.ts';

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

describe('formatDate', () => {
  it('writes a day in the language, and leaves a year alone', () => {
    expect(formatDate('2024-10-01', 'de')).toBe('1. Oktober 2024');
    expect(formatDate('2024-10-01', 'en')).toBe('1 October 2024');
    expect(formatDate('2018', 'ar')).toBe('2018');
  });
});

describe('routeUrl', () => {
  const from: [number, number] = [7.465231, 51.513312];
  const to: [number, number] = [7.47, 51.52];

  it('is null without a template', () => {
    expect(routeUrl('', from, to)).toBeNull();
    expect(routeUrl(null, from, to)).toBeNull();
  });

  it('fills {from} and {to} as lat,lon and the single coordinates', () => {
    expect(routeUrl('https://router.example/?from={from}&to={to}', from, to)).toBe(
      'https://router.example/?from=51.513312,7.465231&to=51.52,7.47',
    );
    expect(routeUrl('https://router.example/{from_lon};{from_lat}/{to_lon};{to_lat}', from, to)).toBe(
      'https://router.example/7.465231;51.513312/7.47;51.52',
    );
  });

  it('refuses templates that do not make a web address', () => {
    expect(routeUrl('javascript:alert({from})', from, to)).toBeNull();
    expect(routeUrl('not a url {to}', from, to)).toBeNull();
  });
});
