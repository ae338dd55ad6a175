import { describe, expect, it } from 'vitest';
import {
  categoriesText,
  emptyMeta,
  parseMeta,
  readField,
  splitAddress,
  withFix,
  writeCategories,
  writeField,
} from './meta.ts';

describe('the upload metadata the editors page edits', () => {
  it('edits the first indicator of a table and renames it, keeping what the form does not show', () => {
    const meta = {
      indicators: {
        sgb2: { title: { de: 'SGB-II', en: '' }, description: { de: 'd', en: 'e' } },
        other: { unit: '%' },
      },
    };
    const titled = writeField(meta, 'indicator.title.en', 'SGB II rate');
    expect(readField(titled, 'indicator.title.en')).toBe('SGB II rate');
    expect(readField(titled, 'indicator.title.de')).toBe('SGB-II');
    const renamed = writeField(titled, 'indicatorId', 'sgb2_rate');
    expect(Object.keys(renamed.indicators as object)).toEqual(['sgb2_rate', 'other']);
    expect(readField(renamed, 'indicatorId')).toBe('sgb2_rate');
    expect((renamed.indicators as Record<string, { description: unknown }>).sgb2_rate?.description).toEqual({
      de: 'd',
      en: 'e',
    });
    // the input is not changed
    expect(readField(meta, 'indicator.title.en')).toBe('');
  });

  it('makes nested objects on the way, and reads a missing field as empty', () => {
    const meta = writeField({}, 'indicator.source.url', 'https://example.org');
    expect(meta).toEqual({ indicators: { '': { source: { url: 'https://example.org' } } } });
    expect(readField({}, 'title')).toBe('');
    expect(readField(emptyMeta('offer-lists'), 'visibility')).toBe('internal');
  });

  it('reads and writes the category mapping as lines', () => {
    const meta = writeCategories(
      emptyMeta('offer-lists'),
      'Jugendfreizeitstätte = youth\n\nno mapping\nKita=childcare',
    );
    expect(meta.categories).toEqual({ Jugendfreizeitstätte: 'youth', Kita: 'childcare' });
    expect(categoriesText(meta)).toBe('Jugendfreizeitstätte = youth\nKita = childcare');
  });

  it('adds fixes by row, an address or a position', () => {
    const once = withFix({ id: 'x' }, 6, { street: 'Marktstraße', house_number: '2a' });
    const twice = withFix(once, 3, { lon: 7.4, lat: 51.5 });
    expect(twice.fixes).toEqual({ '6': { street: 'Marktstraße', house_number: '2a' }, '3': { lon: 7.4, lat: 51.5 } });
    expect(once.fixes).toEqual({ '6': { street: 'Marktstraße', house_number: '2a' } });
  });

  it('splits an address into street and house number', () => {
    expect(splitAddress('Marktstraße 2a')).toEqual({ street: 'Marktstraße', house_number: '2a' });
    expect(splitAddress(' Am  Alten Hafen 12 B ')).toEqual({ street: 'Am Alten Hafen', house_number: '12 B' });
    expect(splitAddress('Straße des 17. Juni 3-5')).toEqual({ street: 'Straße des 17. Juni', house_number: '3-5' });
    expect(splitAddress('Marktplatz')).toEqual({ street: 'Marktplatz', house_number: '' });
  });

  it('parses only JSON objects', () => {
    expect(parseMeta('{"a": 1}')).toEqual({ a: 1 });
    expect(parseMeta('[1]')).toBeNull();
    expect(parseMeta('{')).toBeNull();
  });
});
