/**
 * The event envelope of docs/architecture.md §5.1. Every adapter stores and returns exactly this shape, so
 * the hash chain computed on append verifies byte-for-byte after a read from either store.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type UserActor = { userId: string; orgId: string; role: string };
export type SystemActor = { system: string };
export type Actor = UserActor | SystemActor;

export interface ClientInfo {
  ip: string;
  country: string;
}

/** Metadata supplied by the caller of append; the store adds prevHash and hash. */
export interface EventMetaInput {
  occurredAt: string;
  actor: Actor;
  correlationId: string;
  causationId?: string;
  client?: ClientInfo;
  /**
   * The userId of whoever issued the API token the request was made with, when that is not the actor
   * (an IG lead's token for a practitioner, the platform admin's enrolment token for a first IG lead).
   */
  tokenIssuer?: string;
}

export interface EventMeta extends EventMetaInput {
  prevHash: string;
  hash: string;
}

/** What a command handler asks the store to append. */
export interface NewEvent<T extends string = string, D extends JsonObject = JsonObject> {
  eventId: string;
  type: T;
  data: D;
  meta: EventMetaInput;
}

/** What the store holds and returns. `position` is the event's place in the global log (1-based, gap-free in SQLite). */
export interface RecordedEvent<T extends string = string, D extends JsonObject = JsonObject> {
  eventId: string;
  type: T;
  streamId: string;
  revision: number;
  data: D;
  meta: EventMeta;
  position: number;
}

export const GENESIS_HASH = '0'.repeat(64);
