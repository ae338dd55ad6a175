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

  it.each(languages)('%s has no empty message, a known key only, and the same placeholders as German', (lang) => {
    for (const [key, text] of Object.entries(catalogs[lang]) as [MessageKey, string][]) {
      expect(key in de, `${lang} ${key}`).toBe(true);
      expect(text.trim(), `${lang} ${key}`).not.toBe('');
      expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(de[key]));
    }
  });

  it.each(['tr', 'ar'] as const)('%s has everything residents meet: the shell and the finder', (lang) => {
    const residents = (Object.keys(de) as MessageKey[]).filter((k) => /^(app|nav|lang|map|notFound|finder)\./.test(k));
    expect(residents.filter((k) => !(k in catalogs[lang]))).toEqual([]);
  });

  it('falls back to English where Turkish or Arabic leave a working-screen key out', () => {
    const missing = (Object.keys(de) as MessageKey[]).find((k) => !(k in catalogs.tr));
    expect(missing).toBeDefined();
    if (missing) expect(translate('tr', missing)).toBe(translate('en', missing));
  });
});
