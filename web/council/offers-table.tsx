import type { CategoryList } from '../api/client.ts';
import { indicatorDecimals } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { labelIn } from '../planner/text.ts';
import { AsOf } from './figure-parts.tsx';
import { type Figure, formatCell } from './figures.ts';
import type { OfferRow } from './selection.ts';
import { Ref } from './source-list.tsx';

/** Offers in the action area per category: how many, per 1,000 addresses, and the city's rate beside it. */
export function OffersTable({
  rows,
  figures,
  categories,
  refsOf,
  idPrefix,
  caption,
}: {
  rows: readonly OfferRow[];
  figures: ReadonlyMap<string, Figure>;
  categories: CategoryList | null;
  refsOf: (ids: readonly (string | null)[]) => number[];
  idPrefix: string;
  caption: string;
}) {
  const { t, lang } = useI18n();
  const labels = new Map((categories?.categories ?? []).map((c) => [c.code, c.labels]));
  // Every rate per 1,000 residents has the decimals of its unit, as on every page (web/format.ts).
  const rateDigits = indicatorDecimals(
    rows.map((r) => (r.per1000Id ? figures.get(r.per1000Id)?.unit : undefined)).find(Boolean) ?? '',
  );
  return (
    <div className="table-scroll">
      <table className="council-table council-table--offers">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('council.col.category')}</th>
            <th scope="col" className="num">
              {t('council.col.count')}
            </th>
            <th scope="col" className="num">
              {t('council.col.per1000')}
            </th>
            <th scope="col" className="num">
              {t('council.col.cityPer1000')}
            </th>
            <th scope="col">{t('council.col.date')}</th>
            <th scope="col">{t('council.col.sources')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const rate = r.per1000Id ? figures.get(r.per1000Id) : undefined;
            const count = r.countId ? figures.get(r.countId) : undefined;
            const label = labels.get(r.category);
            const incomplete = categories?.categories.find((c) => c.code === r.category)?.incomplete ?? null;
            return (
              <tr key={r.category} data-category={r.category} data-incomplete={incomplete ? '' : undefined}>
                <th scope="row">
                  {label ? labelIn(label, lang) : lang === 'de' ? r.label.de : r.label.en}
                  {incomplete ? (
                    <span className="council-caveat"> ({lang === 'de' ? incomplete.de : incomplete.en})</span>
                  ) : null}
                </th>
                <td className="num" data-measure="count">
                  {r.count === null ? t('council.figure.missing') : formatCell(r.count, '', lang, 0)}
                </td>
                <td className="num" data-measure="per1000">
                  {r.per1000 === null ? t('council.figure.missing') : formatCell(r.per1000, '', lang, rateDigits)}
                </td>
                <td className="num" data-measure="city-per1000">
                  {rate?.city.value == null
                    ? t('council.figure.missing')
                    : formatCell(rate.city.value, '', lang, rateDigits)}
                </td>
                <td>
                  <AsOf date={rate?.date ?? count?.date ?? null} bare />
                </td>
                <td>
                  <Ref numbers={refsOf([r.countId, r.per1000Id])} idPrefix={idPrefix} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
