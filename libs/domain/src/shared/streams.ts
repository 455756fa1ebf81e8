/**
 * Every stream family of the event log, named once (docs/architecture.md §3). Writers build stream ids here,
 * projections take ids apart here, and the KurrentDB adapter's $all filter is given `STREAM_PREFIXES`: a family
 * added anywhere else would be invisible to projections and verification in cluster mode.
 *
 * No prefix may be a prefix of another, so a stream id belongs to exactly one family.
 */
export const STREAM_FAMILIES = {
  organisation: 'organisation-',
  user: 'user-',
  agreement: 'agreement-',
  document: 'document-',
  breach: 'breach-',
  subjectRequest: 'subject-request-',
  incident: 'incident-',
  webhookDelivery: 'webhook-delivery-',
  uploadQuota: 'upload-quota-',
  email: 'email-',
  session: 'session-',
  /** Not `email-...`: that is the email outbox's family, and no prefix may be a prefix of another. */
  emailClaim: 'claim-email-',
} as const;

export type StreamFamily = keyof typeof STREAM_FAMILIES;

export const STREAM_PREFIXES: readonly string[] = Object.freeze(Object.values(STREAM_FAMILIES));

export const ORGANISATION_STREAM_PREFIX = STREAM_FAMILIES.organisation;
export const USER_STREAM_PREFIX = STREAM_FAMILIES.user;
export const AGREEMENT_STREAM_PREFIX = STREAM_FAMILIES.agreement;
export const DOCUMENT_STREAM_PREFIX = STREAM_FAMILIES.document;
export const BREACH_STREAM_PREFIX = STREAM_FAMILIES.breach;
export const SUBJECT_REQUEST_STREAM_PREFIX = STREAM_FAMILIES.subjectRequest;
export const INCIDENT_STREAM_PREFIX = STREAM_FAMILIES.incident;
export const WEBHOOK_DELIVERY_STREAM_PREFIX = STREAM_FAMILIES.webhookDelivery;
export const UPLOAD_QUOTA_STREAM_PREFIX = STREAM_FAMILIES.uploadQuota;
export const EMAIL_STREAM_PREFIX = STREAM_FAMILIES.email;
export const SESSION_STREAM_PREFIX = STREAM_FAMILIES.session;
export const EMAIL_CLAIM_STREAM_PREFIX = STREAM_FAMILIES.emailClaim;

export const streamIdOf = (family: StreamFamily, id: string): string => `${STREAM_FAMILIES[family]}${id}`;

export const organisationStreamId = (orgId: string): string => streamIdOf('organisation', orgId);
export const userStreamId = (userId: string): string => streamIdOf('user', userId);
export const agreementStreamId = (agreementId: string): string => streamIdOf('agreement', agreementId);
export const documentStreamId = (documentId: string): string => streamIdOf('document', documentId);
export const breachStreamId = (breachId: string): string => streamIdOf('breach', breachId);
export const subjectRequestStreamId = (requestId: string): string => streamIdOf('subjectRequest', requestId);
export const incidentStreamId = (incidentId: string): string => streamIdOf('incident', incidentId);
export const webhookDeliveryStreamId = (deliveryId: string): string =>
  streamIdOf('webhookDelivery', deliveryId);
export const uploadQuotaStreamId = (orgId: string): string => streamIdOf('uploadQuota', orgId);
export const emailStreamId = (notificationId: string): string => streamIdOf('email', notificationId);
/** Keyed by the SHA-256 of the cookie's secret, never the secret (docs/architecture.md §34). */
export const sessionStreamId = (sessionId: string): string => streamIdOf('session', sessionId);
/** Keyed by an HMAC of the lower-cased address, never the address (apps/api/src/users/email-claims.ts). */
export const emailClaimStreamId = (emailRef: string): string => streamIdOf('emailClaim', emailRef);

// Built once: parseStreamId runs for every event of a replay.
const FAMILY_ENTRIES = Object.entries(STREAM_FAMILIES) as [StreamFamily, string][];

/** The family and the aggregate id of a stream id, or undefined for a stream that is not ours. */
export function parseStreamId(streamId: string): { family: StreamFamily; id: string } | undefined {
  for (const [family, prefix] of FAMILY_ENTRIES) {
    if (streamId.startsWith(prefix)) return { family, id: streamId.slice(prefix.length) };
  }
  return undefined;
}

/** The aggregate id of a stream of `family`; a stream of another family is given back whole, as before. */
export function idOfStream(family: StreamFamily, streamId: string): string {
  const prefix = STREAM_FAMILIES[family];
  return streamId.startsWith(prefix) ? streamId.slice(prefix.length) : streamId;
}

export function isStreamOf(family: StreamFamily, streamId: string): boolean {
  return streamId.startsWith(STREAM_FAMILIES[family]);
}
