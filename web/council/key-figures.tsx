import { formatDate, formatNumber, formatRank, indicatorDecimals } from '../format.ts';
import { type Lang, type TFunction, useI18n } from '../i18n/index.ts';
import { AsOf, MethodBadge, Missing } from './figure-parts.tsx';
import { type Figure, formatFigure, titleOf } from './figures.ts';
import { Ref } from './source-list.tsx';

/** "132 Plätze je 1.000 Adressen": the number large, the unit small (the text stays the formatted value). */
function FigureValue({ text }: { text: string }) {
  const gap = text.indexOf('\u202f');
  if (gap < 0) return <span className="key-figure__number">{text}</span>;
  return (
    <>
      <span className="key-figure__number">{text.slice(0, gap)}</span>
      {'\u202f'}
      <span className="key-figure__unit">{text.slice(gap + 1)}</span>
    </>
  );
}

/** Issue 15: the change of a key figure since its earliest date, with both dates. */
export interface FigureChange {
  from: string;
  to: string;
  absolute: number;
  unit: string;
}

/** "+1.234 Personen", or for a share "+1,5 Prozentpunkte": the change with its sign and unit. */
export function changeText(c: FigureChange, lang: Lang, t: TFunction, digits: number): string {
  const sign = c.absolute > 0 ? '+' : c.absolute < 0 ? '−' : '±';
  if (c.unit === '%') return `${sign}${formatNumber(Math.abs(c.absolute), lang, digits)} ${t('planner.change.pp')}`;
  return `${sign}${formatFigure(Math.abs(c.absolute), c.unit, lang, t, digits)}`;
}

/**
 * The key figures of an action area: value, city value, rank, date, method and sources of each, and where a
 * figure has several dates its change since the earliest, both dates named.
 */
export function KeyFigures({
  figures,
  refsOf,
  idPrefix,
  changes,
}: {
  figures: readonly Figure[];
  refsOf: (figure: Figure) => number[];
  idPrefix: string;
  changes?: ReadonlyMap<string, FigureChange>;
}) {
  const { t, lang } = useI18n();
  return (
    <ul className="key-figures">
      {figures.map((f) => {
        const digits = indicatorDecimals(f.unit);
        return (
          <li key={f.id} className={`key-figure key-figure--${f.method}`} data-figure={f.id}>
            <p className="key-figure__label">{titleOf(f, lang)}</p>
            <p className="key-figure__value">
              {f.value === null ? (
                <Missing reason={f.reason} />
              ) : (
                <FigureValue text={formatFigure(f.value, f.unit, lang, t, digits)} />
              )}
            </p>
            <p className="key-figure__context">
              <span className="key-figure__city">
                {t('council.figure.city', {
                  value:
                    f.city.value === null
                      ? t('council.figure.missing')
                      : formatFigure(f.city.value, f.unit, lang, t, digits),
                })}
              </span>
              {f.rank ? (
                <span className="key-figure__rank">
                  {' · '}
                  {formatRank(f.rank, lang, t)}
                </span>
              ) : null}
            </p>
            {changes?.get(f.id) ? (
              <p
                className="key-figure__change"
                data-change-from={changes.get(f.id)?.from}
                data-change-to={changes.get(f.id)?.to}
              >
                {t('council.figure.change', {
                  change: changeText(changes.get(f.id) as FigureChange, lang, t, digits),
                  from: formatDate(changes.get(f.id)?.from, lang),
                  to: formatDate(changes.get(f.id)?.to, lang),
                })}
              </p>
            ) : null}
            <p className="key-figure__meta">
              <AsOf date={f.date} hasValue={f.value !== null} /> <MethodBadge method={f.method} />{' '}
              <Ref numbers={refsOf(f)} idPrefix={idPrefix} />
            </p>
          </li>
        );
      })}
    </ul>
  );
}
