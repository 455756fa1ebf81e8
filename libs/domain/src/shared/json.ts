/**
 * Event data is a storage contract: it is hashed as canonical JSON (docs/architecture.md §5.3), so every
 * event's data type is constrained to JSON here. A copy of the event store's type, because the domain imports
 * nothing of ours.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
