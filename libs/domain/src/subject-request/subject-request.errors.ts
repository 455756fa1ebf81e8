import { CodedError, CodedErrorExtra } from '../shared/coded-error';

/**
 * Refusals about data-subject requests, in the shape every coded error has (stable `code`, `status`,
 * `title`, `detail`, `extra`). Details name codes and document ids only, never the subject's identifier.
 */
type Entry = readonly [status: 403 | 404 | 409 | 422, title: string];

export const SUBJECT_REQUEST_ERRORS = {
  'subject-request.not-found': [404, 'Subject request not found'],
  'subject-request.already-received': [409, 'Subject request already received'],
  'subject-request.kind-invalid': [422, 'Unknown subject request kind'],
  'subject-request.reason-required': [422, 'Reason required'],
  'subject-request.documents-required': [
    422,
    'Rectification names the document and the corrected document that supersedes it',
  ],
  'subject-request.same-document': [422, 'A document cannot supersede itself'],
  'subject-request.document-not-found': [404, 'Document not found'],
  'subject-request.not-sender': [403, "Only the sending organisation's IG lead rectifies a document"],
  'subject-request.not-about-subject': [422, 'The document is not about this data subject'],
  'subject-request.document-erased': [409, 'The document was erased'],
  'subject-request.already-superseded': [409, 'The document was already superseded'],
  'subject-request.not-access': [409, 'Only a request for access has a report'],
} as const satisfies Record<string, Entry>;

export type SubjectRequestErrorCode = keyof typeof SUBJECT_REQUEST_ERRORS;

export class SubjectRequestError extends CodedError<SubjectRequestErrorCode> {
  constructor(code: SubjectRequestErrorCode, detail?: string, extra?: CodedErrorExtra) {
    super('SubjectRequestError', SUBJECT_REQUEST_ERRORS, code, detail, extra);
  }
}

export function subjectRequestFail(
  code: SubjectRequestErrorCode,
  detail?: string,
  extra?: CodedErrorExtra,
): SubjectRequestError {
  return new SubjectRequestError(code, detail, extra);
}

export function isSubjectRequestError(error: unknown): error is SubjectRequestError {
  return error instanceof SubjectRequestError;
}
