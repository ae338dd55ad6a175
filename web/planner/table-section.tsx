import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { attributionLines } from '../../server/domain/attribution.ts';
import { type AreaCollection, type ValuesQuery, valuesFileUrl } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { useConfig } from '../config.ts';
import { type TFunction, useI18n } from '../i18n/index.ts';
import { translate } from '../i18n/languages.ts';
import type { ChoroplethLevel, PlannerState } from '../state/planner-state.ts';
import type { SetPlannerState } from '../state/use-planner-state.ts';
import { type CsvDialect, downloadText, fileName } from './csv.ts';
import { type Shown, sameAnswer } from './shown.ts';
import type { Symbology } from './symbology.ts';
import { rowsToCsv, sortRows, tableRows } from './table-rows.ts';
import { type GeoDownload, TableView } from './table-view.tsx';
import { localized, unitLabel } from './text.ts';
import type { PlannerData } from './use-planner-data.ts';

/**
 * The table view of the indicator the map shows (never of one still loading), with its CSV downloads: German (the
 * default) and international. The downloads are disabled while the view does not show what was asked for.
 */
export function TableSection({
  state,
  setState,
  data,
  shown,
  current,
  symbology,
  digits,
}: {
  state: PlannerState;
  setState: SetPlannerState;
  data: PlannerData;
  /** What the map shows. */
  shown: Shown | null;
  /** Whether that is what the state asks for (no newer answer pending). */
  current: boolean;
  symbology: Symbology | null;
  digits: number;
}) {
  const { t, lang } = useI18n();
  const { city } = useConfig();
  const level: ChoroplethLevel = shown ? (shown.values.level === 'district' ? 'district' : 'quarter') : state.level;
  const districts = useQuery(queries.areas(level === 'quarter' ? 'district' : null));
  const districtNames = useDistrictNames(data, districts.data ?? null);
  const full = data.table.data;
  const values = full && shown && sameAnswer(full, shown.values) ? full : null;
  const rows = useMemo(
    () => (values ? tableRows(values, districtNames, (r) => localized(r, lang)) : []),
    [values, districtNames, lang],
  );
  if (!values || !symbology || !shown) {
    return (
      <section className="table-view table-view--empty" aria-busy="true">
        <p>{data.table.error ? t('planner.error.load') : t('planner.loading')}</p>
        {data.table.error ? (
          <button type="button" className="button button--secondary" onClick={() => data.table.refetch()}>
            {t('planner.retry')}
          </button>
        ) : null}
      </section>
    );
  }
  const indicator = shown.indicator;
  const unit = unitLabel(indicator.unit, t);
  const title = localized(indicator.title, lang);
  const caption = t('planner.table.caption', {
    indicator: title,
    level: t(`planner.level.${level}`),
    city: city.name,
  });
  const download = (dialect: CsvDialect) => {
    const sorted = sortRows(rows, state.sort.key, state.sort.descending);
    const c = values.classification;
    const csv = rowsToCsv(
      sorted,
      {
        indicatorId: indicator.id,
        indicatorTitle: indicator.title,
        unit: { de: unitLabel(indicator.unit, inGerman), en: indicator.unit },
        level: { de: inGerman(`planner.level.${level}`), en: level },
        classification: {
          de: `${inGerman(`planner.classes.${c.method}`)}, ${c.classes}`,
          en: `${c.method}, ${c.classes}`,
        },
        classes: symbology.classes,
        methodDe: (m) => (isMethod(m) ? inGerman(`planner.method.${m}`) : m),
        sources: indicator.sources.map((s) => s.attribution).join('; '),
        attribution: {
          de: attributionLines(indicator.sources, indicator.method !== 'published', 'de'),
          en: attributionLines(indicator.sources, indicator.method !== 'published', 'en'),
        },
      },
      dialect,
    );
    const suffix = dialect === 'de' ? [] : ['international'];
    downloadText(csv, `${fileName(city.name, indicator.id, level, ...suffix)}.csv`);
  };
  return (
    <section className="planner__table" aria-label={caption}>
      <TableView
        caption={caption}
        rows={rows}
        classes={symbology.classes}
        unit={unit}
        digits={digits}
        showParent={level === 'quarter'}
        sort={state.sort}
        onSort={(sort) => setState({ sort })}
        selected={state.area}
        onSelect={(code) => setState({ area: code }, { history: 'push' })}
        onDownload={download}
        downloadDisabled={!current}
        geoDownloads={
          data.valuesQuery
            ? geoDownloads(
                data.valuesQuery,
                fileName(city.name, indicator.id, level, ...(values.date ? [values.date] : [])),
                t,
              )
            : []
        }
      />
    </section>
  );
}

/** The German CSV speaks German whatever the page's language. */
const inGerman: TFunction = (key, params) => translate('de', key, params);
const isMethod = (m: string): m is 'published' | 'computed' | 'modelled' =>
  m === 'published' || m === 'computed' || m === 'modelled';

/** Quarter code → the name of its district. */
function useDistrictNames(data: PlannerData, districts: AreaCollection | null): Map<string, string> {
  const quarters = data.areas.data;
  return useMemo(() => {
    const map = new Map<string, string>();
    if (quarters?.meta.level !== 'quarter') return map;
    const names = new Map(districts?.features.map((f) => [f.properties.code, f.properties.name]) ?? []);
    for (const f of quarters.features) {
      const parent = f.properties.parent;
      if (parent) map.set(f.properties.code, names.get(parent) ?? parent);
    }
    return map;
  }, [quarters, districts]);
}

/**
 * The view as files for a GIS (issue 17), from the values route: GeoJSON and GeoPackage, in WGS 84 or in the
 * city's grid (EPSG:25832). Each area with the value of the date shown, its class and class range in the
 * classification shown, and the attribution its sources' licences require.
 */
function geoDownloads(q: ValuesQuery, name: string, t: ReturnType<typeof useI18n>['t']): GeoDownload[] {
  return [
    { kind: 'geojson', label: t('planner.table.geojson'), href: valuesFileUrl(q, 'geojson'), file: `${name}.geojson` },
    {
      kind: 'geojson',
      label: t('planner.table.geojson25832'),
      href: valuesFileUrl(q, 'geojson', 'EPSG:25832'),
      file: `${name}-epsg25832.geojson`,
    },
    { kind: 'gpkg', label: t('planner.table.gpkg'), href: valuesFileUrl(q, 'gpkg'), file: `${name}.gpkg` },
    {
      kind: 'gpkg',
      label: t('planner.table.gpkg25832'),
      href: valuesFileUrl(q, 'gpkg', 'EPSG:25832'),
      file: `${name}-epsg25832.gpkg`,
    },
  ];
}
