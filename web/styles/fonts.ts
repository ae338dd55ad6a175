import type { Lang } from '../i18n/index.ts';

/**
 * Fonts beyond Latin, per language: their stylesheet (and through it the font files) is fetched only when the
 * language is chosen. Latin is in web/styles/fonts.css, loaded with the app; the browser fetches its files by
 * unicode-range, as it does these once loaded.
 */
const scriptFonts: Partial<Record<Lang, () => Promise<unknown>>> = {
  ar: () => import('./fonts-arabic.css'),
};

const loaded = new Map<Lang, Promise<unknown>>();

/** Loads the fonts of a language's script, once; a failed load is tried again on the next call. */
export function loadFontsFor(lang: Lang): Promise<unknown> {
  const load = scriptFonts[lang];
  if (!load) return Promise.resolve();
  let pending = loaded.get(lang);
  if (!pending) {
    pending = load().catch((err: unknown) => {
      loaded.delete(lang);
      console.warn(`The fonts for ${lang} could not be loaded:`, err);
    });
    loaded.set(lang, pending);
  }
  return pending;
}
