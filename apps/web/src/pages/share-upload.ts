import { csrfHeaders, problemFrom, type ApiError } from '../api';

export interface Upload {
  result: Promise<{ documentId: string } | ApiError | 'cancelled'>;
  cancel(): void;
}

/**
 * POST /documents as multipart (`metadata` JSON first, then the ciphertext as `payload`, the order the api
 * reads them in), through XMLHttpRequest because fetch reports no upload progress. The Idempotency-Key
 * makes a retry after a dropped connection share once.
 */
export function uploadShare(
  metadata: unknown,
  ciphertext: Blob,
  onProgress: (done: number, total: number) => void,
): Upload {
  const xhr = new XMLHttpRequest();
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  form.append('payload', ciphertext, 'document.pgp');
  const result = new Promise<{ documentId: string } | ApiError | 'cancelled'>((resolve) => {
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : ciphertext.size);
    xhr.onload = () => {
      if (xhr.status === 201) return resolve(JSON.parse(xhr.responseText) as { documentId: string });
      void problemFrom(xhr.status, xhr.getResponseHeader('content-type'), xhr.responseText).then(resolve);
    };
    xhr.onerror = () =>
      void problemFrom(0, null, 'The connection to Accord failed during the upload').then(resolve);
    xhr.onabort = () => resolve('cancelled');
  });
  xhr.open('POST', '/documents');
  for (const [k, v] of Object.entries(csrfHeaders('POST'))) xhr.setRequestHeader(k, v);
  xhr.setRequestHeader('Idempotency-Key', crypto.randomUUID());
  xhr.setRequestHeader('Accept', 'application/json');
  xhr.send(form);
  return { result, cancel: () => xhr.abort() };
}

/** Which field of the share form a refusal concerns, from its problem code or its JSON pointer. */
export type ShareField =
  | 'file'
  | 'agreement'
  | 'recipients'
  | 'purpose'
  | 'dataCategories'
  | 'nature'
  | 'title'
  | 'subjects'
  | 'retention';

export function fieldOfRefusal(error: ApiError): Map<ShareField | 'general', string> {
  const out = new Map<ShareField | 'general', string>();
  if (error.errors.length > 0) {
    for (const e of error.errors) out.set(fieldOfPointer(e.pointer), e.detail);
    return out;
  }
  out.set(fieldOfCode(error.code), error.detail || error.title);
  return out;
}

function fieldOfPointer(pointer: string): ShareField | 'general' {
  const name = pointer.replace(/^\/metadata\//, '').split('/')[0];
  switch (name) {
    case 'agreementId':
      return 'agreement';
    case 'recipients':
    case 'recipientTeams':
      return 'recipients';
    case 'purpose':
      return 'purpose';
    case 'dataCategories':
      return 'dataCategories';
    case 'nature':
      return 'nature';
    case 'title':
      return 'title';
    case 'subjects':
      return 'subjects';
    case 'retainUntil':
      return 'retention';
    default:
      return pointer.startsWith('/payload') ? 'file' : 'general';
  }
}

function fieldOfCode(code: string): ShareField | 'general' {
  if (/^share\.(agreement-|party-withdrawn|sender-not-party)/.test(code)) return 'agreement';
  if (/^share\.(recipient|team-)/.test(code)) return 'recipients';
  if (code === 'share.purpose-not-permitted') return 'purpose';
  if (/^share\.(categor|criminal-offence)/.test(code)) return 'dataCategories';
  if (code.startsWith('subject.')) return 'subjects';
  if (/^share\.(retain-until|retention-)/.test(code)) return 'retention';
  if (/^(share\.payload-|message\.|payload-too-large)/.test(code)) return 'file';
  return 'general';
}
