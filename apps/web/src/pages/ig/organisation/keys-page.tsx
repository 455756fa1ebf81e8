import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../../api';
import { usePageTitle } from '../../../components/page-title';
import { Table } from '../../../components/table';
import { BackLink, Flash, formatDate, Loaded, Tag, type TagColour } from '../kit/display';
import { Form, FormErrorSummary, SubmitButton, TextArea } from '../kit/fields';
import { useOwnOrg } from '../kit/own-org';
import { QuestionForm, Warning } from '../kit/question-form';
import { useFormErrors } from '../kit/refusals';
import { useApi } from '../../../use-api';
import type { ItemList, OrganisationKey } from '../types';

/**
 * The organisation's public keys: partners encrypt every share to each active one. Teams hold no keys
 * (docs/architecture.md §25), so the organisation's are the only ones. A key is generated in the browser on
 * the Keys page (its private half never leaves the browser); here the IG lead sees them, adds an armored
 * public key made elsewhere (gpg), and retires one.
 */
const STATUS: Record<OrganisationKey['status'], [string, TagColour]> = {
  active: ['Active', 'green'],
  expired: ['Expired', 'grey'],
  revoked: ['Retired', 'grey'],
};

/** Fingerprints in groups of four, as gpg prints them, so they can be compared by eye. */
const grouped = (fpr: string) =>
  fpr
    .toUpperCase()
    .replace(/(.{4})/g, '$1 ')
    .trim();

/** The Keys page of the practitioner app, where a key pair is generated or imported in the browser. */
export const KEY_GENERATION_PATH = '/keys';

export function OrganisationKeysPage() {
  const org = useOwnOrg();
  const keys = useApi<ItemList<OrganisationKey>>(`/organisations/${org}/keys`);
  const [publicKey, setPublicKey] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const { errors, busy, submit } = useFormErrors({
    codes: {
      'organisation.key-invalid': 'publicKey',
      'organisation.key-too-weak': 'publicKey',
      'organisation.key-expired': 'publicKey',
      'organisation.key-already-added': 'publicKey',
    },
    fallback: 'publicKey',
    fields: ['publicKey'],
  });
  usePageTitle('Organisation keys', Object.keys(errors).length > 0);
  const add = () =>
    submit(async () => {
      const key = await api<OrganisationKey>('POST', `/organisations/${org}/keys`, { body: { publicKey } });
      setAdded(key.fingerprint);
      setPublicKey('');
      keys.reload();
    });
  return (
    <>
      <FormErrorSummary errors={errors} order={['publicKey']} />
      <Flash />
      {added ? (
        <div className="govuk-notification-banner govuk-notification-banner--success" role="alert">
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">Key {grouped(added)} added</p>
          </div>
        </div>
      ) : null}
      <h1 className="govuk-heading-l">Organisation keys</h1>
      <p className="govuk-body">
        Partners encrypt every document they share with your organisation to each of its active keys. Your
        teams have no keys of their own: they decide who may open a document, the organisation&apos;s keys
        decrypt it.
      </p>
      <p className="govuk-body">
        <Link className="govuk-link" to={KEY_GENERATION_PATH}>
          Generate or import a key in this browser
        </Link>
      </p>
      <Loaded resource={keys}>
        {({ items }) => (
          <Table
            empty="Your organisation has no keys yet. Partners cannot share with it until it has one."
            caption="Keys"
            rows={items}
            rowKey={(k) => k.fingerprint}
            columns={[
              {
                header: 'Fingerprint',
                cell: (k) => (
                  <>
                    <code>{grouped(k.fingerprint)}</code>
                    <br />
                    <span className="govuk-body-s">
                      {k.algorithm}
                      {k.bits ? ` ${k.bits} bits` : ''}
                      {k.expiresAt ? `, expires ${formatDate(k.expiresAt)}` : ''}
                    </span>
                  </>
                ),
              },
              { header: 'Added', cell: (k) => formatDate(k.addedAt) },
              {
                header: 'Status',
                cell: (k) => <Tag colour={STATUS[k.status][1]}>{STATUS[k.status][0]}</Tag>,
              },
              {
                header: <span className="govuk-visually-hidden">Action</span>,
                cell: (k) =>
                  k.status !== 'revoked' ? (
                    <Link className="govuk-link" to={`/organisation-keys/${k.fingerprint}/retire`}>
                      Retire<span className="govuk-visually-hidden"> key {grouped(k.fingerprint)}</span>
                    </Link>
                  ) : (
                    formatDate(k.revokedAt)
                  ),
              },
            ]}
          />
        )}
      </Loaded>
      <h2 className="govuk-heading-m">Add a public key made elsewhere</h2>
      <Form onSubmit={() => void add()}>
        <TextArea
          id="publicKey"
          label="Public key"
          hint="Paste the output of gpg --export --armor: it begins -----BEGIN PGP PUBLIC KEY BLOCK-----"
          value={publicKey}
          onChange={setPublicKey}
          error={errors.publicKey}
          rows={8}
        />
        <SubmitButton busy={busy}>Add key</SubmitButton>
      </Form>
    </>
  );
}

export function RetireKeyPage() {
  const { fpr = '' } = useParams();
  const org = useOwnOrg();
  const navigate = useNavigate();
  return (
    <>
      <BackLink to="/organisation-keys">Back to organisation keys</BackLink>
      <QuestionForm
        caption={`Key ${grouped(fpr)}`}
        title="Retire this key"
        intro={
          <Warning>
            No new document will be encrypted to this key. Documents already shared stay readable with its
            private key.
          </Warning>
        }
        questions={[{ id: 'reason', label: 'Why is it being retired?', hint: 'For example, key rotation' }]}
        button="Retire key"
        warning
        refusals={{
          codes: {
            'organisation.revocation-reason-required': 'reason',
            'organisation.key-already-revoked': 'reason',
            'organisation.key-not-found': 'reason',
          },
          fallback: 'reason',
        }}
        send={async (v) => {
          await api('DELETE', `/organisations/${org}/keys/${encodeURIComponent(fpr)}`, {
            body: { reason: v.reason },
          });
          navigate('/organisation-keys', { state: { flash: 'Key retired' } });
        }}
      />
    </>
  );
}
