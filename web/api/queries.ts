import { QueryClient, queryOptions, skipToken } from '@tanstack/react-query';
import {
  type ApiClient,
  ApiError,
  type AreaLevel,
  api,
  type ChangeQuery,
  type IndexQuery,
  type IsochroneQuery,
  type LisaQuery,
  type NearestQuery,
  type OfferFilter,
  type ValueLevel,
  type ValuesQuery,
  type WalkRouteQuery,
} from './client.ts';

/**
 * The one data-fetching layer of the web app, on TanStack Query: every answer of the API is asked through a
 * query named here, so equal requests from two components are one request, a request nobody needs any more is
 * aborted (the client passes the query's signal to fetch), failed requests are retried, and a view can keep
 * its last answer while the next one loads (`placeholderData: keepPreviousData`).
 *
 * Offline, a request waits (TanStack's onlineManager pauses it) and is sent when the `online` event comes; a
 * request that failed is asked again then too (refetchOnReconnect).
 *
 * The atlas's data change only with an import, and the server answers with an ETag, so answers stay fresh for
 * the page's life (`staleTime: Infinity`); unused ones are dropped after `gcTime`.
 */

/** Retries for what may pass (network errors, 5xx); a 4xx answer will not change on asking again. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) return false;
  return failureCount < 2;
}

/** 0.5 s, 1 s, … between attempts, at most 4 s. */
export function retryDelay(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 4000);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: Number.POSITIVE_INFINITY,
        gcTime: 10 * 60_000,
        retry: shouldRetry,
        retryDelay,
        refetchOnWindowFocus: false,
        // When the connection returns (the browser's `online` event), what failed is asked again: an error
        // message clears by itself. Answers already there are not stale (staleTime) and are not asked again.
        refetchOnReconnect: true,
      },
    },
  });
}

/** The client of the page (one per page load); tests make their own with `createQueryClient`. */
export const queryClient = createQueryClient();

/**
 * The queries, by resource. Each takes what names the request and returns its options (key and function), for
 * `useQuery(queries.areas('district'))` in components and `queryClient.fetchQuery(...)` in loaders. An argument
 * of null means "nothing to ask yet": the query stays idle.
 */
export function queriesFor(client: ApiClient) {
  return {
    catalogue: () => queryOptions({ queryKey: ['catalogue'], queryFn: ({ signal }) => client.catalogue({ signal }) }),
    values: (q: ValuesQuery | null) =>
      queryOptions({
        queryKey: ['values', q],
        queryFn: q ? ({ signal }) => client.values(q, { signal }) : skipToken,
      }),
    mapValues: (q: ValuesQuery | null) =>
      queryOptions({
        queryKey: ['map-values', q],
        queryFn: q ? ({ signal }) => client.mapValues(q, { signal }) : skipToken,
      }),
    gaps: (pair: { need: string; supply: string; level: ValueLevel } | null) =>
      queryOptions({
        queryKey: ['gaps', pair],
        queryFn: pair ? ({ signal }) => client.gaps(pair.need, pair.supply, pair.level, { signal }) : skipToken,
      }),
    change: (q: ChangeQuery | null) =>
      queryOptions({
        queryKey: ['change', q],
        queryFn: q ? ({ signal }) => client.change(q, { signal }) : skipToken,
      }),
    series: (q: { indicator: string; level: ValueLevel; code: string } | null) =>
      queryOptions({
        queryKey: ['series', q],
        queryFn: q ? ({ signal }) => client.series(q, { signal }) : skipToken,
      }),
    lisa: (q: LisaQuery | null) =>
      queryOptions({ queryKey: ['lisa', q], queryFn: q ? ({ signal }) => client.lisa(q, { signal }) : skipToken }),
    indexPresets: () =>
      queryOptions({ queryKey: ['index-presets'], queryFn: ({ signal }) => client.indexPresets({ signal }) }),
    designation: (q: (IndexQuery & { rule: string }) | null) =>
      queryOptions({
        queryKey: ['designation', q],
        queryFn: q ? ({ signal }) => client.designation(q, { signal }) : skipToken,
      }),
    profile: (level: ValueLevel, code: string | null) =>
      queryOptions({
        queryKey: ['profile', level, code],
        queryFn: code ? ({ signal }) => client.profile(level, code, { signal }) : skipToken,
      }),
    areas: (level: AreaLevel | null) =>
      queryOptions({
        queryKey: ['areas', level],
        queryFn: level ? ({ signal }) => client.areas(level, { signal }) : skipToken,
      }),
    area: (level: AreaLevel, code: string) =>
      queryOptions({ queryKey: ['area', level, code], queryFn: ({ signal }) => client.area(level, code, { signal }) }),
    categories: () =>
      queryOptions({ queryKey: ['categories'], queryFn: ({ signal }) => client.categories({ signal }) }),
    // Issue 21: the programmes of the city's offer lists, and one of them.
    programmes: () =>
      queryOptions({ queryKey: ['programmes'], queryFn: ({ signal }) => client.programmes({ signal }) }),
    programme: (id: string) =>
      queryOptions({ queryKey: ['programme', id], queryFn: ({ signal }) => client.programme(id, { signal }) }),
    offers: (filter: OfferFilter | null) =>
      queryOptions({
        queryKey: ['offers', filter],
        queryFn: filter ? ({ signal }) => client.offers(filter, { signal }) : skipToken,
      }),
    offer: (id: string | null) =>
      queryOptions({
        queryKey: ['offer', id],
        queryFn: id ? ({ signal }) => client.offer(id, { signal }) : skipToken,
      }),
    nearest: (q: NearestQuery | null) =>
      queryOptions({
        queryKey: ['nearest', q],
        queryFn: q ? ({ signal }) => client.nearest(q, { signal }) : skipToken,
      }),
    isochrones: (q: IsochroneQuery | null) =>
      queryOptions({
        queryKey: ['isochrones', q],
        queryFn: q ? ({ signal }) => client.isochrones(q, { signal }) : skipToken,
      }),
    walkRoute: (q: WalkRouteQuery | null) =>
      queryOptions({
        queryKey: ['walkRoute', q],
        queryFn: q ? ({ signal }) => client.walkRoute(q, { signal }) : skipToken,
      }),
    search: (q: string | null, limit?: number) =>
      queryOptions({
        queryKey: ['search', q, limit],
        queryFn: q ? ({ signal }) => client.search(q, { signal, limit }) : skipToken,
      }),
    sources: () => queryOptions({ queryKey: ['sources'], queryFn: ({ signal }) => client.sources({ signal }) }),
    config: () => queryOptions({ queryKey: ['config'], queryFn: ({ signal }) => client.config({ signal }) }),
    // The editors' pages (issues 15, 21): asked with the session's token (null: signed out, idle). Every key
    // starts with 'editor', so signing out drops them all and an upload or rollback asks them again.
    editorTables: (token: string | null) =>
      queryOptions({ queryKey: ['editor', 'tables'], queryFn: token ? () => client.tables(token) : skipToken }),
    editorTable: (token: string | null, id: string | null) =>
      queryOptions({
        queryKey: ['editor', 'table', id],
        queryFn: token && id ? () => client.table(token, id) : skipToken,
      }),
    editorOfferLists: (token: string | null) =>
      queryOptions({
        queryKey: ['editor', 'offer-lists'],
        queryFn: token ? () => client.offerLists(token) : skipToken,
      }),
    editorOfferList: (token: string | null, id: string | null) =>
      queryOptions({
        queryKey: ['editor', 'offer-list', id],
        queryFn: token && id ? () => client.offerList(token, id) : skipToken,
      }),
  };
}

export type Queries = ReturnType<typeof queriesFor>;

/** The queries against the page's own origin. */
export const queries: Queries = queriesFor(api);
