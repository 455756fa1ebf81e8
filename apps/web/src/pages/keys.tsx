import { useState } from 'react';
import { api, ApiError } from '../api';
import { formatDateTime } from '../components/format';
import { usePageTitle } from '../components/page-title';
import { Loading } from '../components/problem';
import { saveFile } from '../components/save-file';
import { deleteKey, type StoredKey } from '../keys/key-store';
import { PASSPHRASE_MINUTES } from '../keys/passphrase-cache';
import { useStoredKeys } from '../keys/use-keys';
import { useUser } from '../session';
import type { OrganisationKey } from '../types';
import { useApi } from '../use-api';
import { ButtonLink } from '../components/button-link';

/** The keys kept in this browser, how each stands on the server, backup, upload and removal. */
export function KeysPage() {
  usePageTitle('Keys');
  const user = useUser();
  const { keys, reload } = useStoredKeys(user.organisationId);
  const server = useApi<{ items: OrganisationKey[] }>(
    `/organisations/${encodeURIComponent(user.organisationId ?? '')}/keys`,
  );
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  async function upload(key: StoredKey) {
    try {
      await api('POST', `/organisations/${encodeURIComponent(user.organisationId ?? '')}/keys`, {
        body: { publicKey: key.publicKey },
      });
      setMessage({
        ok: true,
        text: `The public half of ${short(key.fingerprint)} was uploaded. Partners can now encrypt to it.`,
      });
      server.reload();
    } catch (err) {
      setMessage({
        ok: false,
        text: err instanceof ApiError ? err.detail || err.title : 'Could not reach Accord',
      });
    }
  }

  async function remove(key: StoredKey) {
    await deleteKey(key.fingerprint);
    setMessage({ ok: true, text: `Key ${short(key.fingerprint)} was removed from this browser.` });
    reload();
  }

  return (
    <>
      <h1 className="govuk-heading-l">Keys</h1>
      <p className="govuk-body">
        Documents are encrypted to your organisation’s keys. The private half of a key stays in this browser,
        protected by a passphrase only you know. When you open or share a document you are asked for it, and
        it is kept in this tab for {PASSPHRASE_MINUTES} minutes after you last use it.
      </p>
      {message && (
        <div
          className={
            message.ok
              ? 'govuk-notification-banner govuk-notification-banner--success'
              : 'govuk-error-summary'
          }
          role={message.ok ? 'status' : 'alert'}
        >
          <div className={message.ok ? 'govuk-notification-banner__content' : 'govuk-error-summary__body'}>
            <p className="govuk-body">{message.text}</p>
          </div>
        </div>
      )}
      <div className="govuk-button-group">
        <ButtonLink to="/keys/import">Import a key</ButtonLink>
        <ButtonLink to="/keys/generate" secondary>
          Generate a new key
        </ButtonLink>
      </div>
      <h2 className="govuk-heading-m">Keys in this browser</h2>
      {!keys && <Loading />}
      {keys?.length === 0 && <p className="govuk-body">There are no keys in this browser yet.</p>}
      {keys?.map((k) => {
        const onServer = server.data?.items.find((s) => s.fingerprint === k.fingerprint);
        return (
          <div className="govuk-summary-card" key={k.fingerprint}>
            <div className="govuk-summary-card__title-wrapper">
              <h3 className="govuk-summary-card__title">{k.userIds[0] ?? 'Key'}</h3>
            </div>
            <div className="govuk-summary-card__content">
              <dl className="govuk-summary-list">
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Fingerprint</dt>
                  <dd className="govuk-summary-list__value">
                    <code>{k.fingerprint}</code>
                  </dd>
                </div>
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">For</dt>
                  <dd className="govuk-summary-list__value">
                    {k.team ? `Team ${k.team}` : 'The whole organisation'}
                  </dd>
                </div>
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Added</dt>
                  <dd className="govuk-summary-list__value">
                    {formatDateTime(k.addedAt)} ({k.source})
                  </dd>
                </div>
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">On Accord</dt>
                  <dd className="govuk-summary-list__value">
                    {onServer
                      ? `Uploaded, ${onServer.status}`
                      : server.data
                        ? 'Not uploaded: partners cannot encrypt to it yet'
                        : server.error
                          ? 'Could not check'
                          : 'Checking…'}
                  </dd>
                </div>
              </dl>
              <div className="govuk-button-group">
                <button
                  type="button"
                  className="govuk-button govuk-button--secondary"
                  onClick={() =>
                    saveFile(
                      new Blob([k.armoredPrivate], { type: 'application/pgp-keys' }),
                      `accord-key-${k.fingerprint.slice(-16)}.asc`,
                    )
                  }
                >
                  Export a backup<span className="govuk-visually-hidden"> of {short(k.fingerprint)}</span>
                </button>
                {!onServer && server.data && user.role === 'ig-lead' && (
                  <button type="button" className="govuk-button" onClick={() => void upload(k)}>
                    Upload the public key
                    <span className="govuk-visually-hidden"> {short(k.fingerprint)}</span>
                  </button>
                )}
                <button
                  type="button"
                  className="govuk-button govuk-button--warning"
                  onClick={() => void remove(k)}
                >
                  Remove from this browser
                  <span className="govuk-visually-hidden"> {short(k.fingerprint)}</span>
                </button>
              </div>
              {!onServer && server.data && user.role !== 'ig-lead' && (
                <p className="govuk-body-s">Ask your organisation’s IG lead to upload its public half.</p>
              )}
            </div>
          </div>
        );
      })}
      <p className="govuk-body-s">
        A backup file holds the private key protected by your passphrase (Argon2). Keep it somewhere safe:
        without it and the passphrase, documents sent to this key cannot be opened if this browser’s data is
        cleared.
      </p>
    </>
  );
}

const short = (fingerprint: string) => fingerprint.slice(-16).toUpperCase();
