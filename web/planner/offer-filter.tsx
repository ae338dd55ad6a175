import { useId } from 'react';
import type { CategoryList } from '../api/client.ts';
import { formatNumber } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { labelIn } from './text.ts';

/** Offer categories to show on the map, several at once, with the number of offers in each. */
export function OfferFilter({
  categories,
  selected,
  colors,
  onChange,
  shown,
  loading,
}: {
  categories: CategoryList['categories'];
  selected: readonly string[];
  colors: ReadonlyMap<string, string>;
  onChange: (codes: string[]) => void;
  /** Offers on the map now (after the filter), when known. */
  shown: number | null;
  loading: boolean;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const toggle = (code: string, on: boolean) => {
    const next = on ? [...selected, code] : selected.filter((c) => c !== code);
    // Keep the vocabulary's order, so that the URL does not depend on the order of the clicks.
    onChange(categories.map((c) => c.code).filter((c) => next.includes(c)));
  };
  return (
    <fieldset className="offer-filter" aria-describedby={`${id}-status`}>
      <legend className="section-title">{t('planner.offers.title')}</legend>
      <ul className="offer-filter__list">
        {categories
          .filter((c) => c.count > 0)
          .map((c) => (
            <li key={c.code}>
              <label className="check">
                <input
                  type="checkbox"
                  name="offers"
                  value={c.code}
                  checked={selected.includes(c.code)}
                  onChange={(e) => toggle(c.code, e.target.checked)}
                />
                <span className="check__dot" style={{ background: colors.get(c.code) }} aria-hidden="true" />
                <span className="check__label">
                  {labelIn(c.labels, lang)}
                  {c.incomplete ? (
                    <span
                      className="check__note"
                      data-incomplete=""
                      title={lang === 'de' ? c.incomplete.de : c.incomplete.en}
                    >
                      {' '}
                      ({t('planner.offers.incomplete')})
                    </span>
                  ) : null}
                </span>
                <span className="check__count">{formatNumber(c.count, lang, 0)}</span>
              </label>
            </li>
          ))}
      </ul>
      <div className="offer-filter__foot">
        <p id={`${id}-status`} className="field__hint" role="status">
          {loading
            ? t('planner.offers.loading')
            : selected.length === 0
              ? t('planner.offers.none')
              : t('planner.offers.shown', { n: formatNumber(shown ?? 0, lang, 0) })}
        </p>
        {selected.length > 0 ? (
          <button type="button" className="link-button" onClick={() => onChange([])}>
            {t('planner.offers.clear')}
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}
