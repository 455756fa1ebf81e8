/**
 * Decides when a subscription has stalled: the store's head is ahead of the checkpoint and the checkpoint
 * has not moved for `stallMs`. The clock starts when the lag is first seen, not at the last commit, so an
 * append after a long idle spell is not mistaken for a stall before the subscription had a chance to deliver.
 */
export class StallDetector {
  private behind: { position: number; since: number } | undefined;

  constructor(private readonly stallMs: number) {}

  /** Returns true when the subscription should be replaced; the detector then starts afresh. */
  observe(head: number, position: number, now: number): boolean {
    if (head <= position) {
      this.behind = undefined;
      return false;
    }
    if (this.behind?.position !== position) {
      this.behind = { position, since: now };
      return false;
    }
    if (now - this.behind.since < this.stallMs) return false;
    this.behind = undefined;
    return true;
  }

  /** Forget the lag seen so far (new subscription, rebuild, a failing batch holding the checkpoint). */
  reset(): void {
    this.behind = undefined;
  }
}
