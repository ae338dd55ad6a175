import type { Gaps } from '../api/client.ts';
import { formatValue } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { BIVARIATE_COLORS, HIGH_NEED_LOW_SUPPLY } from '../layers/bivariate.ts';
import { localized, unitAfterValue } from './text.ts';

/**
 * The gap view's legend (need × supply, 3×3, with the number of areas per cell) and the ranked list of areas
 * with high need and low supply.
 */

const TERCILE_KEYS = ['planner.gap.low', 'planner.gap.mid', 'planner.gap.high'] as const;

/** The message key of tercile 0, 1 or 2. */
export function tercileKey(tercile: number): (typeof TERCILE_KEYS)[number] {
  return TERCILE_KEYS[Math.min(2, Math.max(0, tercile))] as (typeof TERCILE_KEYS)[number];
}

export function BivariateLegend({ gaps }: { gaps: Gaps }) {
  const { t, lang } = useI18n();
  const count = (cell: number) => gaps.cells.find((c) => c.index === cell)?.count ?? 0;
  const needTitle = localized(gaps.need.indicator.title, lang);
  const supplyTitle = localized(gaps.supply.indicator.title, lang);
  // Rows from high need (top) to low; columns from low supply (left) to high.
  const rows = [2, 1, 0];
  const cols = [0, 1, 2];
  return (
    <section className="bivariate" aria-labelledby="bivariate-title">
      <h2 id="bivariate-title" className="section-title">
        {t('planner.gap.legend')}
      </h2>
      <div className="bivariate__body">
        <span className="bivariate__axis bivariate__axis--need">{t('planner.gap.needAxis')} ↑</span>
        <table className="bivariate__grid">
          <caption className="visually-hidden">
            {t('planner.gap.caption', { need: needTitle, supply: supplyTitle })}
          </caption>
          <thead className="visually-hidden">
            <tr>
              <td />
              {cols.map((s) => (
                <th key={s} scope="col">
                  {t('planner.gap.supplyTercile', { tercile: t(tercileKey(s)) })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((n) => (
              <tr key={n}>
                <th scope="row" className="visually-hidden">
                  {t('planner.gap.needTercile', { tercile: t(tercileKey(n)) })}
                </th>
                {cols.map((s) => {
                  const cell = 3 * n + s;
                  return (
                    <td
                      key={s}
                      data-cell={cell}
                      data-color={BIVARIATE_COLORS[cell]}
                      className={
                        cell === HIGH_NEED_LOW_SUPPLY ? 'bivariate__cell bivariate__cell--gap' : 'bivariate__cell'
                      }
                      style={{ background: BIVARIATE_COLORS[cell] }}
                    >
                      {count(cell)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <span className="bivariate__axis bivariate__axis--supply">{t('planner.gap.supplyAxis')} →</span>
      </div>
      <p className="field__hint">
        {t('planner.gap.explain', { need: needTitle, supply: supplyTitle })}
        {gaps.need.inverted ? ` ${t('planner.gap.needInverted')}` : ''}
        {gaps.supply.inverted ? ` ${t('planner.gap.supplyInverted')}` : ''}
      </p>
      {gaps.reference.level ? (
        <p className="field__hint" data-reference={gaps.reference.level}>
          {t('planner.gap.reference', { n: gaps.reference.areas })}
        </p>
      ) : null}
      {gaps.warnings.length > 0 ? (
        <div className="gap-warnings" role="note" aria-label={t('planner.gap.warnings')}>
          {gaps.warnings.map((w) => (
            <p key={w.code} className="field__hint gap-warnings__item" data-warning={w.code}>
              ⚠ {localized(w.message, lang)}
            </p>
          ))}
        </div>
      ) : null}
    </section>
  );
}

export function GapList({
  gaps,
  selected,
  onSelect,
}: {
  gaps: Gaps;
  selected: string | null;
  onSelect: (code: string) => void;
}) {
  const { t, lang } = useI18n();
  const needUnit = unitAfterValue(gaps.need.indicator.unit, t);
  const supplyUnit = unitAfterValue(gaps.supply.indicator.unit, t);
  return (
    <section className="gap-list" aria-labelledby="gap-list-title">
      <h2 id="gap-list-title" className="section-title">
        <span className="gap-list__swatch" style={{ background: BIVARIATE_COLORS[HIGH_NEED_LOW_SUPPLY] }} />
        {t('planner.gap.listTitle', { n: gaps.gaps.length })}
      </h2>
      {gaps.gaps.length === 0 ? (
        <p className="field__hint" data-withheld={gaps.ranking_withheld ? 'true' : undefined}>
          {gaps.ranking_withheld ? t('planner.gap.withheld') : t('planner.gap.listEmpty')}
        </p>
      ) : (
        <ol className="gap-list__items">
          {gaps.gaps.map((g) => (
            <li key={g.code} data-code={g.code} aria-current={g.code === selected ? 'true' : undefined}>
              <button type="button" className="gap-list__item" onClick={() => onSelect(g.code)}>
                <span className="gap-list__rank">{g.rank}</span>
                <span className="gap-list__name">{g.name}</span>
                <span className="gap-list__values">
                  {t('planner.gap.need')}: {formatValue(g.need, needUnit, lang)} · {t('planner.gap.supply')}:{' '}
                  {formatValue(g.supply, supplyUnit, lang)}
                </span>
                <span className="gap-list__source" data-borrowed={g.need_source.borrowed?.share ?? undefined}>
                  {t('planner.gap.needFrom', {
                    method: g.need_source.method ? t(`planner.method.${g.need_source.method}`) : '–',
                    date: g.need_source.reference_date ?? '–',
                  })}
                  {g.need_source.borrowed?.note ? ` · ${localized(g.need_source.borrowed.note, lang)}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
