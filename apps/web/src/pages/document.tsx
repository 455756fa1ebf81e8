import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiError, problemFrom } from '../api';
import { RadioGroup } from '../components/choices';
import { ErrorSummary, type SummaryError } from '../components/error-summary';
import { formatBytes, formatDate, formatDateTime, NATURE } from '../components/format';
import { usePageTitle } from '../components/page-title';
import { NoKeyNotice } from '../components/no-key-notice';
import { PassphraseField } from '../components/passphrase-field';
import { Loading, ProblemPanel } from '../components/problem';
import { ProgressBar } from '../components/progress-bar';
import { fileNameFor } from '../components/file-name';
import { saveFile } from '../components/save-file';
import { refusalText, runInWorker, type Running } from '../crypto/crypto-client';
import { recallPassphrase, rememberPassphrase } from '../keys/passphrase-cache';
import { useStoredKeys } from '../keys/use-keys';
import { useUser } from '../session';
import type { AgreementDetail, DocumentMeta, OrganisationKey } from '../types';
import { useApi } from '../use-api';
import { DocumentHistory } from './document-history';
import { RevokeSection } from './document-revoke';
import { shownText, UserText } from '../components/user-text';

type OpenState =
  | { step: 'idle' }
  | { step: 'opening'; done: number; total: number | null; running: Running }
  | { step: 'saved'; size: number; filename: string };

/** One document: what it is, under which agreement, its history; Open (decrypt here) and, for the sender, Revoke. */
export function DocumentPage() {
  const { id = '' } = useParams();
  const user = useUser();
  const doc = useApi<DocumentMeta>(`/documents/${encodeURIComponent(id)}`);
  const agreement = useApi<AgreementDetail>(doc.data ? `/agreements/${doc.data.agreementId}` : null);
  const { keys } = useStoredKeys(user.organisationId);
  const [purpose, setPurpose] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [open, setOpen] = useState<OpenState>({ step: 'idle' });
  usePageTitle(shownText(doc.data?.title ?? 'Document'), Object.keys(errors).length > 0);

  if (doc.error) return <ProblemPanel error={doc.error} />;
  if (!doc.data) return <Loading />;
  const d = doc.data;
  const terms = agreement.data?.terms ?? null;
  const purposeRequired = terms?.requirePurposeConfirmation === true;
  const key = keys?.find((k) => d.recipientFingerprints.includes(k.fingerprint)) ?? keys?.[0];
  const cached = key ? recallPassphrase(key.fingerprint) : undefined;
  const gone = d.revoked || d.payloadDestroyed;
  const isSender = d.senderOrg === user.organisationId && (d.sharedBy === user.id || user.role === 'ig-lead');

  async function submitOpen(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!key) found.key = 'Add your organisation’s key to this browser before you open documents';
    if (purposeRequired && purpose === '') found.purpose = 'Select why you are opening this document';
    const secret = cached ?? passphrase;
    if (key && secret === '') found.passphrase = 'Enter the passphrase for your key';
    setErrors(found);
    if (Object.keys(found).length > 0 || !key) return;

    let senderKeys: OrganisationKey[];
    try {
      senderKeys = (
        await api<{ items: OrganisationKey[] }>(
          'GET',
          `/organisations/${encodeURIComponent(d.senderOrg)}/keys`,
        )
      ).items.filter((k) => k.status !== 'revoked');
    } catch (err) {
      setErrors({ open: err instanceof ApiError ? err.detail || err.title : 'Could not reach Accord' });
      return;
    }
    const query = purpose !== '' ? `?purpose=${encodeURIComponent(purpose)}` : '';
    const running = runInWorker(
      {
        op: 'open',
        url: `/documents/${encodeURIComponent(d.id)}/content${query}`,
        privateKey: key.armoredPrivate,
        passphrase: secret,
        senderKeys: senderKeys.map((k) => k.publicKey),
      },
      (p) => setOpen((s) => (s.step === 'opening' ? { ...s, done: p.done, total: p.total } : s)),
    );
    setOpen({ step: 'opening', done: 0, total: d.size, running });
    const outcome = await running.result;
    setOpen({ step: 'idle' });
    switch (outcome.kind) {
      case 'opened': {
        rememberPassphrase(key.fingerprint, secret);
        setPassphrase('');
        const filename = fileNameFor(d.title);
        saveFile(outcome.plaintext, filename);
        setOpen({ step: 'saved', size: outcome.size, filename });
        doc.reload();
        return;
      }
      case 'problem': {
        const problem = await problemFrom(outcome.status, outcome.contentType, outcome.body);
        setErrors(
          problem.code === 'open.purpose-required'
            ? { purpose: 'The purpose you chose is not the one this document was shared for' }
            : { open: problem.detail || problem.title },
        );
        return;
      }
      case 'refused':
        setErrors(
          outcome.code === 'key.bad-passphrase'
            ? { passphrase: refusalText(outcome.code) }
            : { open: refusalText(outcome.code) },
        );
        return;
      case 'failed':
        if (outcome.message !== 'cancelled')
          setErrors({ open: `The document could not be opened: ${outcome.message}` });
        return;
      default:
        setErrors({ open: 'The document could not be opened' });
    }
  }

  const summary: SummaryError[] = Object.entries(errors).map(([field, text]) => ({
    href: `#${field === 'open' ? 'open-button' : field === 'key' ? 'open-button' : field === 'purpose' ? 'purpose-0' : field}`,
    text,
  }));

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={summary} />
        <span className="govuk-caption-l">Document</span>
        <h1 className="govuk-heading-l">
          <UserText text={d.title} />
        </h1>
        <dl className="govuk-summary-list">
          <Row label="From">
            {d.senderOrg}
            {d.sharedBy ? ` (${d.sharedBy === user.id ? 'you' : 'a practitioner'})` : ''}
          </Row>
          <Row label="Shared">{formatDateTime(d.sharedAt)}</Row>
          <Row label="Fact or opinion">{NATURE[d.nature] ?? d.nature}</Row>
          <Row label="Purpose">{d.purpose}</Row>
          <Row label="Data categories">{d.dataCategories.join(', ') || 'None'}</Row>
          <Row label="Agreement">
            {agreement.data
              ? `${shownText(agreement.data.title)} (version ${d.agreementVersion})`
              : `${d.agreementId} (version ${d.agreementVersion})`}
          </Row>
          <Row label="Recipients">{d.recipients.join(', ')}</Row>
          <Row label="Size">{formatBytes(d.size)} encrypted</Row>
          <Row label="Kept until">{formatDate(d.retainUntil)}</Row>
          <Row label="Status">
            {d.revoked
              ? 'Revoked by the sender'
              : d.payloadDestroyed
                ? 'Destroyed'
                : d.supersededBy
                  ? 'Replaced by a corrected version'
                  : 'Available'}
          </Row>
        </dl>

        <h2 className="govuk-heading-m">Open</h2>
        {gone ? (
          <p className="govuk-body">This document can no longer be opened. Its record and history remain.</p>
        ) : (
          <form onSubmit={(e) => void submitOpen(e)} noValidate>
            {keys && !key && <NoKeyNotice />}
            {purposeRequired && terms && (
              <RadioGroup
                id="purpose"
                legend="Why are you opening this document?"
                hint="This agreement asks you to confirm the purpose of each open. It is recorded."
                error={errors.purpose}
                choices={terms.purposes.map((p) => ({ value: p, label: p }))}
                value={purpose}
                onChange={setPurpose}
              />
            )}
            {key && !cached && (
              <PassphraseField value={passphrase} onChange={setPassphrase} error={errors.passphrase} />
            )}
            {errors.open && (
              <p className="govuk-error-message" role="alert">
                <span className="govuk-visually-hidden">Error:</span> {errors.open}
              </p>
            )}
            {open.step === 'opening' ? (
              <>
                <ProgressBar
                  id="download-progress"
                  label="Downloading and decrypting"
                  done={open.done}
                  total={open.total}
                />
                <button
                  type="button"
                  className="govuk-button govuk-button--secondary"
                  onClick={() => open.running.cancel()}
                >
                  Cancel
                </button>
              </>
            ) : keys === undefined || (!agreement.data && !agreement.error) ? (
              // Until the key is read from IndexedDB, whether a passphrase is needed is not known; until the
              // agreement is, whether the purpose of the open must be asked is not.
              <Loading />
            ) : (
              <button type="submit" id="open-button" className="govuk-button">
                Open
              </button>
            )}
            {open.step === 'saved' && (
              <div className="govuk-panel govuk-panel--confirmation" role="status">
                <h2 className="govuk-panel__title">Opened</h2>
                <div className="govuk-panel__body">
                  The signature and contents were checked. Saved as {open.filename} ({formatBytes(open.size)}
                  ).
                </div>
              </div>
            )}
          </form>
        )}

        {isSender && !d.revoked && <RevokeSection documentId={d.id} onRevoked={doc.reload} />}

        <DocumentHistory document={d} />
      </div>
    </div>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}
