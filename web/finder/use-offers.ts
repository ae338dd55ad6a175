import { type UseQueryResult, useQueries, useQuery } from '@tanstack/react-query';
import type { OfferDetail } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { OSM_ROUTE_TEMPLATE } from './format.ts';

/** The answers so far, by offer id (stable between renders while no answer arrives: the query layer memoises it). */
function byId(results: UseQueryResult<OfferDetail>[]): ReadonlyMap<string, OfferDetail> {
  return new Map(results.flatMap((r) => (r.data ? [[r.data.id, r.data] as const] : [])));
}

/**
 * The details of these offers as they arrive: the list shows their addresses (the nearest answer has none), the
 * details view the rest. Each is asked once per page (the query layer keeps it); an offer whose request fails is
 * simply missing, and asked again when the list is shown again.
 */
export function useOfferDetails(ids: readonly string[]): ReadonlyMap<string, OfferDetail> {
  return useQueries({ queries: ids.map((id) => ({ ...queries.offer(id), retry: false })), combine: byId });
}

/**
 * The route link's template: the configured one, else (none configured, not known yet, or /api/config failed)
 * OpenStreetMap's directions on foot.
 */
export function useRouteTemplate(): string {
  return useQuery({ ...queries.config(), select: (c) => c.routeUrlTemplate }).data ?? OSM_ROUTE_TEMPLATE;
}
