import { useCallback, useEffect, useRef, useState } from 'react';

/** Where a request stands: under way, answered, or failed (and can be retried). */
export type Loaded<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: unknown };

/**
 * Runs `load` whenever `key` changes, aborting the request before; only the answer for the current key is ever
 * shown. `retry` runs it again.
 */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> & { retry(): void } {
  const [state, setState] = useState<{ key: string; loaded: Loaded<T> } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setState({ key, loaded: { status: 'loading' } });
    loadRef.current(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setState({ key, loaded: { status: 'ready', value } });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ key, loaded: { status: 'error', error } });
      },
    );
    return () => controller.abort();
    // `attempt` starts the same request again.
  }, [key, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const loaded: Loaded<T> = state?.key === key ? state.loaded : { status: 'loading' };
  return { ...loaded, retry };
}
