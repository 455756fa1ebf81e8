/*
 * An inbox entry's shape, in a module that imports nothing: the browser app reads the same type
 * (apps/web/src/types.ts, `import type`) without pulling the projection's Node-side code into its
 * type check or its bundle.
 */

/** What an inbox entry tells its reader. `document-revoked` arrives with revocation (issue 13 item 2). */
export type InboxItemKind =
  'document-shared' | 'document-destroyed' | 'document-erased' | 'document-superseded' | 'document-revoked';

/**
 * One entry of a user's inbox. It carries what the documents list already shows a recipient (title, purpose,
 * nature, sender), never a subject reference, and `detail` only for a supersession (the corrected document's id).
 */
export interface InboxItemRecord {
  id: string;
  kind: InboxItemKind;
  documentId: string;
  occurredAt: string;
  read: boolean;
  readAt: string | null;
  agreementId: string;
  agreementVersion: number;
  senderOrg: string;
  sharedBy: string | null;
  title: string;
  purpose: string;
  nature: string;
  sharedAt: string;
  supersededBy: string | null;
}
