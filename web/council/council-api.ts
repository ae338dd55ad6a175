import type { QueryClient } from '@tanstack/react-query';
import type { AreaCollection, AreaDetail, Bbox, SourceList } from '../api/client.ts';
import { queries } from '../api/queries.ts';

/**
 * What the council pages read from the API: the action areas, the indicator catalogue, one indicator's values
 * for every action area, the fact sheet (profile) of one, the comparison of the action areas with the rest of
 * the city, and the sources. Everything goes through the app's query layer, so the planner and the council
 * pages share their answers and each is asked once. The response types are the server's own.
 */

export type {
  AreaValue,
  Catalogue,
  CatalogueIndicator,
  Gaps,
  IndicatorValues,
  Profile,
  ProfileIndicator,
} from '../api/client.ts';
export type Text = { de: string; en: string };
export type { AreaCollection, AreaDetail, SourceList };

export const ACTION_AREA = 'action-area';

/**
 * The answers a council page loads before it shows, fetched through `client` (cached answers come at once).
 * Loaders built from these run inside one query of their own, which is what a page waits for and retries.
 */
export function councilApi(client: QueryClient) {
  return {
    actionAreas: () => client.fetchQuery(queries.areas(ACTION_AREA)),
    actionArea: (code: string) => client.fetchQuery(queries.area(ACTION_AREA, code)),
    quarters: () => client.fetchQuery(queries.areas('quarter')),
    categories: () => client.fetchQuery(queries.categories()),
    offers: (bbox: Bbox, category: string[]) => client.fetchQuery(queries.offers({ bbox, category, limit: 5000 })),
    sources: () => client.fetchQuery(queries.sources()),
    catalogue: () => client.fetchQuery(queries.catalogue()),
    values: (id: string) => client.fetchQuery(queries.values({ indicator: id, level: ACTION_AREA })),
    profile: (code: string) => client.fetchQuery(queries.profile(ACTION_AREA, code)),
    gaps: (need: string, supply: string) => client.fetchQuery(queries.gaps({ need, supply, level: ACTION_AREA })),
    /** Issue 15: the change of an indicator from its earliest to its newest date, per action area. */
    change: (id: string) =>
      client.fetchQuery(queries.change({ indicator: id, level: ACTION_AREA, from: null, to: null })),
  };
}

export type CouncilApi = ReturnType<typeof councilApi>;
