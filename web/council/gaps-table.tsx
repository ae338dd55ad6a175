import { indicatorDecimals } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { localized } from '../planner/text.ts';
import { AsOf } from './figure-parts.tsx';
import { type Figure, formatCell } from './figures.ts';
import type { GapRow } from './selection.ts';
import { Ref } from './source-list.tsx';

/**
 * Coverage gaps: the share of the action area's residents beyond the radius from the nearest offer of each
 * kind, as a number and a bar, with the city's share marked on the bar.
 */
export function GapsTable({
  rows,
  figures,
  refsOf,
  idPrefix,
  caption,
}: {
  rows: readonly GapRow[];
  figures: ReadonlyMap<string, Figure>;
  refsOf: (id: string) => number[];
  idPrefix: string;
  caption: string;
}) {
  const { t, lang } = useI18n();
  const digits = indicatorDecimals('%');
  return (
    <div className="table-scroll">
      <table className="council-table council-table--gaps">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('council.col.offerKind')}</th>
            <th scope="col" className="num">
              {t('council.col.area')}
            </th>
            <th scope="col" className="gap-bar-col">
              <span className="visually-hidden">{t('council.gaps.bar')}</span>
            </th>
            <th scope="col" className="num">
              {t('council.col.city')}
            </th>
            <th scope="col">{t('council.col.date')}</th>
            <th scope="col">{t('council.col.sources')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.target} data-target={r.target} data-indicator={r.indicatorId}>
              <th scope="row">
                {localized(r.label, lang)}
                <DataCaveat title={figures.get(r.indicatorId)?.title ?? null} />
              </th>
              <td className="num" data-measure="beyond">
                {r.beyond === null ? t('council.figure.missing') : formatCell(r.beyond, '%', lang, digits)}
              </td>
              <td className="gap-bar-col" aria-hidden="true">
                <span className="gap-bar">
                  <span
                    className="gap-bar__fill"
                    style={{ inlineSize: `${Math.max(0, Math.min(100, r.beyond ?? 0))}%` }}
                  />
                  {r.cityBeyond !== null ? (
                    <span
                      className="gap-bar__city"
                      style={{ insetInlineStart: `${Math.max(0, Math.min(100, r.cityBeyond))}%` }}
                    />
                  ) : null}
                </span>
              </td>
              <td className="num" data-measure="city-beyond">
                {r.cityBeyond === null ? t('council.figure.missing') : formatCell(r.cityBeyond, '%', lang, digits)}
              </td>
              <td>
                <AsOf date={figures.get(r.indicatorId)?.date ?? null} bare />
              </td>
              <td>
                <Ref numbers={refsOf(r.indicatorId)} idPrefix={idPrefix} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The mark the import puts at the end of the title of a figure made from data too thin or patchy to answer for
 * (server/sql/derive/180_category_caveats.sql: "(Daten unvollständig)", "(Daten lückenhaft)"), shown beside the
 * offer kind: a gap there may be a gap in the data.
 */
function DataCaveat({ title }: { title: { de: string; en: string } | null }) {
  const { lang } = useI18n();
  const mark = title ? localized(title, lang).match(/\s(\([^()]+\))$/)?.[1] : undefined;
  return mark ? <span className="council-caveat"> {mark}</span> : null;
}
