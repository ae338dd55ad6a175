import { useCallback, useMemo } from 'react';
import { navigate, useLocation } from '../router.tsx';
import { type PlannerState, parsePlannerState, plannerSearch, updateState } from './planner-state.ts';

/**
 * Applies a change. `history: 'push'` makes it a step the browser's Back button undoes (a new indicator,
 * level or view, a selected area); by default the current entry is replaced (map moves, small settings).
 */
export type SetPlannerState = (patch: Partial<PlannerState>, options?: { history?: 'push' | 'replace' }) => void;

/** The planner's state, read from and written to the URL: the URL is the only place it lives. */
export function usePlannerState(): [PlannerState, SetPlannerState] {
  const { search } = useLocation();
  const state = useMemo(() => parsePlannerState(search), [search]);
  const setState = useCallback<SetPlannerState>((patch, options) => {
    // Read the URL afresh: several changes may come in one event (e.g. a click that selects and moves).
    const current = parsePlannerState(window.location.search);
    const next = updateState(current, patch);
    const query = plannerSearch(next, window.location.search);
    navigate(`${window.location.pathname}${query}${window.location.hash}`, {
      replace: options?.history !== 'push',
    });
  }, []);
  return [state, setState];
}
