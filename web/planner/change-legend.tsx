import type { UseQueryResult } from '@tanstack/react-query';
import type { IndicatorChange } from '../api/client.ts';
import { formatDate, formatNumber, indicatorDecimals } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import type { PlannerState } from '../state/planner-state.ts';
import { changeColors, changeRanges } from './change.ts';
import { localized } from './text.ts';

/**
 * The legend of the planner's change view (issue 15): the two dates, each chosen from the indicator's dates, the
 * classes of the change about zero with their colours and counts, the unit of the change (percentage points for
 * shares), and the areas without both values. Loading, failure and an indicator with one date only are said
 * where the legend stands.
 */
export function ChangeLegend({
  change,
  dates,
  since,
  to,
  setState,
}: {
  change: UseQueryResult<IndicatorChange>;
  /** The indicator's dates at the level, newest first (the catalogue's order). */
  dates: readonly string[];
  since: string | null;
  to: string | null;
  setState: (patch: Partial<PlannerState>) => void;
}) {
  const { t, lang } = useI18n();
  if (dates.length < 2)
    return (
      <p className="planner__note" role="status" data-change="one-date">
        {t('planner.change.oneDate')}
      </p>
    );
  if (change.error)
    return (
      <p className="field__error" role="alert">
        {t('planner.error.change')}{' '}
        <button type="button" className="link-button" onClick={() => change.refetch()}>
          {t('planner.retry')}
        </button>
      </p>
    );
  const body = change.data;
  const oldestFirst = [...dates].reverse();
  const select = (id: string, label: string, value: string | null, onChange: (d: string | null) => void) => (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{id === 'change-since' ? t('planner.change.earliest') : t('planner.change.newest')}</option>
        {oldestFirst.map((d) => (
          <option key={d} value={d}>
            {formatDate(d, lang)}
          </option>
        ))}
      </select>
    </div>
  );
  const digits = body ? indicatorDecimals(body.unit) : 1;
  const unit = body ? (body.unit === '%' ? t('planner.change.pp') : body.unit) : '';
  const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${formatNumber(Math.abs(v), lang, digits)}`;
  const ranges = body ? changeRanges(body.classification.breaks) : [];
  const colors = body ? changeColors(body.classification.breaks) : [];
  const counts = ranges.map((_, i) => body?.values.filter((v) => v.class === i).length ?? 0);
  const without = body ? body.values.filter((v) => v.absolute === null).length : 0;
  return (
    <section
      className="change-legend"
      aria-labelledby="change-legend-title"
      aria-busy={change.isFetching || undefined}
      data-from={body?.from}
      data-to={body?.to}
    >
      <h2 id="change-legend-title" className="section-title">
        {t('planner.change.legend')}
      </h2>
      {select('change-since', t('planner.change.since'), since, (d) => setState({ since: d }))}
      {select('change-to', t('planner.change.to'), to, (d) => setState({ date: d }))}
      {!body ? (
        <p className="planner__note" role="status">
          {t('planner.change.loading')}
        </p>
      ) : (
        <>
          <p className="change-legend__what">
            {t('planner.change.between', {
              title: localized(body.indicator.title, lang),
              from: formatDate(body.from, lang),
              to: formatDate(body.to, lang),
            })}
          </p>
          <ul className="change-legend__classes">
            {ranges.map(([lower, upper], i) => (
              <li key={upper} data-class={i}>
                <span
                  className="change-legend__swatch"
                  style={{ background: colors[i], display: 'inline-block', width: '1em', height: '1em' }}
                  aria-hidden="true"
                />{' '}
                {signed(lower)} … {signed(upper)} {unit} ({formatNumber(counts[i] ?? 0, lang, 0)})
              </li>
            ))}
          </ul>
          {without > 0 ? <p className="planner__note">{t('planner.change.without', { count: without })}</p> : null}
          <p className="planner__note">{t('planner.change.note')}</p>
        </>
      )}
    </section>
  );
}
