/**
 * Refusals of the audit API, in the shape every coded error has (stable `code`, `status`, `title`,
 * `detail`), so the one problem+json filter renders them. Details name no document, person or organisation.
 */
export type AuditErrorCode =
  'audit.not-found' | 'audit.not-in-scope' | 'audit.tree-size-out-of-range' | 'audit.no-checkpoint';

const ENTRIES: Record<AuditErrorCode, readonly [400 | 403 | 404 | 503, string, string]> = {
  'audit.not-found': [404, 'Not found', 'Nothing in your audit scope has this id.'],
  'audit.not-in-scope': [
    403,
    'Outside your audit scope',
    'This needs a platform auditor: your scope is your own organisation.',
  ],
  'audit.tree-size-out-of-range': [
    400,
    'Tree size out of range',
    'Sizes must be whole numbers with from <= to <= the current tree size (and a leaf inside the tree).',
  ],
  'audit.no-checkpoint': [
    503,
    'No checkpoint yet',
    'The platform has not signed a checkpoint of this log yet.',
  ],
};

export class AuditError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;

  constructor(readonly code: AuditErrorCode) {
    const [status, title, detail] = ENTRIES[code];
    super(`${code}: ${detail}`);
    this.name = 'AuditError';
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}
