/**
 * BullMQ refuses a custom job id containing ':' unless it has exactly three ':'-separated parts (kept for
 * its legacy repeatable-job ids), and refuses bare integers; our ids are `retention:<documentId>`. The port
 * already refuses integers and '%', so escaping ':' as '%3A' is reversible and cannot collide.
 */
export function encodeJobId(id: string): string {
  return id.replace(/:/g, '%3A');
}

/** Scheduler iteration ids (`repeat:<name>:<millis>`) are BullMQ's own and pass through unchanged. */
export function decodeJobId(id: string): string {
  return id.replace(/%3A/g, ':');
}
