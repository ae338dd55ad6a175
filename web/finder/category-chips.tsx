import { useId, useState } from 'react';
import type { Category } from '../../geodata/categories.ts';
import { useI18n } from '../i18n/index.ts';
import { moreCategories, primaryCategories } from './categories.ts';

/**
 * The categories as toggle buttons (aria-pressed); none pressed means every kind of offer. A category the data
 * cover too thinly (the API's `incomplete`) says so on its chip.
 */
export function CategoryChips({
  chosen,
  incomplete = new Set(),
  onToggle,
}: {
  chosen: readonly string[];
  incomplete?: ReadonlySet<string>;
  onToggle(code: string): void;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const moreId = `${id}-more`;
  // "More" starts open when a link chose one of the categories behind it.
  const [showMore, setShowMore] = useState(() => moreCategories.some((c) => chosen.includes(c.code)));

  const chip = (category: Category) => {
    const on = chosen.includes(category.code);
    const thin = incomplete.has(category.code);
    return (
      <li key={category.code}>
        <button
          type="button"
          className={thin ? 'chip chip--incomplete' : 'chip'}
          aria-pressed={on}
          data-category={category.code}
          data-incomplete={thin || undefined}
          onClick={() => onToggle(category.code)}
        >
          <svg className="chip__check" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
            <path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" strokeWidth="2.5" />
          </svg>
          {category.labels[lang]}
          {thin ? <span className="chip__note">{t('finder.categories.incomplete')}</span> : null}
        </button>
      </li>
    );
  };

  return (
    <fieldset className="categories" aria-labelledby={`${id}-label`} aria-describedby={`${id}-hint`}>
      <h2 className="categories__label" id={`${id}-label`}>
        {t('finder.categories.label')}
      </h2>
      <p className="categories__hint" id={`${id}-hint`}>
        {t('finder.categories.hint')}
      </p>
      <ul className="chips">
        {primaryCategories.map(chip)}
        <li>
          <button
            type="button"
            className="chip chip--more"
            aria-expanded={showMore}
            aria-controls={moreId}
            onClick={() => setShowMore((v) => !v)}
          >
            {showMore ? t('finder.categories.fewer') : t('finder.categories.more')}
          </button>
        </li>
      </ul>
      <ul className="chips" id={moreId} hidden={!showMore}>
        {moreCategories.map(chip)}
      </ul>
    </fieldset>
  );
}
