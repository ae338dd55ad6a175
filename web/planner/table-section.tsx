import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { AreaCollection, IndicatorValues } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { useConfig } from '../config.ts';
import { useI18n } from '../i18n/index.ts';
import type { PlannerState } from '../state/planner-state.ts';
import type { SetPlannerState } from '../state/use-planner-state.ts';
import { downloadText, fileName } from './csv.ts';
import type { Symbology } from './symbology.ts';
import { rowsToCsv, sortRows, tableRows } from './table-rows.ts';
import { TableView } from './table-view.tsx';
import { localized, unitLabel } from './text.ts';
import type { PlannerData } from './use-planner-data.ts';

/** The table view of the current indicator, with its CSV download. */
export function TableSection({
  state,
  setState,
  data,
  values,
  symbology,
  digits,
}: {
  state: PlannerState;
  setState: SetPlannerState;
  data: PlannerData;
  values: IndicatorValues | null;
  symbology: Symbology | null;
  digits: number;
}) {
  const { t, lang } = useI18n();
  const { city } = useConfig();
  const districts = useQuery(queries.areas(state.level === 'quarter' ? 'district' : null));
  const districtNames = useDistrictNames(data, districts.data ?? null);
  const rows = useMemo(
    () => (values ? tableRows(values, districtNames, (r) => localized(r, lang)) : []),
    [values, districtNames, lang],
  );
  if (!values || !symbology || !data.indicator) {
    return (
      <section className="table-view table-view--empty" aria-busy="true">
        <p>{t('planner.loading')}</p>
      </section>
    );
  }
  const indicator = data.indicator;
  const unit = unitLabel(indicator.unit, t);
  const title = localized(indicator.title, lang);
  const caption = t('planner.table.caption', {
    indicator: title,
    level: t(`planner.level.${state.level}`),
    city: city.name,
  });
  const download = () => {
    const sorted = sortRows(rows, state.sort.key, state.sort.descending);
    const csv = rowsToCsv(sorted, {
      indicatorId: indicator.id,
      indicatorTitle: title,
      unit: indicator.unit,
      level: state.level,
      classification: `${values.classification.method}, ${values.classification.classes}`,
      classes: symbology.classes,
      sources: indicator.sources.map((s) => s.attribution).join('; '),
    });
    downloadText(csv, `${fileName(city.name, indicator.id, state.level)}.csv`);
  };
  return (
    <section className="planner__table" aria-label={caption}>
      <TableView
        caption={caption}
        rows={rows}
        classes={symbology.classes}
        unit={unit}
        digits={digits}
        showParent={state.level === 'quarter'}
        sort={state.sort}
        onSort={(sort) => setState({ sort })}
        selected={state.area}
        onSelect={(code) => setState({ area: code }, { history: 'push' })}
        onDownload={download}
      />
    </section>
  );
}

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
