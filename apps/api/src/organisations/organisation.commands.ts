import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { inspectPublicKey } from '@accord/crypto';
import { fail, organisationDecider, organisationStreamId } from '@accord/domain';
import type { EventMetaInput } from '@accord/event-store';
import { Clock, Idempotency } from '@accord/platform';
import { DirectoryReadModel, PLATFORM_ORGANISATION_ID } from '@accord/projections';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import type { OrganisationKeyDto, NewOrganisationDto } from './organisations.dto';
import { keyView } from './organisation.views';

type Idem = Pick<Idempotency, 'key' | 'scope'>;

export class RegisterOrganisationCommand extends Command<{ id: string }> {
  constructor(
    readonly input: NewOrganisationDto,
    readonly meta: EventMetaInput,
    readonly idempotency: Idem,
  ) {
    super();
  }
}

export class AddOrganisationKeyCommand extends Command<OrganisationKeyDto> {
  constructor(
    readonly orgId: string,
    readonly publicKey: string,
    readonly meta: EventMetaInput,
    readonly idempotency: Idem,
  ) {
    super();
  }
}

export class RevokeOrganisationKeyCommand extends Command<OrganisationKeyDto> {
  constructor(
    readonly orgId: string,
    readonly fingerprint: string,
    readonly reason: string,
    readonly meta: EventMetaInput,
    readonly idempotency: Idem,
  ) {
    super();
  }
}

@CommandHandler(RegisterOrganisationCommand)
export class RegisterOrganisationHandler implements ICommandHandler<RegisterOrganisationCommand> {
  constructor(private readonly runner: SettledCommandRunner) {}

  async execute({ input, meta, idempotency }: RegisterOrganisationCommand): Promise<{ id: string }> {
    if (input.id === PLATFORM_ORGANISATION_ID) {
      throw fail('organisation.already-registered', 'this id is reserved for the platform operator');
    }
    await this.runner.run(
      organisationStreamId(input.id),
      organisationDecider,
      {
        type: 'RegisterOrganisation',
        data: {
          name: input.name,
          kind: input.kind,
          jurisdiction: input.jurisdiction,
          icoRegistration: input.icoRegistration ?? null,
        },
        metadata: { now: new Date(meta.occurredAt) },
      },
      meta,
      idempotency,
    );
    return { id: input.id };
  }
}

@CommandHandler(AddOrganisationKeyCommand)
export class AddOrganisationKeyHandler implements ICommandHandler<AddOrganisationKeyCommand> {
  constructor(
    private readonly runner: SettledCommandRunner,
    private readonly directory: DirectoryReadModel,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({
    orgId,
    publicKey,
    meta,
    idempotency,
  }: AddOrganisationKeyCommand): Promise<OrganisationKeyDto> {
    if (!this.directory.organisationExists(orgId)) throw fail('organisation.not-found');
    const now = new Date(meta.occurredAt);
    // Every rule of docs/architecture.md §19.1 (strength, expiry, revocation, an encryption subkey) in
    // libs/crypto; each broken rule leaves as its own problem type (key.too-weak, key.expired, ...).
    const key = await inspectPublicKey(publicKey, { now });
    const outcome = await this.runner.run(
      organisationStreamId(orgId),
      organisationDecider,
      {
        type: 'AddOrganisationKey',
        data: {
          fingerprint: key.fingerprint,
          publicKey: key.armored,
          algorithm: key.algorithm,
          ...(key.bits !== undefined ? { bits: key.bits } : {}),
          expiresAt: key.expiresAt,
        },
        metadata: { now },
      },
      meta,
      idempotency,
    );
    const added = outcome.events.find((e) => e.type === 'OrganisationKeyAdded');
    const fingerprint = added?.type === 'OrganisationKeyAdded' ? added.data.fingerprint : key.fingerprint;
    return this.view(orgId, fingerprint);
  }

  private view(orgId: string, fingerprint: string): OrganisationKeyDto {
    const stored = this.directory.key(orgId, fingerprint);
    if (!stored) throw fail('organisation.key-not-found');
    return keyView(stored, this.clock.now());
  }
}

@CommandHandler(RevokeOrganisationKeyCommand)
export class RevokeOrganisationKeyHandler implements ICommandHandler<RevokeOrganisationKeyCommand> {
  constructor(
    private readonly runner: SettledCommandRunner,
    private readonly directory: DirectoryReadModel,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: RevokeOrganisationKeyCommand): Promise<OrganisationKeyDto> {
    const { orgId, reason, meta, idempotency } = command;
    if (!this.directory.organisationExists(orgId)) throw fail('organisation.not-found');
    const fingerprint = command.fingerprint.replace(/\s+/g, '').toLowerCase();
    await this.runner.run(
      organisationStreamId(orgId),
      organisationDecider,
      {
        type: 'RevokeOrganisationKey',
        data: { fingerprint, reason },
        metadata: { now: new Date(meta.occurredAt) },
      },
      meta,
      idempotency,
    );
    const stored = this.directory.key(orgId, fingerprint);
    if (!stored) throw fail('organisation.key-not-found');
    return keyView(stored, this.clock.now());
  }
}
