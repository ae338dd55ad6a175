import { useMemo } from 'react';
import { api } from '../api/client.ts';
import type { PlannerState } from '../state/planner-state.ts';
import { plannerApi } from './planner-api.ts';
import { defaultGapPair, defaultIndicator, indicatorsAt } from './symbology.ts';
import { useResource } from './use-resource.ts';

/**
 * Everything the planner loads for a state: catalogue, areas, values with their classification, offers,
 * the gap analysis and the profiles. Each is loaded only when the view needs it.
 */
export function usePlannerData(state: PlannerState) {
  const catalogue = useResource('catalogue', (signal) => plannerApi.catalogue(signal));
  const available = useMemo(
    () => (catalogue.data ? indicatorsAt(catalogue.data.indicators, state.level) : []),
    [catalogue.data, state.level],
  );
  // An indicator from the URL that the level does not have falls back to the default one.
  const indicatorId =
    state.indicator && available.some((i) => i.id === state.indicator)
      ? state.indicator
      : catalogue.data
        ? defaultIndicator(catalogue.data.indicators, state.level)
        : null;
  const indicator = available.find((i) => i.id === indicatorId) ?? null;
  const levelInfo = indicator?.levels.find((l) => l.level === state.level) ?? null;
  const date = state.date && levelInfo?.dates.includes(state.date) ? state.date : null;

  const valuesQuery = indicatorId
    ? {
        indicator: indicatorId,
        level: state.level,
        method: state.method,
        classes: state.classes,
        breaks: state.breaks,
        date,
      }
    : null;
  const values = useResource(valuesQuery && `values:${JSON.stringify(valuesQuery)}`, (signal) =>
    plannerApi.values(valuesQuery as NonNullable<typeof valuesQuery>, signal),
  );
  const areas = useResource(`areas:${state.level}`, (signal) => api.areas(state.level, { signal }));
  const actionAreas = useResource(state.actionAreas ? 'areas:action-area' : null, (signal) =>
    api.areas('action-area', { signal }),
  );
  const categories = useResource('categories', (signal) => api.categories({ signal }));
  const offers = useResource(state.offers.length ? `offers:${state.offers.join(',')}` : null, (signal) =>
    api.offers({ category: state.offers, limit: 5000 }, { signal }),
  );
  const offer = useResource(state.offer ? `offer:${state.offer}` : null, (signal) =>
    api.offer(state.offer as string, { signal }),
  );
  const sources = useResource('sources', (signal) => api.sources({ signal }));

  const gapDefaults = catalogue.data ? defaultGapPair(catalogue.data.indicators, state.level) : null;
  const need = state.need && available.some((i) => i.id === state.need) ? state.need : (gapDefaults?.need ?? null);
  const supply =
    state.supply && available.some((i) => i.id === state.supply) ? state.supply : (gapDefaults?.supply ?? null);
  const gapKey = state.view === 'gap' && need && supply ? `gaps:${need}:${supply}:${state.level}` : null;
  const gaps = useResource(gapKey, (signal) => plannerApi.gaps(need as string, supply as string, state.level, signal));

  const profile = useResource(state.area ? `profile:${state.level}:${state.area}` : null, (signal) =>
    plannerApi.profile(state.level, state.area as string, signal),
  );
  const compare = useResource(state.compare ? `profile:${state.level}:${state.compare}` : null, (signal) =>
    plannerApi.profile(state.level, state.compare as string, signal),
  );

  return {
    catalogue,
    available,
    indicatorId,
    indicator,
    levelInfo,
    date,
    values,
    valuesKey: valuesQuery && `values:${JSON.stringify(valuesQuery)}`,
    areas,
    actionAreas,
    categories,
    offers,
    offer,
    sources,
    need,
    supply,
    gaps,
    profile,
    compare,
  };
}

export type PlannerData = ReturnType<typeof usePlannerData>;
