export { missingShare, ScreenLanguage, screenFallback } from './fallback.tsx';
export { type I18n, I18nProvider, type TFunction, useI18n, useT } from './i18n.tsx';
export {
  type Dir,
  defaultLang,
  isLang,
  type Lang,
  languageInfo,
  languages,
  type MessageKey,
  type MessageParams,
  type Messages,
  pickLanguage,
  translate,
} from './languages.ts';
