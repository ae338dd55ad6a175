import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ValuesQuery } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { useConfig } from '../config.ts';
import type { PlannerState } from '../state/planner-state.ts';
import { defaultGapPair, defaultIndicator, indicatorsAt } from './symbology.ts';

/**
 * Everything the planner loads for a state: catalogue, areas, values with their classification (lean for the
 * map, in full for the table), offers,
 * the gap analysis and the profiles. Each is loaded only when the view needs it. The map's data (values,
 * areas, gaps) keep their last answer while the next loads, so the map does not blink empty between two
 * indicators; `isFetching` says a newer answer is on its way.
 */
export function usePlannerData(state: PlannerState) {
  const { planner: preferred } = useConfig();
  const catalogue = useQuery(queries.catalogue());
  const available = useMemo(
    () => (catalogue.data ? indicatorsAt(catalogue.data.indicators, state.level) : []),
    [catalogue.data, state.level],
  );
  // An indicator from the URL that the level does not have falls back to the default one (and the page says so).
  const indicatorId =
    state.indicator && available.some((i) => i.id === state.indicator)
      ? state.indicator
      : catalogue.data
        ? defaultIndicator(catalogue.data.indicators, state.level, preferred.indicators)
        : null;
  const indicator = available.find((i) => i.id === indicatorId) ?? null;
  const levelInfo = indicator?.levels.find((l) => l.level === state.level) ?? null;
  const date = state.date && levelInfo?.dates.includes(state.date) ? state.date : null;

  const valuesQuery: ValuesQuery | null = indicatorId
    ? {
        indicator: indicatorId,
        level: state.level,
        method: state.method,
        classes: state.classes,
        breaks: state.method === 'manual' ? state.breaks : null,
        date,
      }
    : null;
  // The map's values in their lean form; the full answer (names, notes, sources per value) only for the table.
  const values = useQuery({ ...queries.mapValues(valuesQuery), placeholderData: keepPreviousData });
  const table = useQuery({
    ...queries.values(state.view === 'table' ? valuesQuery : null),
    placeholderData: state.view === 'table' ? keepPreviousData : undefined,
  });
  const areas = useQuery({ ...queries.areas(state.level), placeholderData: keepPreviousData });
  const actionAreas = useQuery(queries.areas(state.actionAreas ? 'action-area' : null));
  const categories = useQuery(queries.categories());
  const offers = useQuery({
    ...queries.offers(state.offers.length ? { category: state.offers, limit: 5000 } : null),
    // Another choice of categories keeps the points shown until its answer is there; none chosen shows none.
    placeholderData: state.offers.length ? keepPreviousData : undefined,
  });
  const offer = useQuery(queries.offer(state.offer));
  const sources = useQuery(queries.sources());

  const gapDefaults = catalogue.data ? defaultGapPair(catalogue.data.indicators, state.level, preferred) : null;
  const need = state.need && available.some((i) => i.id === state.need) ? state.need : (gapDefaults?.need ?? null);
  const supply =
    state.supply && available.some((i) => i.id === state.supply) ? state.supply : (gapDefaults?.supply ?? null);
  const gapPair = state.view === 'gap' && need && supply ? { need, supply, level: state.level } : null;
  const gaps = useQuery({
    ...queries.gaps(gapPair),
    placeholderData: gapPair ? keepPreviousData : undefined,
  });

  // Hot spots of the indicator shown, at its date (issue 18).
  const lisaQuery =
    state.view === 'hotspots' && indicatorId ? { indicator: indicatorId, level: state.level, date } : null;
  const lisa = useQuery({ ...queries.lisa(lisaQuery), placeholderData: lisaQuery ? keepPreviousData : undefined });

  // The change between two dates of the indicator shown (issue 15): only where it has more than one.
  const since = state.since && levelInfo?.dates.includes(state.since) ? state.since : null;
  const changeQuery =
    state.view === 'change' && indicatorId && (levelInfo?.dates.length ?? 0) > 1
      ? { indicator: indicatorId, level: state.level, from: since, to: date }
      : null;
  const change = useQuery({
    ...queries.change(changeQuery),
    placeholderData: changeQuery ? keepPreviousData : undefined,
  });

  const profile = useQuery(queries.profile(state.level, state.area));
  const compare = useQuery(queries.profile(state.level, state.compare));

  const missingAtLevel = (id: string | null) =>
    catalogue.data && id && !available.some((i) => i.id === id)
      ? (catalogue.data.indicators.find((i) => i.id === id) ?? null)
      : null;

  return {
    catalogue,
    available,
    /** The indicators the URL asks for that the level has no values for: the page shows another and says so. */
    notAtLevel: {
      indicator: missingAtLevel(state.indicator),
      need: missingAtLevel(state.need),
      supply: missingAtLevel(state.supply),
    },
    valuesQuery,
    table,
    indicatorId,
    indicator,
    levelInfo,
    date,
    values,
    areas,
    actionAreas,
    categories,
    offers,
    offer,
    sources,
    need,
    supply,
    gaps,
    lisa,
    change,
    since,
    profile,
    compare,
  };
}

export type PlannerData = ReturnType<typeof usePlannerData>;
