import type { CSSProperties, ReactNode } from 'react';
import { formatNumber, formatValue } from '../format.ts';
import { type Lang, useI18n } from '../i18n/index.ts';
import { NO_DATA_FILL, NO_DATA_HATCH } from '../layers/palettes.ts';
import type { LegendClass } from './symbology.ts';

/**
 * A class's range as the legend writes it: "1,0 – 2,7" for the first class, "> 2,7 – 4,1" for the others (upper
 * bounds are inclusive). Classes the data does not reach (standard deviation, manual breaks) have bounds outside
 * the data: "≤ 65,1" before the minimum, "> 94,3" after the maximum.
 */
export function classRange(c: LegendClass, index: number, lang: Lang, digits: number): string {
  const to = formatNumber(c.to, lang, digits);
  if (index === 0) return c.from > c.to ? `≤ ${to}` : `${formatNumber(c.from, lang, digits)} – ${to}`;
  const from = formatNumber(c.from, lang, digits);
  return c.from >= c.to ? `> ${from}` : `> ${from} – ${to}`;
}

/** The hatching of areas without data, as on the map. */
export const noDataSwatchStyle: CSSProperties = {
  background: `repeating-linear-gradient(135deg, ${NO_DATA_HATCH} 0 1px, ${NO_DATA_FILL} 1px 5px)`,
};

export interface MissingArea {
  code: string;
  name: string;
  reason: string;
  suppressed: boolean;
}

export interface ClassLegendProps {
  /** Heading of the legend: the indicator's title. */
  title: string;
  /** Unit of the indicator, for the heading. */
  unit: string;
  /** Unit written after a value (empty for an index). */
  valueUnit: string;
  classes: readonly LegendClass[];
  /** Decimals of the class bounds. */
  digits: number;
  /** Areas without a colour: missing values and values withheld for privacy. */
  missing: readonly MissingArea[];
  /** The city's value, marked in the class that holds it. */
  city?: { label: string; value: number | null } | null;
  /** Says that a diverging scheme is centred on the city value. */
  centred?: boolean;
  /** Classes asked for that held no area and were merged (`into`: the index of the class their range went to). */
  merged?: readonly { requested: number; into: number }[];
  /** Reference date, method and source. */
  children?: ReactNode;
  /** A newer answer is on its way: the legend still describes the map as drawn. */
  loading?: boolean;
}

/**
 * A legend of classes: one row per class with its colour, range and number of areas, then the areas without
 * data, named, and what the map rests on. The rows carry their class index, colour, bounds and count as data
 * attributes (data-class, data-color, data-from, data-to, data-count), for tests and tools.
 */
export function ClassLegend({
  title,
  unit,
  valueUnit,
  classes,
  digits,
  missing,
  city,
  centred,
  merged = [],
  children,
  loading = false,
}: ClassLegendProps) {
  const { t, lang } = useI18n();
  const cityClass =
    city?.value === null || city?.value === undefined
      ? -1
      : classes.findIndex((c, i) => (city.value as number) <= c.to || i === classes.length - 1);
  const suppressed = missing.filter((m) => m.suppressed).length;
  const mergedInto = (i: number) => merged.filter((m) => m.into === i).length;
  return (
    <section className="legend" aria-labelledby="legend-title" aria-busy={loading || undefined}>
      <h2 id="legend-title" className="legend__title">
        {title}
        {unit ? <span className="legend__unit"> ({unit})</span> : null}
      </h2>
      <table className="legend__classes">
        <caption className="visually-hidden">{t('planner.legend.caption')}</caption>
        <thead className="visually-hidden">
          <tr>
            <th scope="col">{t('planner.legend.color')}</th>
            <th scope="col">{t('planner.legend.range')}</th>
            <th scope="col">{t('planner.legend.areas')}</th>
          </tr>
        </thead>
        <tbody>
          {classes.map((c, i) => (
            <tr
              key={c.index}
              className="legend__class"
              data-class={c.index}
              data-color={c.color}
              data-from={c.from}
              data-to={c.to}
              data-count={c.count}
              data-merged={mergedInto(i) || undefined}
            >
              <td>
                <span className="legend__swatch" style={{ background: c.color }} aria-hidden="true" />
              </td>
              <td className="legend__range">
                {classRange(c, i, lang, digits)}
                {i === cityClass && city ? (
                  <span className="legend__city" title={t('planner.legend.cityIn', { city: city.label })}>
                    {' '}
                    ◆ {city.label}
                  </span>
                ) : null}
                {mergedInto(i) > 0 ? (
                  <span className="legend__merged" title={t('planner.legend.mergedInto', { n: mergedInto(i) })}>
                    {' '}
                    ＋{mergedInto(i)}
                  </span>
                ) : null}
              </td>
              <td className="legend__count">{c.count}</td>
            </tr>
          ))}
          {missing.length > 0 ? (
            <tr className="legend__class legend__class--missing" data-class="none">
              <td>
                <span className="legend__swatch" style={noDataSwatchStyle} aria-hidden="true" />
              </td>
              <td className="legend__range">
                {suppressed > 0 ? t('planner.legend.noDataSuppressed', { n: suppressed }) : t('planner.legend.noData')}
              </td>
              <td className="legend__count">{missing.length}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {merged.length > 0 ? (
        <p className="legend__note" data-merged-classes={merged.length}>
          ＋{' '}
          {t('planner.legend.merged', {
            asked: classes.length + merged.length,
            shown: classes.length,
            n: merged.length,
          })}
        </p>
      ) : null}
      {city ? (
        <p className="legend__note">
          ◆ {city.label}: {formatValue(city.value, valueUnit, lang)}
          {centred ? ` · ${t('planner.legend.centred')}` : null}
        </p>
      ) : null}
      {missing.length > 0 ? (
        <details className="legend__missing">
          <summary>{t('planner.legend.missingList', { n: missing.length })}</summary>
          <ul>
            {missing.map((m) => (
              <li key={m.code} data-code={m.code} data-suppressed={m.suppressed ? 'true' : undefined}>
                <strong>{m.name}</strong>
                {m.suppressed ? <span className="badge">{t('planner.legend.suppressed')}</span> : null}
                <span className="legend__reason">{m.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {children ? <div className="legend__meta">{children}</div> : null}
    </section>
  );
}
