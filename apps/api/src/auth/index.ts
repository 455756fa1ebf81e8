/**
 * Authentication and authorisation for every feature of the API. Use:
 * - nothing: any authenticated user (a bearer token of an active user);
 * - `@Public()`: no token needed;
 * - `@Roles('ig-lead', ...)`: only those roles (403 auth.forbidden-role);
 * - `@RequiresAccessAgreement()`: on every document and audit route (403 user.access-agreement-not-accepted);
 * - `@CurrentUser() caller: Caller` and `assertOwnOrganisation(caller, orgId)` (403 auth.other-organisation);
 * - `eventMetaFor(caller, req, clock)` for the metadata of every event a request appends.
 */
export * from './caller';
export * from './auth.errors';
export * from './auth.decorators';
export * from './auth.guard';
export * from './auth-failures';
export * from './token-holder';
export * from './sessions';
export * from './session-cookie';
export * from './auth.module';
export * from './own-organisation';
export * from './event-meta';
export { PLATFORM_ORGANISATION_ID } from '@accord/projections';
