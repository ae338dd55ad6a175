import { createContext, type ReactNode, useCallback, useContext, useLayoutEffect, useMemo } from 'react';
import { setSearchParams, useSearchParam } from '../router.tsx';
import {
  type Dir,
  type Lang,
  languageInfo,
  type MessageKey,
  type MessageParams,
  pickLanguage,
  translate,
} from './languages.ts';

export type TFunction = (key: MessageKey, params?: MessageParams) => string;

export interface I18n {
  lang: Lang;
  dir: Dir;
  t: TFunction;
  /** Switches the language and keeps the choice in the URL (`?lang=`). */
  setLang(lang: Lang): void;
}

export const I18nContext = createContext<I18n | null>(null);

function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined'
    ? []
    : navigator.languages?.length
      ? navigator.languages
      : [navigator.language];
}

/** Derives the language from the URL and the browser, and sets `lang` and `dir` on <html>. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const urlLang = useSearchParam('lang');
  const lang = pickLanguage(urlLang, browserLanguages());
  const dir = languageInfo[lang].dir;

  useLayoutEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = dir;
  }, [lang, dir]);

  const setLang = useCallback((next: Lang) => setSearchParams({ lang: next }), []);
  const value = useMemo<I18n>(
    () => ({ lang, dir, setLang, t: (key, params) => translate(lang, key, params) }),
    [lang, dir, setLang],
  );
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n needs an <I18nProvider> above it');
  return i18n;
}

/** The translate function of the current language: `t('nav.finder')`, `t('map.label', { city })`. */
export function useT(): TFunction {
  return useI18n().t;
}
