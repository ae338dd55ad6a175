import { describe, expect, it } from 'vitest';
import { catalogs, languages, pickLanguage, translate } from './languages.ts';
import { de, type MessageKey } from './messages/de.ts';

describe('pickLanguage', () => {
  it('takes the language named in the URL first', () => {
    expect(pickLanguage('ar', ['de-DE'])).toBe('ar');
  });

  it("falls back to the browser's first supported language, by primary subtag", () => {
    expect(pickLanguage(null, ['fr-FR', 'tr-TR', 'en'])).toBe('tr');
    expect(pickLanguage('xx', ['EN-gb'])).toBe('en');
  });

  it('falls back to German when nothing fits', () => {
    expect(pickLanguage(null, [])).toBe('de');
    expect(pickLanguage('', ['fr', 'pl'])).toBe('de');
  });
});

describe('translate', () => {
  it('fills {placeholders} and leaves unknown ones as they are', () => {
    expect(translate('en', 'map.label', { city: 'Dortmund' })).toBe('Map of Dortmund');
    expect(translate('en', 'map.label')).toBe('Map of {city}');
  });

  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it.each(languages)('%s has every message, none empty, with the same placeholders as German', (lang) => {
    for (const key of Object.keys(de) as MessageKey[]) {
      const text = catalogs[lang][key];
      expect(text.trim(), `${lang} ${key}`).not.toBe('');
      expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(de[key]));
    }
    expect(Object.keys(catalogs[lang]).sort()).toEqual(Object.keys(de).sort());
  });
});
