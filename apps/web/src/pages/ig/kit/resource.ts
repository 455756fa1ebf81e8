import { useCallback, useEffect, useState } from 'react';
import { ApiError, get } from '../../../api';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  reload(): void;
}

/** A GET the page renders from; `reload` after a change the page shows at once. A null path loads nothing. */
export function useResource<T>(path: string | null): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
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
        setError(e instanceof ApiError ? e : new ApiError(0, 'about:blank', 'Network error', String(e)));
      },
    );
    return () => abort.abort();
  }, [path, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, reload };
}
