import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { BreachCommand, DomainErrorCode, isDomainError } from '@accord/domain';
import { RevokeOrganisationKeyCommand } from '../organisations/organisation.commands';
import { SuspendUserCommand } from '../users/user.commands';
import { ContainBreachCommand } from './breach.commands';
import type { BreachDetailDto } from './breach-responses.dto';
import { BreachWriter } from './breach-writer';

/** The effect is already in place (suspended or revoked earlier, elsewhere): the breach still records it. */
const ALREADY_IN_EFFECT: readonly DomainErrorCode[] = [
  'user.already-suspended',
  'organisation.key-already-revoked',
];

/**
 * POST /breaches/:id/containment. The suspension or revocation runs through its own command, policy and
 * stream (the IG lead contains their own organisation only); the breach then records it. The effect comes
 * first because it is what matters: if the record is lost to a crash, a retry with the same Idempotency-Key
 * replays the effect and appends the record; the record's ids derive from the key, so it is never doubled.
 */
@CommandHandler(ContainBreachCommand)
export class ContainBreachHandler implements ICommandHandler<ContainBreachCommand> {
  constructor(
    private readonly writer: BreachWriter,
    private readonly commands: CommandBus,
  ) {}

  async execute(c: ContainBreachCommand): Promise<BreachDetailDto> {
    const { action, userId, fingerprint, reason } = c.body;
    const record: BreachCommand = {
      type: 'RecordContainmentAction',
      data: {
        orgId: c.orgId,
        action: action === 'suspend-user' ? 'user-suspended' : 'key-revoked',
        ...(userId !== undefined ? { userId } : {}),
        ...(fingerprint !== undefined ? { fingerprint } : {}),
        reason,
      },
      metadata: { now: c.now },
    };
    // An unknown, closed or foreign breach refuses before anyone is suspended or any key revoked.
    await this.writer.check(c.breachId, record);
    await this.contain(c);
    return this.writer.execute(c.breachId, record, c.context);
  }

  private async contain(c: ContainBreachCommand): Promise<void> {
    const { meta, idempotency } = c.context;
    const { body } = c;
    try {
      if (body.action === 'suspend-user')
        await this.commands.execute(
          new SuspendUserCommand(c.caller, body.userId ?? '', body.reason, meta, idempotency),
        );
      else
        await this.commands.execute(
          new RevokeOrganisationKeyCommand(c.orgId, body.fingerprint ?? '', body.reason, meta, idempotency),
        );
    } catch (error) {
      if (isDomainError(error) && ALREADY_IN_EFFECT.includes(error.code)) return;
      throw error;
    }
  }
}
