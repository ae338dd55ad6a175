import { ar } from './messages/ar.ts';
import { de, type MessageKey, type Messages, type PartialMessages } from './messages/de.ts';
import { en } from './messages/en.ts';
import { tr } from './messages/tr.ts';

export type { MessageKey, Messages };

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

/** The message for `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const text = catalogs[lang][key] ?? en[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}
