import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { queries } from '../api/queries.ts';
import { useConfig } from '../config.ts';
import { formatRank, indicatorDecimals, locales } from '../format.ts';
import { type Lang, useI18n } from '../i18n/index.ts';
import { localized } from '../planner/text.ts';
import { Link, setSearchParams, useSearchParam } from '../router.tsx';
import type { Citation, NumberedSources } from './citations.ts';
import { ACTION_AREA, type AreaCollection, type Catalogue } from './council-api.ts';
import { councilPath } from './council-route.ts';
import { AsOf, MethodBadge, Missing } from './figure-parts.tsx';
import { citationsOf, formatCell, formatFigure, unitText } from './figures.ts';
import { LoadError, Loading } from './load-state.tsx';
import { firstDirection, ranks, type SortDirection, type SortKey, sortRows } from './ranking.ts';
import { Ref } from './source-list.tsx';

/** The indicators that can rank the action areas: those with values for them, grouped by theme. */
function rankable(catalogue: Catalogue, lang: Lang) {
  const indicators = catalogue.indicators.filter((i) =>
    i.levels.some((l) => l.level === 'action-area' && l.with_value > 0),
  );
  return catalogue.themes
    .map((theme) => ({
      id: theme.id,
      label: localized(theme.label, lang),
      indicators: indicators.filter((i) => i.theme === theme.id),
    }))
    .filter((g) => g.indicators.length > 0);
}

/**
 * The comparison table: the 13 numbered action areas ranked by an indicator the reader chooses (kept in the
 * URL as `?indicator=`), sortable by rank, number and name. The two small unnumbered areas are listed below it.
 */
export function RankingSection({
  catalogue,
  areas,
  list,
  onCitations,
}: {
  catalogue: Catalogue;
  areas: AreaCollection;
  list: NumberedSources;
  onCitations: (citations: Citation[]) => void;
}) {
  const { t, lang } = useI18n();
  const groups = useMemo(() => rankable(catalogue, lang), [catalogue, lang]);
  const ids = groups.flatMap((g) => g.indicators.map((i) => i.id));
  const asked = useSearchParam('indicator');
  const { ranking } = useConfig().council;
  const id = asked && ids.includes(asked) ? asked : ranking && ids.includes(ranking) ? ranking : ids[0];
  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection }>({
    key: 'value',
    direction: 'descending',
  });
  const values = useQuery(queries.values(id ? { indicator: id, level: ACTION_AREA } : null));

  const ready = values.data ?? null;
  const numbered = useMemo(
    () => new Set(areas.features.filter((f) => f.properties.numbered).map((f) => f.properties.code)),
    [areas],
  );
  const rows = useMemo(
    () =>
      (ready?.values ?? []).map((v) => ({
        ...v,
        citations: citationsOf(
          v.source,
          v.method ?? ready?.indicator.method ?? 'computed',
          ready?.indicator.sources ?? [],
          v.note,
        ),
      })),
    [ready],
  );
  useEffect(() => {
    onCitations(rows.filter((r) => numbered.has(r.code)).flatMap((r) => r.citations));
  }, [rows, numbered, onCitations]);

  if (!id) return null;
  const ranked = rows.filter((r) => numbered.has(r.code));
  const others = rows.filter((r) => !numbered.has(r.code));
  const rankOf = ranks(ranked);
  const sorted = sortRows(ranked, sort.key, sort.direction, locales[lang]);
  const indicator = ready?.indicator;
  const digits = indicatorDecimals(indicator?.unit ?? '');
  const unit = indicator && indicator.unit !== '%' ? unitText(indicator.unit, null, t) : '';
  const columnName: Record<SortKey, string> = {
    value: unit ? `${t('council.col.value')} (${unit})` : t('council.col.value'),
    code: t('council.col.number'),
    name: t('council.col.name'),
  };
  const header = (key: SortKey, className?: string) => {
    const current = sort.key === key;
    const next: SortDirection = current
      ? sort.direction === 'ascending'
        ? 'descending'
        : 'ascending'
      : firstDirection(key);
    return (
      <th scope="col" className={className} aria-sort={current ? sort.direction : 'none'}>
        <button
          type="button"
          className="sort-button"
          data-sort={key}
          onClick={() => setSort({ key, direction: next })}
          aria-label={t('council.ranking.sortBy', {
            column: columnName[key],
            direction: t(`council.ranking.${next}`),
          })}
        >
          {columnName[key]}
          <span className="sort-button__arrow" aria-hidden="true">
            {current ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ' ↕'}
          </span>
        </button>
        {/* Paper has no buttons: the column's name stands there alone. */}
        <span className="council-print-only" aria-hidden="true">
          {columnName[key]}
        </span>
      </th>
    );
  };

  return (
    <div className="ranking">
      <label className="council-field">
        <span>{t('council.ranking.indicator')}</span>
        <select name="indicator" value={id} onChange={(event) => setSearchParams({ indicator: event.target.value })}>
          {groups.map((g) => (
            <optgroup key={g.id} label={g.label}>
              {g.indicators.map((i) => (
                <option key={i.id} value={i.id}>
                  {localized(i.title, lang)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {values.isFetching ? <Loading /> : null}
      {values.isError && !values.isFetching ? <LoadError error={values.error} retry={() => values.refetch()} /> : null}
      {indicator ? (
        <>
          <div className="table-scroll">
            <table className="council-table council-table--ranking" data-indicator={indicator.id}>
              <caption>
                {t('council.ranking.caption', {
                  count: ranked.length,
                  indicator: localized(indicator.title, lang),
                  column: columnName[sort.key],
                  direction: t(`council.ranking.${sort.direction}`),
                })}{' '}
                <MethodBadge method={indicator.method} />
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('council.col.rank')}
                  </th>
                  {header('code')}
                  {header('name')}
                  {header('value', 'num')}
                  <th scope="col">{t('council.col.date')}</th>
                  <th scope="col">{t('council.col.sources')}</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((r) => (
                  <tr key={r.code} data-area={r.code}>
                    <td className="num council-rank">
                      {rankOf.has(r.code)
                        ? formatRank({ position: rankOf.get(r.code) as number, of: rankOf.size }, lang, t)
                        : '–'}
                    </td>
                    <td>{r.code}</td>
                    <th scope="row">
                      <Link to={councilPath(r.code)} markCurrent={false}>
                        {r.name}
                      </Link>
                    </th>
                    <td className="num" data-value>
                      {r.value === null ? (
                        <Missing reason={r.reason} />
                      ) : (
                        formatCell(r.value, indicator.unit, lang, digits)
                      )}
                    </td>
                    <td>
                      <AsOf date={r.reference_date} bare />
                    </td>
                    <td>
                      <Ref numbers={list.numbersOf(r.citations)} idPrefix="overview" />
                    </td>
                  </tr>
                ))}
              </tbody>
              {ready?.city ? (
                <tfoot>
                  <tr>
                    <td />
                    <td />
                    <th scope="row">{t('council.col.city')}</th>
                    <td className="num">
                      {ready.city.value === null ? (
                        <Missing reason={ready.city.reason} />
                      ) : (
                        formatCell(ready.city.value, indicator.unit, lang, digits)
                      )}
                    </td>
                    <td>
                      <AsOf date={ready.city.reference_date} bare />
                    </td>
                    <td />
                  </tr>
                </tfoot>
              ) : null}
            </table>
          </div>
          <p className="council-note">
            {t('council.ranking.rankNote', { count: ranked.length })}{' '}
            {others.length
              ? t('council.ranking.unnumbered', {
                  list: others
                    .map(
                      (o) =>
                        `${o.name}: ${
                          o.value === null
                            ? t('council.figure.missing')
                            : formatFigure(o.value, indicator.unit, lang, t, digits)
                        }`,
                    )
                    .join('; '),
                })
              : ''}
          </p>
        </>
      ) : null}
    </div>
  );
}
