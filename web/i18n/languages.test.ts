import { describe, expect, it } from 'vitest';
import { missingShare, screenFallback } from './fallback.tsx';
import { catalogs, languages, pickLanguage, pluralForm, translate } from './languages.ts';
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
    for (const [key, text] of Object.entries(catalogs[lang]) as [string, string][]) {
      expect(text.trim(), `${lang} ${key}`).not.toBe('');
      const plural = /^(.+)_(zero|one|two|few|many|other)$/.exec(key);
      if (plural) {
        // A plural form of a counting key: it may say "one" or "two" in words instead of {count}.
        const base = plural[1] as MessageKey;
        expect(base in de, `${lang} ${key}`).toBe(true);
        expect(placeholders(de[base]), `${lang} ${key}`).toContain('count');
        for (const name of placeholders(text)) expect(placeholders(de[base]), `${lang} ${key}`).toContain(name);
      } else {
        expect(key in de, `${lang} ${key}`).toBe(true);
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(de[key as MessageKey]));
      }
    }
  });

  it('picks the Arabic plural form by Intl.PluralRules: zero, one, two, few, many, other', () => {
    const counts = [0, 1, 2, 3, 11, 100];
    expect(counts.map((n) => pluralForm('ar', n))).toEqual(['zero', 'one', 'two', 'few', 'many', 'other']);
    const texts = counts.map((count) => translate('ar', 'finder.results.count', { count }));
    // Six different sentences, each the catalogue's form for its category, with the count filled in.
    expect(new Set(texts).size).toBe(6);
    counts.forEach((count, i) => {
      const form = catalogs.ar[`finder.results.count_${pluralForm('ar', count)}`];
      expect(form).toBeDefined();
      expect(texts[i]).toBe(form?.replace('{count}', String(count)));
    });
    expect(texts[4]).toContain('11');
    expect(texts[5]).toContain('100');
  });

  it('uses one text for every count where a language has no plural forms for the key', () => {
    for (const count of [1, 7]) {
      expect(translate('de', 'finder.results.count', { count })).toBe(
        de['finder.results.count'].replace('{count}', String(count)),
      );
    }
  });

  it.each(['tr', 'ar'] as const)('%s has everything residents meet: the shell and the finder', (lang) => {
    const residents = (Object.keys(de) as MessageKey[]).filter((k) => /^(app|nav|lang|map|notFound|finder)\./.test(k));
    // A counting key may be there as its plural forms only.
    expect(residents.filter((k) => !(k in catalogs[lang]) && !(`${k}_other` in catalogs[lang]))).toEqual([]);
  });

  it('falls back to English where Turkish or Arabic leave a working-screen key out', () => {
    const missing = (Object.keys(de) as MessageKey[]).find((k) => !(k in catalogs.tr));
    expect(missing).toBeDefined();
    if (missing) expect(translate('tr', missing)).toBe(translate('en', missing));
  });
});

describe('screens that fall back to English', () => {
  it('finds none in German and English, the untranslated working screens in Turkish and Arabic', () => {
    for (const screen of ['planner', 'finder', 'council']) {
      expect(screenFallback('de', screen)).toBe('none');
      expect(screenFallback('en', screen)).toBe('none');
    }
    for (const lang of ['tr', 'ar'] as const) {
      // The finder is translated for residents; the planner and the council pages are not (yet).
      expect(screenFallback(lang, 'finder'), lang).toBe('none');
      expect(screenFallback(lang, 'planner'), lang).toBe('english');
      expect(screenFallback(lang, 'council'), lang).toBe('english');
      expect(missingShare(lang, 'council')).toBeGreaterThan(0.5);
    }
  });

  it('has the notice that says so in every language', () => {
    for (const lang of languages) expect(catalogs[lang]['fallback.notice'], lang).toBeTruthy();
  });
});
