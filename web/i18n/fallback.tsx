import type { ReactNode } from 'react';
import { type I18n, I18nContext, useI18n } from './i18n.tsx';
import { catalogs, type Lang, type MessageKey, translate } from './languages.ts';
import { de } from './messages/de.ts';

/**
 * Screens a language has not been translated for yet. A screen (the messages `<screen>.*`) that a catalogue lacks
 * says so once, at its top, in the reader's language (or English, if even that is missing). When most of it is
 * missing, the whole screen is shown in English, numbers and dates included: English sentences with Turkish or
 * Arabic number and date formats in them read wrongly. English runs left to right, in an Arabic page too.
 */

/** The share (0 to 1) of a screen's messages that `lang` lacks; German and English lack none. */
export function missingShare(lang: Lang, screen: string): number {
  const keys = (Object.keys(de) as MessageKey[]).filter((k) => k.startsWith(`${screen}.`));
  if (keys.length === 0) return 0;
  const catalogue = catalogs[lang] as Record<string, string | undefined>;
  const own = Object.keys(catalogue);
  const missing = keys.filter((k) => catalogue[k] === undefined && !own.some((c) => c.startsWith(`${k}_`)));
  return missing.length / keys.length;
}

/** How a screen shows in a language: as it is, with a notice, or all in English with a notice. */
export function screenFallback(lang: Lang, screen: string): 'none' | 'partly' | 'english' {
  const share = missingShare(lang, screen);
  return share === 0 ? 'none' : share >= 0.5 ? 'english' : 'partly';
}

/** Wraps a screen: its notice at the top where the language falls back, and English throughout where mostly. */
export function ScreenLanguage({ screen, children }: { screen: string; children: ReactNode }) {
  const outer = useI18n();
  const fallback = screenFallback(outer.lang, screen);
  if (fallback === 'none') return children;
  const notice = (
    <p className="fallback-notice" role="note" lang={outer.lang}>
      {outer.t('fallback.notice')}
    </p>
  );
  if (fallback === 'partly')
    return (
      <>
        {notice}
        {children}
      </>
    );
  const english: I18n = { ...outer, lang: 'en', t: (key, params) => translate('en', key, params) };
  return (
    <>
      {notice}
      <I18nContext value={english}>
        <div className="fallback-screen" lang="en" dir="ltr">
          {children}
        </div>
      </I18nContext>
    </>
  );
}
