import { ApiError } from '../api/client.ts';
import type { TFunction } from '../i18n/index.ts';

/** A failed editor's request in words: signed out or too low a role in the page's language, else the API's detail. */
export function errorText(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return t('tables.error.401');
    if (error.status === 403) return t('tables.error.403');
    return t('tables.error.other', { status: error.status, detail: error.problem.detail ?? error.problem.title });
  }
  return t('tables.error.network');
}
