import { useCallback, useEffect, useState } from 'react';
import { ApiError, get } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  reload(): void;
}

/** GET a path when the page mounts (and on reload); a failure is kept as the ApiError the page renders. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    get<T>(path, abort.signal).then(
      (d) => {
        setData(d);
        setError(undefined);
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        setError(
          e instanceof ApiError ? e : new ApiError(0, 'about:blank', 'Could not reach Accord', String(e)),
        );
      },
    );
    return () => abort.abort();
  }, [path, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, reload };
}
