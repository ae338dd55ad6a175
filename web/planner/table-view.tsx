import { formatNumber } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import type { SortKey } from '../state/planner-state.ts';
import type { CsvDialect } from './csv.ts';
import type { LegendClass } from './symbology.ts';
import { sortRows, type TableRow } from './table-rows.ts';

/**
 * The current indicator as a table: the alternative to the map for keyboard and screen-reader users, and the
 * place to read exact values. Column headers are buttons that sort (aria-sort tells which way).
 */
export function TableView({
  caption,
  rows,
  classes,
  unit,
  digits,
  showParent,
  sort,
  onSort,
  selected,
  onSelect,
  onDownload,
  downloadDisabled = false,
  geoDownloads = [],
}: {
  caption: string;
  rows: readonly TableRow[];
  classes: readonly LegendClass[];
  unit: string;
  digits: number;
  showParent: boolean;
  sort: { key: SortKey; descending: boolean };
  onSort: (sort: { key: SortKey; descending: boolean }) => void;
  selected: string | null;
  onSelect: (code: string) => void;
  /** Download the rows as CSV: German (semicolon, decimal comma) or international (comma, point). */
  onDownload: (dialect: CsvDialect) => void;
  downloadDisabled?: boolean;
  /** Files of the view the server makes (issue 17: GeoJSON and GeoPackage), as links. */
  geoDownloads?: readonly GeoDownload[];
}) {
  const { t, lang } = useI18n();
  const sorted = sortRows(rows, sort.key, sort.descending);
  const header = (key: SortKey, label: string, numeric = false) => {
    const active = sort.key === key;
    return (
      <th
        scope="col"
        aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
        className={numeric ? 'num' : undefined}
      >
        <button
          type="button"
          className="sort-button"
          data-sort={key}
          onClick={() => onSort({ key, descending: active ? !sort.descending : key === 'value' || key === 'class' })}
        >
          {label}
          <span className="sort-button__icon" aria-hidden="true">
            {active ? (sort.descending ? '▼' : '▲') : '↕'}
          </span>
        </button>
      </th>
    );
  };
  return (
    <div className="table-view">
      <div className="table-view__bar">
        <p className="table-view__count" role="status">
          {t('planner.table.count', { n: rows.length })}
        </p>
        <span className="table-view__downloads">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => onDownload('de')}
            disabled={downloadDisabled}
          >
            {t('planner.table.csv')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => onDownload('intl')}
            disabled={downloadDisabled}
          >
            {t('planner.table.csvIntl')}
          </button>
          {geoDownloads.map((g) =>
            downloadDisabled ? null : (
              <a
                key={g.href}
                className="button button--secondary"
                href={g.href}
                download={g.file}
                data-download={g.kind}
              >
                {g.label}
              </a>
            ),
          )}
        </span>
      </div>
      <div className="table-view__scroll">
        <table className="data-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              {header('name', t('planner.table.name'))}
              {header('code', t('planner.table.code'))}
              {showParent ? <th scope="col">{t('planner.table.district')}</th> : null}
              {header('value', unit ? `${t('planner.table.value')} (${unit})` : t('planner.table.value'), true)}
              {header('class', t('planner.table.class'), true)}
              <th scope="col">{t('planner.table.note')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => {
              const cls = r.cls === null ? null : classes[r.cls];
              return (
                <tr key={r.code} data-code={r.code} aria-selected={r.code === selected || undefined}>
                  <th scope="row">
                    <button type="button" className="link-button" onClick={() => onSelect(r.code)}>
                      {r.name}
                    </button>
                  </th>
                  <td>{r.code}</td>
                  {showParent ? <td>{r.parent ?? ''}</td> : null}
                  <td className="num" data-value={r.value ?? ''}>
                    {r.value === null
                      ? r.suppressed
                        ? t('planner.table.withheld')
                        : '–'
                      : formatNumber(r.value, lang, digits)}
                  </td>
                  <td className="num">
                    {cls ? (
                      <span className="table-class">
                        <span
                          className="legend__swatch legend__swatch--small"
                          style={{ background: cls.color }}
                          aria-hidden="true"
                        />
                        {r.cls === null ? '' : r.cls + 1}
                      </span>
                    ) : (
                      '–'
                    )}
                  </td>
                  <td className="data-table__note">{r.value === null ? r.reason : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** A file of the view that the server makes, offered as a link. */
export interface GeoDownload {
  kind: 'geojson' | 'gpkg';
  label: string;
  href: string;
  file: string;
}
