import { useId } from 'react';
import { useI18n } from '../i18n/index.ts';
import type { OfferFilters as Filters } from './finder-state.ts';

/** Languages offered in the filter: the app's own and those most spoken in German cities besides them. */
export const SPOKEN = ['de', 'en', 'tr', 'ar', 'pl', 'ru', 'uk', 'ro', 'bg', 'fa', 'ku', 'it', 'el', 'fr', 'es'];

/** How many filters are on. */
export function activeFilters(f: Filters): number {
  return [f.open !== null, f.age !== null, f.spoken !== null, f.stepFree].filter(Boolean).length;
}

/** A language's name in the page's language ("Türkisch"), or its code where the browser has no name. */
export function languageName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Filters by what the city's offer lists say (issue 21): open now or at a time, for an age, speaking a language,
 * step-free. Folded away until opened; the summary says how many are on.
 */
export function OfferFilters({ filters, onChange }: { filters: Filters; onChange(next: Partial<Filters>): void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const count = activeFilters(filters);
  return (
    <details className="offer-filters" open={count > 0 || undefined}>
      <summary>
        {t('finder.filters.label')}
        {count > 0 ? <span className="offer-filters__count"> ({t('finder.filters.active', { count })})</span> : null}
      </summary>
      <p className="categories__hint" id={`${id}-hint`}>
        {t('finder.filters.hint')}
      </p>
      <div className="offer-filters__fields" aria-describedby={`${id}-hint`}>
        <label className="offer-filters__check">
          <input
            type="checkbox"
            checked={filters.open === 'now'}
            onChange={(e) => onChange({ open: e.currentTarget.checked ? 'now' : null })}
          />
          {t('finder.filters.openNow')}
        </label>
        <label className="offer-filters__field">
          {t('finder.filters.openAt')}
          <input
            type="datetime-local"
            value={filters.open && filters.open !== 'now' ? filters.open : ''}
            onChange={(e) => onChange({ open: e.currentTarget.value ? e.currentTarget.value.slice(0, 16) : null })}
          />
        </label>
        <label className="offer-filters__field">
          {t('finder.filters.age')}
          <input
            type="number"
            inputMode="numeric"
            min={0}
            max={120}
            value={filters.age ?? ''}
            onChange={(e) => {
              const v = e.currentTarget.value;
              const n = Number(v);
              onChange({ age: v === '' || !Number.isInteger(n) || n < 0 || n > 120 ? null : n });
            }}
          />
        </label>
        <label className="offer-filters__field">
          {t('finder.filters.language')}
          <select value={filters.spoken ?? ''} onChange={(e) => onChange({ spoken: e.currentTarget.value || null })}>
            <option value="">{t('finder.filters.anyLanguage')}</option>
            {SPOKEN.map((code) => (
              <option key={code} value={code}>
                {languageName(code, lang)}
              </option>
            ))}
          </select>
        </label>
        <label className="offer-filters__check">
          <input
            type="checkbox"
            checked={filters.stepFree}
            onChange={(e) => onChange({ stepFree: e.currentTarget.checked })}
          />
          {t('finder.filters.stepFree')}
        </label>
        {count > 0 ? (
          <button
            type="button"
            className="finder-button"
            onClick={() => onChange({ open: null, age: null, spoken: null, stepFree: false })}
          >
            {t('finder.filters.clear')}
          </button>
        ) : null}
      </div>
    </details>
  );
}
