import type { CatalogueIndicator, Gaps } from '../api/client.ts';
import { useConfig } from '../config.ts';
import { formatDate, formatNumber, formatValue, indicatorDecimals } from '../format.ts';
import { type TFunction, useI18n } from '../i18n/index.ts';
import { translate } from '../i18n/languages.ts';
import { BIVARIATE_COLORS, HIGH_NEED_LOW_SUPPLY } from '../layers/bivariate.ts';
import { PAPER, textColorOn } from '../layers/palettes.ts';
import { type CsvDialect, downloadText, fileName } from './csv.ts';
import { boundText, datesAt, gapsToCsv, tercileRanges } from './gap-basis.ts';
import { localized, unitAfterValue, unitLabel } from './text.ts';

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
                      style={{
                        background: BIVARIATE_COLORS[cell],
                        color: textColorOn(BIVARIATE_COLORS[cell] ?? PAPER),
                      }}
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

/** The German CSV speaks German whatever the page's language. */
const inGerman: TFunction = (key, params) => translate('de', key, params);
const isMethod = (m: string): m is 'published' | 'computed' | 'modelled' =>
  m === 'published' || m === 'computed' || m === 'modelled';

/**
 * What the gap list rests on: both indicators with their dates and sources, the tercile bounds that put an area
 * into high need or low supply, and the order of the list.
 */
export function GapBasis({ gaps, indicators }: { gaps: Gaps; indicators: readonly CatalogueIndicator[] }) {
  const { t, lang } = useI18n();
  const n = gaps.reference.areas;
  const sides = [
    { key: 'need' as const, side: gaps.need, label: t('planner.gap.need') },
    { key: 'supply' as const, side: gaps.supply, label: t('planner.gap.supply') },
  ];
  const rangeText = (side: Gaps['need'], which: 'low' | 'mid' | 'high') => {
    const ranges = tercileRanges(side);
    if (!ranges) return '–';
    const digits = indicatorDecimals(side.indicator.unit);
    const unit = unitAfterValue(side.indicator.unit, t);
    return `${boundText(ranges[which], (v) => formatNumber(v, lang, digits))}${unit ? `\u202f${unit}` : ''}`;
  };
  return (
    <section className="gap-basis panel-section" aria-labelledby="gap-basis-title">
      <h2 id="gap-basis-title" className="section-title">
        {t('planner.gap.basis')}
      </h2>
      {sides.map(({ key, side, label }) => {
        const dates = datesAt(
          indicators.find((i) => i.id === side.indicator.id),
          gaps.level,
        );
        return (
          <div key={key} className="gap-basis__side">
            <p className="field__hint">
              {t('planner.gap.sideMeta', {
                side: label,
                indicator: localized(side.indicator.title, lang),
                dates: dates.length ? dates.map((d) => formatDate(d, lang)).join(', ') : '–',
                sources: side.indicator.sources.map((s) => s.attribution).join('; ') || '–',
              })}
            </p>
            <p className="field__hint">
              {t('planner.gap.thresholds', {
                side: label,
                low: rangeText(side, 'low'),
                mid: rangeText(side, 'mid'),
                high: rangeText(side, 'high'),
                n,
              })}
            </p>
          </div>
        );
      })}
      <p className="field__hint">
        {t('planner.gap.ranking', {
          need: `${t('planner.gap.need')} ${rangeText(gaps.need, 'high')}`,
          supply: `${t('planner.gap.supply')} ${rangeText(gaps.supply, 'low')}`,
        })}
      </p>
    </section>
  );
}

export function GapList({
  gaps,
  indicators,
  selected,
  onSelect,
  hrefOf,
  current = true,
}: {
  gaps: Gaps;
  indicators: readonly CatalogueIndicator[];
  selected: string | null;
  onSelect: (code: string) => void;
  /** The link to an area's profile. */
  hrefOf: (code: string) => string;
  /** Whether the list is the answer to what is chosen: the CSV waits until it is. */
  current?: boolean;
}) {
  const { t, lang } = useI18n();
  const { city } = useConfig();
  const needUnit = unitAfterValue(gaps.need.indicator.unit, t);
  const supplyUnit = unitAfterValue(gaps.supply.indicator.unit, t);
  const needDigits = indicatorDecimals(gaps.need.indicator.unit);
  const supplyDigits = indicatorDecimals(gaps.supply.indicator.unit);
  const download = (dialect: CsvDialect) => {
    const csv = gapsToCsv(
      gaps,
      {
        supplyDates: datesAt(
          indicators.find((i) => i.id === gaps.supply.indicator.id),
          gaps.level,
        ),
        methodDe: (m) => (isMethod(m) ? inGerman(`planner.method.${m}`) : m),
        unitDe: (u) => unitLabel(u, inGerman),
      },
      dialect,
    );
    const name = fileName(
      city.name,
      'gaps',
      gaps.need.indicator.id,
      gaps.supply.indicator.id,
      gaps.level,
      ...(dialect === 'de' ? [] : ['international']),
    );
    downloadText(csv, `${name}.csv`);
  };
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
              <a
                className="gap-list__item"
                href={hrefOf(g.code)}
                title={t('planner.gap.profile', { name: g.name })}
                onClick={(e) => {
                  if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                  e.preventDefault();
                  onSelect(g.code);
                }}
              >
                <span className="gap-list__rank">{g.rank}</span>
                <span className="gap-list__name">{g.name}</span>
                <span className="gap-list__values">
                  {t('planner.gap.need')}: {formatValue(g.need, needUnit, lang, needDigits)} · {t('planner.gap.supply')}
                  : {formatValue(g.supply, supplyUnit, lang, supplyDigits)}
                </span>
                <span className="gap-list__source" data-borrowed={g.need_source.borrowed?.share ?? undefined}>
                  {t('planner.gap.needFrom', {
                    method: g.need_source.method ? t(`planner.method.${g.need_source.method}`) : '–',
                    date: formatDate(g.need_source.reference_date, lang),
                  })}
                  {g.need_source.borrowed?.note ? ` · ${localized(g.need_source.borrowed.note, lang)}` : ''}
                </span>
              </a>
            </li>
          ))}
        </ol>
      )}
      {gaps.gaps.length > 0 ? (
        <div className="gap-list__downloads">
          <button type="button" className="button button--secondary" onClick={() => download('de')} disabled={!current}>
            {t('planner.gap.csv')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => download('intl')}
            disabled={!current}
          >
            {t('planner.gap.csvIntl')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
