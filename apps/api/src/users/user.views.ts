import type { DirectoryUser } from '@accord/projections';
import type { UserDto } from './users.dto';

export function userView(u: DirectoryUser): UserDto {
  return {
    id: u.id,
    orgId: u.orgId,
    name: u.name,
    email: u.email,
    role: u.role,
    status: u.status,
    accessAgreementVersion: u.accessAgreementVersion,
    enrolledAt: u.enrolledAt,
  };
}
