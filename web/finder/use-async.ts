import { useCallback, useEffect, useRef, useState } from 'react';

/** Where a request stands: nothing asked yet, under way, answered, or failed (and can be retried). */
export type AsyncState<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: unknown };

/**
 * Runs `load` whenever `key` changes (null: nothing to load), aborting the request before; `retry` runs it
 * again. Only the answer for the current key is ever shown, so a slow old answer cannot overwrite a new one.
 */
export function useAsync<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
): AsyncState<T> & { retry(): void } {
  const [state, setState] = useState<{ key: string | null; state: AsyncState<T> }>({
    key: null,
    state: { status: 'idle' },
  });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (key === null) {
      setState({ key, state: { status: 'idle' } });
      return;
    }
    const controller = new AbortController();
    setState({ key, state: { status: 'loading' } });
    loadRef.current(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setState({ key, state: { status: 'ready', value } });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ key, state: { status: 'error', error } });
      },
    );
    return () => controller.abort();
    // `attempt` starts the same request again.
  }, [key, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  // Until the effect has run for a new key, the state still belongs to the old one: report loading.
  const current: AsyncState<T> =
    key === null ? { status: 'idle' } : state.key === key ? state.state : { status: 'loading' };
  return { ...current, retry };
}
