/*
 * The subject access report's shape (UK GDPR Art 15), in a module that imports nothing: the api builds it
 * from the documents' and agreements' streams, and the browser app reads the same type (`import type` in
 * apps/web/src/pages/ig/types.ts) without pulling anything else into its type check or its bundle.
 */

export interface ReportOpening {
  at: string;
  orgId: string;
  userId: string | null;
  role: string | null;
}

export interface ReportDocument {
  documentId: string;
  title: string;
  nature: string;
  /** How the requester's organisation holds it: it sent it, or received it from `obtainedFrom`. */
  held: 'sent' | 'received';
  obtainedFrom: string;
  sharedAt: string;
  sharedBy: string | null;
  agreement: {
    id: string;
    title: string;
    version: number;
    lawfulBases: { code: string; label: string }[];
  };
  purpose: string;
  dataCategories: string[];
  sharedWith: string[];
  retainUntil: string;
  state: string;
  supersededBy: string | null;
  openings: ReportOpening[];
}

/** UK GDPR Art 15: what is held, where it came from, why, who it went to, and who opened it and when. */
export interface SubjectAccessReport {
  requestId: string;
  orgId: string;
  reason: string;
  receivedAt: string;
  /** The instant the report stands at: openings after it are not in it, so it reads the same every time. */
  asOf: string;
  documents: ReportDocument[];
}
