import { useQuery } from '@tanstack/react-query';
import type { ValueLevel } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { formatDate, formatNumber, indicatorDecimals } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { sparkline } from './change.ts';

/**
 * A small time series in the area profile (issue 15): the values of the indicator on the map for this area over
 * its dates, as a line with the first and last value named. Shown only where there are two dates or more;
 * withheld values are gaps. The line's text alternative lists every date and value.
 */
export function TimeSeries({ indicator, level, code }: { indicator: string; level: ValueLevel; code: string }) {
  const { t, lang } = useI18n();
  const series = useQuery(queries.series({ indicator, level, code }));
  const points = series.data?.points ?? [];
  const known = points.filter((p) => p.value !== null);
  if (series.error)
    return (
      <p className="field__error" role="alert">
        {t('planner.series.error')}{' '}
        <button type="button" className="link-button" onClick={() => series.refetch()}>
          {t('planner.retry')}
        </button>
      </p>
    );
  if (known.length < 2) return null;
  const digits = indicatorDecimals(series.data?.unit ?? '');
  const text = (p: { date: string; value: number | null }) =>
    `${formatDate(p.date, lang)}: ${p.value === null ? t('planner.series.withheld') : formatNumber(p.value, lang, digits)}`;
  const first = known[0] as (typeof known)[number];
  const last = known[known.length - 1] as (typeof known)[number];
  const path = sparkline(
    points.map((p) => p.value),
    160,
    36,
  );
  return (
    <figure className="profile__series" data-points={points.length}>
      <svg viewBox="0 0 160 36" width="160" height="36" role="img" aria-label={points.map(text).join('; ')}>
        <path d={path} fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      <figcaption className="planner__note">
        {t('planner.series.caption', { first: text(first), last: text(last), count: points.length })}
      </figcaption>
    </figure>
  );
}
