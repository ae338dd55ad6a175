import i18next from 'i18next';
import { ar } from './messages/ar.ts';
import { de, type MessageKey, type Messages, type PartialMessages, type PluralForm } from './messages/de.ts';
import { en } from './messages/en.ts';
import { tr } from './messages/tr.ts';

export type { MessageKey, Messages, PartialMessages, PluralForm };

export const languages = ['de', 'en', 'tr', 'ar'] as const;
export type Lang = (typeof languages)[number];
export type Dir = 'ltr' | 'rtl';

export const defaultLang: Lang = 'de';

/** Each language by its own name, the way a language switch should list it. */
export const languageInfo: Record<Lang, { name: string; dir: Dir }> = {
  de: { name: 'Deutsch', dir: 'ltr' },
  en: { name: 'English', dir: 'ltr' },
  tr: { name: 'Türkçe', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
};

/** German and English are complete (the typecheck says so); Turkish and Arabic fall back to English. */
export const catalogs: Record<Lang, PartialMessages> = { de, en, tr, ar };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/**
 * The language to show: the one named in the URL (`?lang=`) if it is one of ours, else the first
 * of the browser's preferred languages we have (`tr-TR` counts as `tr`), else German.
 */
export function pickLanguage(urlLang: string | null, browserLangs: readonly string[]): Lang {
  if (isLang(urlLang)) return urlLang;
  for (const tag of browserLangs) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLang(primary)) return primary;
  }
  return defaultLang;
}

export type MessageParams = Record<string, string | number>;

/**
 * The translations run on i18next: one instance, all catalogues loaded at once (they are small and bundled),
 * missing keys falling back to English. Placeholders keep the catalogues' `{name}` form. A `count` parameter
 * picks the plural form of the language (`key_one`, `key_few`, … by Intl.PluralRules), where a catalogue has
 * them; else the key itself.
 */
const i18n = i18next.createInstance();
void i18n.init({
  resources: Object.fromEntries(languages.map((lang) => [lang, { translation: catalogs[lang] }])),
  lng: defaultLang,
  fallbackLng: 'en',
  supportedLngs: [...languages],
  initAsync: false,
  keySeparator: false,
  nsSeparator: false,
  returnNull: false,
  interpolation: {
    prefix: '{',
    suffix: '}',
    // React escapes what it renders; the catalogues hold plain text.
    escapeValue: false,
  },
  // A placeholder without a value stays as it is, so a missing parameter shows instead of vanishing.
  missingInterpolationHandler: (_text: string, match: RegExpExecArray) => match[0],
});

/** The message for `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  return i18n.t(key, { ...params, lng: lang }) as string;
}

/** The plural category of a count in a language, as i18next picks the form (Intl.PluralRules). */
export function pluralForm(lang: Lang, count: number): PluralForm {
  return new Intl.PluralRules(lang).select(count) as PluralForm;
}
