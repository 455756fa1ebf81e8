import { useUser } from '../../../session';

/** The IG lead's organisation: every IG page acts for it (the api refuses any other). */
export function useOwnOrg(): string {
  return useUser().organisationId ?? '';
}
