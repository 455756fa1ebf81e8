import { type EnrolUser, normalisedEmail, userDecider, userStreamId } from '@accord/domain';
import { EventStore, uuidv7 } from '@accord/event-store';
import { claimEmail, newApiToken, runCommand, systemMeta } from '@accord/platform';
import { PLATFORM_ORGANISATION_ID } from '@accord/projections';
import { CliError } from '../cli-error';

export interface PlatformAdminOptions {
  name: string;
  email: string;
  /** The api's PLATFORM_SECRET (or DATA_DIR's secret file), which names the address's claim stream. */
  platformSecret: string;
  now?: Date;
}

export interface PlatformAdmin {
  userId: string;
  tokenId: string;
  /** Shown once; the store keeps only its SHA-256. */
  token: string;
}

/**
 * Bootstrap: enrols the first platform admin straight into the event store (there is no one yet who could
 * call the API). Refuses once any user exists, so it cannot mint a second admin behind the API's back.
 */
export async function initPlatformAdmin(
  store: EventStore,
  options: PlatformAdminOptions,
): Promise<PlatformAdmin> {
  if (await anyUserEnrolled(store)) {
    throw new CliError(
      'users already exist: the platform is initialised (admins enrol more admins over the API)',
    );
  }
  const now = options.now ?? new Date();
  const userId = uuidv7(now.getTime());
  const { tokenId, token, tokenHash } = newApiToken(now.getTime());
  const meta = systemMeta('admin-init', now);
  const command: EnrolUser = {
    type: 'EnrolUser',
    data: {
      orgId: PLATFORM_ORGANISATION_ID,
      name: options.name,
      email: options.email,
      role: 'admin',
      token: { tokenId, tokenHash },
    },
    metadata: { now },
  };
  // As every enrolment over the API (enrol-user.command.ts): the decider's refusals first, so a malformed
  // address leaves no claim; then the address's claim, so that no later enrolment takes the admin's address.
  userDecider.decide(command, userDecider.initialState());
  const email = normalisedEmail(options.email) ?? '';
  await claimEmail(store, { platformSecret: options.platformSecret, email, userId, eventId: uuidv7(), meta });
  await runCommand(store, userStreamId(userId), userDecider, command, { meta });
  return { userId, tokenId, token };
}

async function anyUserEnrolled(store: EventStore): Promise<boolean> {
  for await (const page of store.readAll({ after: 0 })) {
    if (page.some((e) => e.type === 'UserEnrolled')) return true;
  }
  return false;
}

/** What a running api made of the new token: accepted, none running at the URL, or still refused at the deadline. */
export type ApiVerdict = 'accepted' | 'not-running' | 'timeout' | 'skipped';

/**
 * Polls `GET /me` with the new token until the api at `url` accepts it (its read model has caught up with
 * the append), for at most `timeoutMs`. A refused connection on the first try means no api runs there:
 * nothing to wait for. A 401 (not projected yet) or a 5xx is retried every 100 ms.
 */
export async function waitUntilApiAccepts(
  url: string,
  token: string,
  timeoutMs: number,
): Promise<ApiVerdict> {
  if (timeoutMs <= 0) return 'skipped';
  const deadline = Date.now() + timeoutMs;
  for (let first = true; ; first = false) {
    try {
      const res = await fetch(`${url}/me`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(Math.max(1, Math.min(5000, deadline - Date.now()))),
      });
      await res.arrayBuffer();
      if (res.ok) return 'accepted';
    } catch (error) {
      if (first && !(error instanceof Error && error.name === 'TimeoutError')) return 'not-running';
    }
    if (Date.now() >= deadline) return 'timeout';
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
