import { formatDate } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { localized } from '../planner/text.ts';
import type { Text } from './council-api.ts';
import type { Method } from './figures.ts';

/** How a figure was made, as a small label: modelled figures must never pass for measured ones. */
export function MethodBadge({ method }: { method: Method | null }) {
  const { t } = useI18n();
  if (!method) return null;
  return <span className={`method-badge method-badge--${method}`}>{t(`council.method.${method}`)}</span>;
}

/**
 * "Stand 31.12.2023" (or, in a column headed "Stand", only the date). A value without a date says "ohne Datum":
 * an undated published figure must not borrow a date (least of all the date its collection was compiled).
 */
export function AsOf({
  date,
  bare = false,
  hasValue = false,
}: {
  date: string | null;
  bare?: boolean;
  hasValue?: boolean;
}) {
  const { t, lang } = useI18n();
  if (!date) {
    if (bare) return <span className="as-of">–</span>;
    return hasValue ? <span className="as-of as-of--undated">{t('council.figure.undated')}</span> : null;
  }
  const text = formatDate(date, lang);
  return <span className="as-of">{bare ? text : t('council.figure.asOf', { date: text })}</span>;
}

/** A missing value: said in words, with the reason the API gives. */
export function Missing({ reason }: { reason: Text | null }) {
  const { t, lang } = useI18n();
  return (
    <span className="figure-missing">
      {t('council.figure.missing')}
      {reason ? <span className="figure-missing__reason"> ({localized(reason, lang)})</span> : null}
    </span>
  );
}
