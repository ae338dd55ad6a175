import { useId } from 'react';
import { useI18n } from '../i18n/index.ts';
import { KIND_FILTERS, subcategoryLabel } from './subcategories.ts';

/**
 * The kinds within a category (health: general practitioners, paediatricians, every doctor, pharmacies, dentists,
 * hospitals) as toggle buttons; none pressed means every kind of the category.
 */
export function KindChips({
  category,
  chosen,
  onToggle,
}: {
  category: string;
  chosen: readonly string[];
  onToggle(kind: string): void;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const kinds = KIND_FILTERS[category];
  if (!kinds) return null;
  return (
    <fieldset className="categories kinds" aria-labelledby={`${id}-label`} aria-describedby={`${id}-hint`}>
      <h2 className="categories__label" id={`${id}-label`}>
        {t('finder.kinds.label')}
      </h2>
      <p className="categories__hint" id={`${id}-hint`}>
        {t('finder.kinds.hint')}
      </p>
      <ul className="chips">
        {kinds.map((kind) => (
          <li key={kind}>
            <button type="button" className="chip" aria-pressed={chosen.includes(kind)} onClick={() => onToggle(kind)}>
              <svg className="chip__check" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                <path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" strokeWidth="2.5" />
              </svg>
              {subcategoryLabel(kind === 'doctor' ? 'doctor:*' : kind, lang) ?? kind}
            </button>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
