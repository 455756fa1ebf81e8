/**
 * Passphrases the user typed, kept in this tab's memory only, for a short stated time after last use, so a
 * practitioner opening several documents is not asked each time; never in storage, gone on sign-out, on
 * closing the tab, and PASSPHRASE_MINUTES after the last use.
 */
export const PASSPHRASE_MINUTES = 5;

const cache = new Map<string, { passphrase: string; timer: ReturnType<typeof setTimeout> }>();

function arm(fingerprint: string, passphrase: string): void {
  const previous = cache.get(fingerprint);
  if (previous) clearTimeout(previous.timer);
  const timer = setTimeout(() => cache.delete(fingerprint), PASSPHRASE_MINUTES * 60_000);
  cache.set(fingerprint, { passphrase, timer });
}

export function rememberPassphrase(fingerprint: string, passphrase: string): void {
  arm(fingerprint, passphrase);
}

/** The passphrase if still kept; using it restarts its time. */
export function recallPassphrase(fingerprint: string): string | undefined {
  const entry = cache.get(fingerprint);
  if (entry) arm(fingerprint, entry.passphrase);
  return entry?.passphrase;
}

export function forgetPassphrases(): void {
  for (const { timer } of cache.values()) clearTimeout(timer);
  cache.clear();
}
