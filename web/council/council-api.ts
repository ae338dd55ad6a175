import type { z } from 'zod';
import type {
  CatalogueResponse,
  GapsResponse,
  ProfileResponse,
  ValuesResponse,
} from '../../server/domain/indicators-schema.ts';
import { ApiError, type AreaCollection, type AreaDetail, api, type Problem, type SourceList } from '../api/client.ts';

/**
 * What the council pages read from the API: the action areas, the indicator catalogue, one indicator's values
 * for every action area, the fact sheet (profile) of one, the comparison of the action areas with the rest of
 * the city, and the sources. The response types are the server's own, imported as types only.
 */

export type Catalogue = z.infer<typeof CatalogueResponse>;
export type CatalogueIndicator = Catalogue['indicators'][number];
export type IndicatorValues = z.infer<typeof ValuesResponse>;
export type AreaValue = IndicatorValues['values'][number];
export type Profile = z.infer<typeof ProfileResponse>;
export type ProfileIndicator = Profile['indicators'][number];
export type Gaps = z.infer<typeof GapsResponse>;
export type Text = { de: string; en: string };
export type { AreaCollection, AreaDetail, SourceList };

export const ACTION_AREA = 'action-area';

async function getJson<T>(path: string, params: Record<string, string> = {}, signal?: AbortSignal): Promise<T> {
  const query = new URLSearchParams(params).toString();
  const res = await fetch(query ? `${path}?${query}` : path, { headers: { accept: 'application/json' }, signal });
  if (!res.ok) {
    const problem: Problem = res.headers.get('content-type')?.includes('json')
      ? ((await res.json()) as Problem)
      : { title: res.statusText || 'Error', status: res.status };
    throw new ApiError(res.status, problem);
  }
  return (await res.json()) as T;
}

const seg = encodeURIComponent;

export const councilApi = {
  actionAreas: (signal?: AbortSignal) => api.areas(ACTION_AREA, { signal }),
  actionArea: (code: string, signal?: AbortSignal) => api.area(ACTION_AREA, code, { signal }),
  sources: (signal?: AbortSignal) => api.sources({ signal }),
  catalogue: (signal?: AbortSignal) => getJson<Catalogue>('/api/indicators', {}, signal),
  values: (id: string, signal?: AbortSignal) =>
    getJson<IndicatorValues>(`/api/indicators/${seg(id)}/values`, { level: ACTION_AREA }, signal),
  profile: (code: string, signal?: AbortSignal) =>
    getJson<Profile>(`/api/areas/${ACTION_AREA}/${seg(code)}/profile`, {}, signal),
  gaps: (need: string, supply: string, signal?: AbortSignal) =>
    getJson<Gaps>('/api/analysis/gaps', { need, supply, level: ACTION_AREA }, signal),
};
