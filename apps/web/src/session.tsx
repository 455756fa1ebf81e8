import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, onUnauthenticated, setCsrfToken, STALE_PAGE_CODE } from './api';
import { forgetPassphrases } from './keys/passphrase-cache';

export type Role = 'platform-admin' | 'ig-lead' | 'practitioner' | 'auditor' | string;

export interface SessionUser {
  id: string;
  name: string;
  role: Role;
  organisationId: string | null;
  organisationName: string | null;
}

/** The body of POST /session and GET /session (built by the api's sessions feature). */
export interface SessionInfo {
  csrfToken: string;
  user: SessionUser;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

interface SessionState {
  /** undefined while the first GET /session is in flight. */
  session: SessionInfo | null | undefined;
  signIn(token: string): Promise<SessionInfo>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);

  const adopt = useCallback((s: SessionInfo | null) => {
    setCsrfToken(s?.csrfToken ?? null);
    if (s === null) forgetPassphrases();
    setSession(s);
  }, []);

  useEffect(() => {
    // 401 (no session) or an unreachable api alike: show the sign-in page.
    api<SessionInfo>('GET', '/session').then(adopt, () => adopt(null));
    return onUnauthenticated(() => adopt(null));
  }, [adopt]);

  const signIn = useCallback(
    async (token: string) => {
      const s = await api<SessionInfo>('POST', '/session', { body: { token } });
      adopt(s);
      return s;
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    try {
      await api<void>('DELETE', '/session');
    } catch (err) {
      if (!(err instanceof ApiError && err.code === STALE_PAGE_CODE)) throw err;
      // This page holds an earlier session's CSRF token (the browser signed in again in another tab). Sign
      // out the session the browser holds now, or it would outlive the click that promised to end it.
      const current = await api<SessionInfo>('GET', '/session').catch(() => null);
      if (current) {
        setCsrfToken(current.csrfToken);
        await api<void>('DELETE', '/session');
      }
    } finally {
      adopt(null);
    }
  }, [adopt]);

  return <SessionContext.Provider value={{ session, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The signed-in user; only for pages behind RequireSession. */
export function useUser(): SessionUser {
  const { session } = useSession();
  if (!session) throw new Error('useUser without a session');
  return session.user;
}
