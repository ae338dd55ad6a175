import { indicatorDecimals } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { localized } from '../planner/text.ts';
import { Link } from '../router.tsx';
import type { Citation } from './citations.ts';
import type { AreaCollection, AreaValue, IndicatorValues } from './council-api.ts';
import { councilPath } from './council-route.ts';
import { AsOf, MethodBadge, Missing } from './figure-parts.tsx';
import { citationsOf, formatFigure } from './figures.ts';
import { Ref } from './source-list.tsx';

export interface CardFigure {
  indicator: IndicatorValues['indicator'];
  value: AreaValue | null;
  /** Decimals of this indicator on every card alike. */
  digits: number;
  citations: Citation[];
}

export interface Card {
  feature: AreaCollection['features'][number];
  figures: CardFigure[];
}

/** The cards' figures: every card shows the same indicators, each value with its own date and sources. */
export function buildCards(ordered: AreaCollection['features'], values: readonly IndicatorValues[]): Card[] {
  return ordered.map((feature) => ({
    feature,
    figures: values.map((v) => {
      const value = v.values.find((x) => x.code === feature.properties.code) ?? null;
      return {
        indicator: v.indicator,
        value,
        digits: indicatorDecimals(v.indicator.unit),
        citations: citationsOf(
          value?.source ?? null,
          value?.method ?? v.indicator.method,
          v.indicator.sources,
          value?.note,
        ),
      };
    }),
  }));
}

/** One card per action area: number, name, key figures with dates; the two small areas marked as such. */
export function AreaCards({
  cards,
  refsOf,
  onHover,
}: {
  cards: readonly Card[];
  refsOf: (citations: readonly Citation[]) => number[];
  onHover?: (code: string | null) => void;
}) {
  const { t, lang } = useI18n();
  return (
    <ul className="area-cards">
      {cards.map(({ feature, figures }) => {
        const { code, name, numbered } = feature.properties;
        return (
          <li
            key={code}
            className={numbered ? 'area-card' : 'area-card area-card--unnumbered'}
            data-area={code}
            onPointerEnter={() => onHover?.(code)}
            onPointerLeave={() => onHover?.(null)}
          >
            <h3 className="area-card__title">
              <Link to={councilPath(code)} markCurrent={false}>
                {numbered ? <span className="area-card__number">{code}</span> : null}
                {numbered ? ' ' : null}
                <span className="area-card__name">{name}</span>
              </Link>
            </h3>
            {numbered ? null : <p className="area-card__badge">{t('council.card.unnumbered')}</p>}
            <dl className="area-card__figures">
              {figures.map(({ indicator, value, digits, citations }) => (
                <div key={indicator.id} className="area-card__figure" data-figure={indicator.id}>
                  <dt>{localized(indicator.title, lang)}</dt>
                  <dd>
                    {value && value.value !== null ? (
                      <span className="figure-value">{formatFigure(value.value, indicator.unit, lang, t, digits)}</span>
                    ) : (
                      <Missing reason={value?.reason ?? null} />
                    )}{' '}
                    <span className="figure-meta">
                      <AsOf date={value?.reference_date ?? null} hasValue={value?.value != null} />{' '}
                      <MethodBadge method={value?.method ?? indicator.method} />{' '}
                      <Ref numbers={refsOf(citations)} idPrefix="overview" />
                    </span>
                  </dd>
                </div>
              ))}
            </dl>
          </li>
        );
      })}
    </ul>
  );
}
