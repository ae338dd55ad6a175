import { attributionLines } from '../../server/domain/attribution.ts';
import { useConfig } from '../config.ts';
import { useI18n } from '../i18n/index.ts';
import { type CsvColumn, type CsvDialect, columnsToCsv, downloadText, fileName, textIn } from '../planner/csv.ts';
import type { Catalogue } from './council-api.ts';
import type { Figure } from './figures.ts';

const EPSG_25832 = 'http://www.opengis.net/def/crs/EPSG/0/25832';

/** The columns of an action area's figures in its CSV: value, city value, rank, date, method, sources. */
const COLUMNS: readonly CsvColumn<Figure & { sources: string }>[] = [
  { de: 'Kennzahl-ID', en: 'indicator', value: (f) => f.id },
  { de: 'Kennzahl', en: 'title', value: (f, d) => textIn(f.title, d) },
  { de: 'Wert', en: 'value', value: (f) => f.value },
  { de: 'Einheit', en: 'unit', value: (f) => f.unit },
  { de: 'Grund, falls kein Wert', en: 'reason_if_missing', value: (f, d) => textIn(f.reason, d) },
  { de: 'Stadt', en: 'city_value', value: (f) => f.city.value },
  { de: 'Rang', en: 'rank', value: (f) => f.rank?.position },
  { de: 'Rang von', en: 'rank_of', value: (f) => f.rank?.of },
  { de: 'Stand', en: 'date', value: (f) => f.date },
  { de: 'Methode', en: 'method', value: (f) => f.method },
  { de: 'Quellen', en: 'sources', value: (f) => f.sources },
];

/**
 * Issue 17: an action area's figures as CSV (German or international) with the attribution its sources' licences
 * require as comment lines, and the area with every indicator's newest value as GeoJSON or GeoPackage from /ogc
 * (the GeoPackage with the attribution in its metadata), in WGS 84 or in the city's grid (EPSG:25832).
 */
export function CouncilDownloads({
  code,
  figures,
  catalogue,
}: {
  code: string;
  figures: readonly Figure[];
  catalogue: Catalogue;
}) {
  const { t } = useI18n();
  const { city } = useConfig();
  const byId = new Map(catalogue.indicators.map((i) => [i.id, i]));
  const download = (dialect: CsvDialect) => {
    const indicators = figures.flatMap((f) => byId.get(f.id) ?? []);
    const rows = figures.map((f) => ({
      ...f,
      sources: (byId.get(f.id)?.sources ?? []).map((s) => s.attribution).join('; '),
    }));
    const lines = attributionLines(
      indicators.flatMap((i) => i.sources),
      indicators.some((i) => i.method !== 'published'),
      dialect === 'de' ? 'de' : 'en',
    );
    const suffix = dialect === 'de' ? [] : ['international'];
    downloadText(
      columnsToCsv(COLUMNS, rows, dialect, lines),
      `${fileName(city.name, 'aktionsraum', code, ...suffix)}.csv`,
    );
  };
  const items = `/ogc/collections/action-areas/items?code=${encodeURIComponent(code)}&f=json`;
  const gpkg = `/ogc/collections/action-areas/items?code=${encodeURIComponent(code)}&f=gpkg`;
  const name = fileName(city.name, 'aktionsraum', code);
  return (
    <div className="council-downloads table-view__downloads" data-downloads={code}>
      <button type="button" className="button button--secondary" onClick={() => download('de')} data-download="csv">
        {t('planner.table.csv')}
      </button>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => download('intl')}
        data-download="csv-intl"
      >
        {t('planner.table.csvIntl')}
      </button>
      <a className="button button--secondary" href={items} download={`${name}.geojson`} data-download="geojson">
        {t('planner.table.geojson')}
      </a>
      <a
        className="button button--secondary"
        href={`${items}&crs=${encodeURIComponent(EPSG_25832)}`}
        download={`${name}-epsg25832.geojson`}
        data-download="geojson"
      >
        {t('planner.table.geojson25832')}
      </a>
      <a className="button button--secondary" href={gpkg} download={`${name}.gpkg`} data-download="gpkg">
        {t('planner.table.gpkg')}
      </a>
      <a
        className="button button--secondary"
        href={`${gpkg}&crs=${encodeURIComponent(EPSG_25832)}`}
        download={`${name}-epsg25832.gpkg`}
        data-download="gpkg"
      >
        {t('planner.table.gpkg25832')}
      </a>
    </div>
  );
}
