import type { ReactNode } from 'react';
import { formatRank, indicatorDecimals } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { localized } from '../planner/text.ts';
import type { Text } from './council-api.ts';
import { AsOf, MethodBadge } from './figure-parts.tsx';
import { formatCell, type Method } from './figures.ts';
import { Ref } from './source-list.tsx';

export interface ComparisonRow {
  id: string;
  title: Text;
  unit: string;
  method: Method;
  date: string | null;
  /** One value per column; null is shown as missing. */
  cells: (number | null)[];
  /** "3 / 15", or null where the table has no rank column or the value none. */
  rank?: { position: number; of: number } | null;
  refs: number[];
}

/**
 * Indicators side by side: an action area (or all of them) against the rest of the city and the whole city.
 * The values of a row share their decimals, so that they compare at a glance.
 */
export function ComparisonTable({
  caption,
  columns,
  rows,
  note,
  withRank = false,
  idPrefix,
}: {
  caption: string;
  columns: readonly string[];
  rows: readonly ComparisonRow[];
  note?: ReactNode;
  withRank?: boolean;
  idPrefix: string;
}) {
  const { t, lang } = useI18n();
  return (
    <>
      <div className="table-scroll">
        <table className="council-table council-table--comparison">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('council.col.indicator')}</th>
              {columns.map((c) => (
                <th key={c} scope="col" className="num">
                  {c}
                </th>
              ))}
              {withRank ? (
                <th scope="col" className="num">
                  {t('council.col.rank')}
                </th>
              ) : null}
              <th scope="col">{t('council.col.date')}</th>
              <th scope="col">{t('council.col.sources')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const digits = indicatorDecimals(row.unit);
              return (
                <tr key={row.id} data-indicator={row.id}>
                  <th scope="row">
                    {localized(row.title, lang)} <MethodBadge method={row.method} />
                  </th>
                  {row.cells.map((value, i) => (
                    <td key={columns[i] ?? i} className="num" data-column={i}>
                      {value === null ? t('council.figure.missing') : formatCell(value, row.unit, lang, digits)}
                    </td>
                  ))}
                  {withRank ? (
                    <td className="num council-rank">{row.rank ? formatRank(row.rank, lang, t) : '–'}</td>
                  ) : null}
                  <td>
                    <AsOf date={row.date} bare />
                  </td>
                  <td>
                    <Ref numbers={row.refs} idPrefix={idPrefix} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {note ? <p className="council-note">{note}</p> : null}
    </>
  );
}
