import { describe, expect, it } from 'vitest';
import { routeUrl } from './format.ts';

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
