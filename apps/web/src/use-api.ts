import { useCallback, useEffect, useState } from 'react';
import { ApiError, get } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /**
   * True while a GET is in flight, a reload's too: `data` then still holds the previous answer, so a control
   * whose action depends on it waits for this to turn false.
   */
  loading: boolean;
  reload(): void;
}

/** GET a path when the page mounts (and on reload); a failure is kept as the ApiError the page renders. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [round, setRound] = useState(0);
  const [loading, setLoading] = useState(path !== null);
  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    setLoading(true);
    get<T>(path, abort.signal).then(
      (d) => {
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        setLoading(false);
        setError(
          e instanceof ApiError ? e : new ApiError(0, 'about:blank', 'Could not reach Accord', String(e)),
        );
      },
    );
    return () => abort.abort();
  }, [path, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload };
}
