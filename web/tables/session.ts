import { useCallback, useSyncExternalStore } from 'react';

/**
 * The editor's token (issues 15, 21): kept in sessionStorage for this tab's session only, never in the URL and
 * never in localStorage; sent by the typed client as `Authorization: Bearer`.
 */
const KEY = 'quartiersatlas.editorToken';
const listeners = new Set<() => void>();

function read(): string | null {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useEditorToken(): [token: string | null, setToken: (token: string | null) => void] {
  const token = useSyncExternalStore(subscribe, read, () => null);
  const setToken = useCallback((next: string | null) => {
    if (next) window.sessionStorage.setItem(KEY, next);
    else window.sessionStorage.removeItem(KEY);
    for (const listener of listeners) listener();
  }, []);
  return [token, setToken];
}
