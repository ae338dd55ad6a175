import { formatRank, indicatorDecimals } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { localized } from '../planner/text.ts';
import type { Catalogue } from './council-api.ts';
import { AsOf, MethodBadge, Missing } from './figure-parts.tsx';
import { type Figure, formatCell, titleOf } from './figures.ts';
import { Ref } from './source-list.tsx';

/**
 * Every indicator the profile has for the action area, by theme: value, city value, rank, date, method and
 * sources. Missing values are listed with the reason, not left out. On screen only; the printout keeps to the
 * key figures.
 */
export function AllIndicators({
  figures,
  themes,
  refsOf,
  idPrefix,
}: {
  figures: readonly Figure[];
  themes: Catalogue['themes'];
  refsOf: (figure: Figure) => number[];
  idPrefix: string;
}) {
  const { t, lang } = useI18n();
  const byTheme = themes
    .map((theme) => ({ theme, figures: figures.filter((f) => f.theme === theme.id) }))
    .filter((g) => g.figures.length > 0);
  return (
    <div className="all-indicators">
      {byTheme.map(({ theme, figures: list }) => (
        <div key={theme.id} className="table-scroll">
          <table className="council-table">
            <caption>{localized(theme.label, lang)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('council.col.indicator')}</th>
                <th scope="col" className="num">
                  {t('council.col.area')}
                </th>
                <th scope="col" className="num">
                  {t('council.col.city')}
                </th>
                <th scope="col" className="num">
                  {t('council.col.rank')}
                </th>
                <th scope="col">{t('council.col.date')}</th>
                <th scope="col">{t('council.col.sources')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((f) => {
                const digits = indicatorDecimals(f.unit);
                return (
                  <tr key={f.id} data-indicator={f.id}>
                    <th scope="row">
                      {titleOf(f, lang)} <MethodBadge method={f.method} />
                    </th>
                    <td className="num">
                      {f.value === null ? <Missing reason={f.reason} /> : formatCell(f.value, f.unit, lang, digits)}
                    </td>
                    <td className="num">
                      {f.city.value === null
                        ? t('council.figure.missing')
                        : formatCell(f.city.value, f.unit, lang, digits)}
                    </td>
                    <td className="num">{f.rank ? formatRank(f.rank, lang, t) : '–'}</td>
                    <td>
                      <AsOf date={f.date} bare />
                    </td>
                    <td>
                      <Ref numbers={refsOf(f)} idPrefix={idPrefix} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
