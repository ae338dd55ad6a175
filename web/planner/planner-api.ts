import type { z } from 'zod';
import type {
  CatalogueResponse,
  GapsResponse,
  ProfileResponse,
  ValuesResponse,
} from '../../server/domain/indicators-schema.ts';
import { ApiError, type Problem, queryString } from '../api/client.ts';
import type { ChoroplethLevel, ClassMethod } from '../state/planner-state.ts';

/**
 * The indicator, analysis and profile answers the planner reads. The types are the server's own (inferred from
 * the zod schemas behind /api/openapi.json), imported as types only.
 */

export type Catalogue = z.infer<typeof CatalogueResponse>;
export type CatalogueIndicator = Catalogue['indicators'][number];
export type IndicatorValues = z.infer<typeof ValuesResponse>;
export type AreaValue = IndicatorValues['values'][number];
export type Classification = IndicatorValues['classification'];
export type Gaps = z.infer<typeof GapsResponse>;
export type Profile = z.infer<typeof ProfileResponse>;
export type ProfileIndicator = Profile['indicators'][number];
export type Text = { de: string; en: string };

async function getJson<T>(path: string, params: Record<string, string | number | undefined>, signal?: AbortSignal) {
  const res = await fetch(`${path}${queryString(params)}`, { headers: { accept: 'application/json' }, signal });
  if (!res.ok) {
    const problem: Problem = res.headers.get('content-type')?.includes('json')
      ? ((await res.json()) as Problem)
      : { title: res.statusText || 'Error', status: res.status };
    throw new ApiError(res.status, problem);
  }
  return (await res.json()) as T;
}

export interface ValuesQuery {
  indicator: string;
  level: ChoroplethLevel;
  method: ClassMethod;
  classes: number;
  breaks?: readonly number[] | null;
  date?: string | null;
}

export const plannerApi = {
  /** GET /api/indicators: the catalogue. */
  catalogue: (signal?: AbortSignal) => getJson<Catalogue>('/api/indicators', {}, signal),
  /** GET /api/indicators/{id}/values: values per area, city value and classification. */
  values: (q: ValuesQuery, signal?: AbortSignal) =>
    getJson<IndicatorValues>(
      `/api/indicators/${encodeURIComponent(q.indicator)}/values`,
      {
        level: q.level,
        classification: q.method,
        classes: q.classes,
        breaks: q.method === 'manual' && q.breaks ? q.breaks.join(',') : undefined,
        date: q.date ?? undefined,
      },
      signal,
    ),
  /** GET /api/analysis/gaps: need × supply terciles and the ranked gaps. */
  gaps: (need: string, supply: string, level: ChoroplethLevel, signal?: AbortSignal) =>
    getJson<Gaps>('/api/analysis/gaps', { need, supply, level }, signal),
  /** GET /api/areas/{level}/{code}/profile: the fact sheet of an area. */
  profile: (level: ChoroplethLevel, code: string, signal?: AbortSignal) =>
    getJson<Profile>(`/api/areas/${encodeURIComponent(level)}/${encodeURIComponent(code)}/profile`, {}, signal),
};
