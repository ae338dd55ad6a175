import { useMemo } from 'react';
import type { PlannerState } from '../state/planner-state.ts';
import type { Shown } from './shown.ts';
import type { PlannerData } from './use-planner-data.ts';

/**
 * The attributions of what the map shows: the sources of the indicator (or of need and supply in the gap view),
 * the area boundaries, and the offer lists shown; the basemap's own come from the config. Shared by the planner
 * and the embeddable map (web/embed/).
 */
export function useAttributions(state: PlannerState, shown: Shown | null, data: PlannerData): string[] {
  return useMemo(() => {
    const byId = new Map(data.sources.data?.sources.map((s) => [s.id, s.attribution]) ?? []);
    const list: string[] = [];
    const add = (text: string | undefined) => {
      if (text && !list.includes(text) && !text.includes('OpenStreetMap')) list.push(text);
    };
    if (state.view === 'gap') {
      for (const s of [
        ...(data.gaps.data?.need.indicator.sources ?? []),
        ...(data.gaps.data?.supply.indicator.sources ?? []),
      ])
        add(s.attribution);
    } else for (const s of shown?.indicator.sources ?? []) add(s.attribution);
    // The area boundaries are always on the map.
    add(byId.get('do-boundaries'));
    if (state.offers.includes('childcare')) add(byId.get('nrw-kitas'));
    if (state.offers.includes('school')) add(byId.get('nrw-schools'));
    return list;
  }, [state.view, state.offers, shown, data.gaps.data, data.sources.data]);
}
