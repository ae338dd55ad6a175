import { useEffect, useState } from 'react';

/**
 * Data from the API for a key: loads when the key changes, aborts the request it no longer needs, and keeps
 * answers in memory so that going back to an earlier choice shows at once. While a new key loads, the last
 * answer stays (`data`) and `loading` is true, so the map does not blink empty between two indicators.
 */

export interface Resource<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  /** The key the data belongs to. */
  key: string | null;
  retry(): void;
}

const cache = new Map<string, unknown>();
const MAX_ENTRIES = 60;

function remember(key: string, value: unknown) {
  cache.delete(key);
  cache.set(key, value);
  while (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
}

export function useResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ key: string | null; data: T | null; error: Error | null; loading: boolean }>(
    () => ({
      key: key && cache.has(key) ? key : null,
      data: key && cache.has(key) ? (cache.get(key) as T) : null,
      error: null,
      loading: false,
    }),
  );
  const [attempt, setAttempt] = useState(0);

  // `load` is a new closure each render; the key says what it loads.
  useEffect(() => {
    if (key === null) {
      setState({ key: null, data: null, error: null, loading: false });
      return;
    }
    if (cache.has(key)) {
      setState({ key, data: cache.get(key) as T, error: null, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, error: null, loading: true }));
    load(controller.signal).then(
      (data) => {
        remember(key, data);
        if (!controller.signal.aborted) setState({ key, data, error: null, loading: false });
      },
      (error: Error) => {
        if (!controller.signal.aborted) setState((s) => ({ ...s, error, loading: false }));
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  return {
    ...state,
    loading: state.loading || (key !== null && state.key !== key && !state.error),
    retry: () => setAttempt((a) => a + 1),
  };
}
