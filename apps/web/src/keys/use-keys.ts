import { useCallback, useEffect, useState } from 'react';
import { listKeys, type StoredKey } from './key-store';

/** The keys kept in this browser for the user's organisation. */
export function useStoredKeys(organisationId: string | null): {
  keys: StoredKey[] | undefined;
  reload(): void;
} {
  const [keys, setKeys] = useState<StoredKey[]>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!organisationId) return setKeys([]);
    let live = true;
    listKeys(organisationId).then(
      (k) => live && setKeys(k),
      () => live && setKeys([]),
    );
    return () => {
      live = false;
    };
  }, [organisationId, round]);
  return { keys, reload: useCallback(() => setRound((r) => r + 1), []) };
}
