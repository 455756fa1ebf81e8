import { assertNever, fail } from '../errors';
import { Decider } from '../shared/decider';
import { nonBlank } from '../shared/text';
import { addDaysUtc, addMonthsUtc, parseDateOnly, parseInstant, startOfUtcDay } from '../shared/time';
import {
  AgreementCommand,
  AmendAgreement,
  ImportAgreement,
  JoinAgreement,
  SignAgreement,
  TerminateAgreement,
} from './agreement.commands';
import { AgreementEvent, ImportedAgreementVersion } from './agreement.events';
import {
  AgreementState,
  currentTerms,
  currentVersion,
  evolveAgreement,
  ExistingAgreement,
  initialAgreementState,
  isTerminatedAt,
} from './agreement.state';
import {
  AgreementTermsInput,
  AMENDABLE_FIELDS,
  checkPartiesInUk,
  diffTerms,
  validateTerms,
} from './agreement.terms';

/** The seed ISA: "reviewed six months after signing and annually thereafter" (the interval is per agreement). */
export const FIRST_REVIEW_AFTER_MONTHS = 6;
export const MAX_SIGNATORY_LENGTH = 200;

export function decideAgreement(command: AgreementCommand, state: AgreementState): AgreementEvent[] {
  const { now } = command.metadata;
  switch (command.type) {
    case 'DraftAgreement': {
      if (state.status !== 'none') throw fail('agreement.already-drafted');
      const { parent, partiesOutsideUk, ...input } = command.data;
      const terms = validateTerms(input, parent, now);
      checkPartiesInUk(terms.parties, partiesOutsideUk);
      return [{ type: 'AgreementDrafted', data: terms }];
    }
    case 'ImportAgreement':
      if (state.status !== 'none') throw fail('agreement.already-drafted');
      return importAgreement(command);
    case 'AmendAgreement':
      return amend(command, open(state, now));
    case 'SignAgreement':
      return sign(command, open(state, now));
    case 'RecordAgreementReview': {
      const s = notTerminated(state, now);
      if (!s.activeTerms)
        throw fail('agreement.not-active', 'only an agreement that has been in force is reviewed');
      requireParty(command.data.orgId, s.activeTerms.parties);
      const nextReviewDue = addMonthsUtc(now, s.activeTerms.reviewIntervalMonths).toISOString();
      return [{ type: 'AgreementReviewed', data: { reviewedAt: now.toISOString(), nextReviewDue } }];
    }
    case 'SuspendAgreement': {
      const s = notTerminated(state, now);
      if (s.status === 'suspended') throw fail('agreement.suspended', 'the agreement is already suspended');
      if (s.status === 'draft' || !s.activeTerms) throw fail('agreement.not-active');
      requireParty(command.data.orgId, s.activeTerms.parties);
      return [{ type: 'AgreementSuspended', data: { reason: requireReason(command.data.reason) } }];
    }
    case 'ReinstateAgreement': {
      const s = notTerminated(state, now);
      if (s.status !== 'suspended') throw fail('agreement.not-suspended');
      requireParty(command.data.orgId, (s.activeTerms ?? currentTerms(s)).parties);
      return [{ type: 'AgreementReinstated', data: { reason: requireReason(command.data.reason) } }];
    }
    case 'TerminateAgreement':
      return terminate(command, open(state, now), now);
    case 'WithdrawFromAgreement': {
      const s = open(state, now);
      return withdraw(s, command.data.orgId, noticeDate(s, command.data.effectiveAt, now));
    }
    case 'JoinAgreement':
      return join(command, open(state, now));
    default:
      return assertNever(command, 'agreement command');
  }
}

function existing(state: AgreementState): ExistingAgreement {
  if (state.status === 'none') throw fail('agreement.not-found');
  return state;
}

/** Termination is final: once effective, nothing more happens to the agreement. */
function notTerminated(state: AgreementState, now: Date): ExistingAgreement {
  const s = existing(state);
  if (isTerminatedAt(s, now)) throw fail('agreement.terminated');
  return s;
}

/** Not terminated and no notice pending: an agreement being wound down takes no new versions or signatures. */
function open(state: AgreementState, now: Date): ExistingAgreement {
  const s = notTerminated(state, now);
  if (s.termination) {
    throw fail('agreement.termination-notice-served', 'notice of termination has been served', {
      effectiveAt: s.termination.effectiveAt,
    });
  }
  return s;
}

function requireParty(orgId: unknown, parties: readonly string[]): string {
  const id = nonBlank(orgId);
  if (!id || !parties.includes(id)) throw fail('agreement.not-a-party');
  return id;
}

function requireReason(value: unknown): string {
  const reason = nonBlank(value);
  if (!reason) throw fail('agreement.reason-required');
  return reason;
}

function amend({ data, metadata }: AmendAgreement, s: ExistingAgreement): AgreementEvent[] {
  const current = currentTerms(s);
  requireParty(data.orgId, current.parties);
  const reasonForChange = nonBlank(data.reasonForChange);
  if (!reasonForChange) throw fail('agreement.reason-for-change-required');
  const raw = (data.changes ?? {}) as Record<string, unknown>;
  // Issue 12: an amendment that names no field would make a version n+1 identical to n, asking every party
  // to sign again for nothing. A change of the document's text alone names the field that holds it.
  if (Object.values(raw).every((v) => v === undefined))
    throw fail('agreement.amendment-empty', 'name at least one field in `changes`');
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if ((field === 'tier' || field === 'parentId') && value === current[field]) continue;
    if (!(AMENDABLE_FIELDS as readonly string[]).includes(field)) {
      throw fail('agreement.field-not-amendable', 'tier and parent are fixed; other fields are amendable', {
        field: /^[A-Za-z]{1,40}$/.test(field) ? field : '(unknown)',
      });
    }
    merged[field] = value;
  }
  const next = validateTerms(merged as unknown as AgreementTermsInput, data.parent, metadata.now);
  checkPartiesInUk(next.parties, data.partiesOutsideUk);
  // Fields restated with their current values give an empty diff: a new version the parties sign again.
  const changes = diffTerms(current, next);
  return [{ type: 'AgreementAmended', data: { version: s.version + 1, reasonForChange, changes } }];
}

function sign({ data, metadata }: SignAgreement, s: ExistingAgreement): AgreementEvent[] {
  if (s.status === 'suspended') throw fail('agreement.suspended', 'reinstate the agreement before signing');
  const version = currentVersion(s);
  if (data.version !== undefined && data.version !== version.version) {
    throw fail('agreement.version-changed', 'a newer version awaits signature', {
      currentVersion: version.version,
    });
  }
  const orgId = requireParty(data.orgId, version.terms.parties);
  if (version.signatures[orgId])
    throw fail('agreement.already-signed', undefined, { version: version.version });
  const signatory = nonBlank(data.signatory)?.replace(/\s+/g, ' ');
  const position = nonBlank(data.position)?.replace(/\s+/g, ' ');
  if (
    !signatory ||
    !position ||
    signatory.length > MAX_SIGNATORY_LENGTH ||
    position.length > MAX_SIGNATORY_LENGTH
  ) {
    throw fail(
      'agreement.signatory-required',
      `signatory and position of 1 to ${MAX_SIGNATORY_LENGTH} characters`,
    );
  }
  const signedAt = metadata.now.toISOString();
  const signedOn = signedOnDate(data.signedOn, metadata.now);
  const events: AgreementEvent[] = [
    {
      type: 'AgreementSigned',
      data: {
        orgId,
        signatory,
        position,
        version: version.version,
        signedAt,
        ...(signedOn ? { signedOn } : {}),
      },
    },
  ];
  const allSigned = version.terms.parties.every((p) => p === orgId || version.signatures[p]);
  if (!allSigned) return events;
  // The final signature would activate it: clause 6.0 holds here too (a party drafted before the rule).
  checkPartiesInUk(version.terms.parties, data.partiesOutsideUk);
  // The agreement is in force when the last party signs, so that signature starts the review clock.
  // A stated first review date wins; else the stated months (six by default) from the date signed.
  const { firstReviewDue: stated, firstReviewAfterMonths } = version.terms;
  const from = signedOn ? (parseDateOnly(signedOn) ?? metadata.now) : metadata.now;
  const firstReviewDue =
    s.firstActivatedAt === null
      ? stated
        ? parseDateOnly(stated)!.toISOString()
        : addMonthsUtc(from, firstReviewAfterMonths ?? FIRST_REVIEW_AFTER_MONTHS).toISOString()
      : undefined;
  events.push({
    type: 'AgreementActivated',
    data: { version: version.version, activatedAt: signedAt, ...(firstReviewDue ? { firstReviewDue } : {}) },
  });
  return events;
}

/** A signature's date as written (`YYYY-MM-DD`), not after today: when it was signed, not recorded. */
export function signedOnDate(value: unknown, now: Date): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = typeof value === 'string' ? parseDateOnly(value.trim()) : undefined;
  if (!date) throw fail('agreement.signed-on-invalid', 'signedOn is a date, YYYY-MM-DD');
  if (date.getTime() > startOfUtcDay(now).getTime()) {
    throw fail('agreement.signed-on-invalid', 'signedOn cannot be after today');
  }
  return date.toISOString().slice(0, 10);
}

const MAX_SOURCE_LENGTH = 500;

/**
 * An existing agreement with its history (docs/architecture.md §28): each version's terms checked as a draft
 * or an amendment would be, each signature dated as signed and placed on the version it signed (named, or
 * the latest version dated on or before it). A version every party signed was in force from its last
 * signature; the latest such governs. Nothing is activated by the import itself beyond what the history says.
 */
function importAgreement({ data, metadata }: ImportAgreement): AgreementEvent[] {
  const { now } = metadata;
  const source = nonBlank(data.source)?.replace(/\s+/g, ' ');
  if (!source || source.length > MAX_SOURCE_LENGTH) {
    throw fail(
      'agreement.import-invalid',
      `a source of 1 to ${MAX_SOURCE_LENGTH} characters says where it came from`,
    );
  }
  const first = validateTerms(data.terms, data.parent, now);
  checkPartiesInUk(first.parties, data.partiesOutsideUk);
  const inputs = data.versions && data.versions.length > 0 ? data.versions : [{}];
  if (inputs.length > 100) throw fail('agreement.import-invalid', 'at most 100 versions');
  const versions: ImportedAgreementVersion[] = [];
  let previous = first;
  inputs.forEach((v, i) => {
    let terms = first;
    if (i > 0) {
      const merged: Record<string, unknown> = { ...previous };
      for (const [field, value] of Object.entries(v.changes ?? {})) {
        if (value === undefined) continue;
        if (!(AMENDABLE_FIELDS as readonly string[]).includes(field)) {
          throw fail(
            'agreement.field-not-amendable',
            'tier and parent are fixed; other fields are amendable',
            {
              field: /^[A-Za-z]{1,40}$/.test(field) ? field : '(unknown)',
            },
          );
        }
        merged[field] = value;
      }
      // A later version's own label and dates replace the previous version's.
      delete merged['versionLabel'];
      delete merged['ratifiedOn'];
      terms = validateTerms(merged as unknown as AgreementTermsInput, data.parent, now);
      checkPartiesInUk(terms.parties, data.partiesOutsideUk);
    }
    const label = v.versionLabel ?? (i === 0 ? data.terms.versionLabel : undefined);
    const extra = validateTerms(
      {
        ...terms,
        versionLabel: label ?? null,
        ratifiedOn: v.ratifiedOn ?? (i === 0 ? terms.ratifiedOn : null),
      },
      data.parent,
      now,
    );
    const date = v.date === undefined || v.date === null ? null : signedOnDate(v.date, now)!;
    versions.push({
      version: i + 1,
      terms: extra,
      reasonForChange: i === 0 ? null : (nonBlank(v.reasonForChange) ?? 'Imported version'),
      date,
      signatures: [],
      activatedAt: null,
    });
    previous = extra;
  });
  for (const sig of data.signatures ?? []) {
    const signedOn = signedOnDate(sig.signedOn, now);
    if (!signedOn) throw fail('agreement.signed-on-invalid', 'every imported signature has its date');
    const target = versionSigned(versions, sig.version, nonBlank(sig.versionLabel), signedOn);
    const orgId = requireParty(sig.orgId, target.terms.parties);
    if (target.signatures.some((s) => s.orgId === orgId)) {
      throw fail('agreement.already-signed', undefined, { version: target.version });
    }
    const position = nonBlank(sig.position)?.replace(/\s+/g, ' ');
    const signatory = nonBlank(sig.signatory)?.replace(/\s+/g, ' ') ?? '(not recorded in the source)';
    if (!position || position.length > MAX_SIGNATORY_LENGTH || signatory.length > MAX_SIGNATORY_LENGTH) {
      throw fail(
        'agreement.signatory-required',
        `a position (and signatory) of 1 to ${MAX_SIGNATORY_LENGTH} characters`,
      );
    }
    target.signatures.push({ orgId, signatory, position, signedOn });
  }
  let activeVersion: number | null = null;
  let firstActivatedAt: string | null = null;
  for (const v of versions) {
    const dates = v.terms.parties.map((p) => v.signatures.find((s) => s.orgId === p)?.signedOn);
    if (dates.some((d) => d === undefined)) continue;
    v.activatedAt = parseDateOnly([...(dates as string[])].sort().pop()!)!.toISOString();
    activeVersion = v.version;
    firstActivatedAt ??= v.activatedAt;
  }
  const firstTerms = versions.find((v) => v.activatedAt !== null)?.terms;
  const nextReviewDue =
    firstActivatedAt === null || !firstTerms
      ? null
      : firstTerms.firstReviewDue
        ? parseDateOnly(firstTerms.firstReviewDue)!.toISOString()
        : addMonthsUtc(
            new Date(firstActivatedAt),
            firstTerms.firstReviewAfterMonths ?? FIRST_REVIEW_AFTER_MONTHS,
          ).toISOString();
  return [
    {
      type: 'AgreementImported',
      data: {
        source,
        importedBy: data.importedBy,
        importedAt: now.toISOString(),
        versions,
        activeVersion,
        firstActivatedAt,
        nextReviewDue,
      },
    },
  ];
}

function versionSigned(
  versions: ImportedAgreementVersion[],
  version: number | null | undefined,
  label: string | undefined,
  signedOn: string,
): ImportedAgreementVersion {
  const named =
    version !== undefined && version !== null
      ? versions.find((v) => v.version === version)
      : label
        ? versions.find((v) => v.terms.versionLabel === label)
        : ([...versions].reverse().find((v) => v.date === null || v.date <= signedOn) ?? versions[0]);
  if (!named) throw fail('agreement.import-invalid', 'a signature names a version the history does not have');
  return named;
}

/**
 * Termination of the whole agreement is the lead's act (docs/architecture.md §28). Another party's notice is
 * its withdrawal: it leaves, and the others carry on while at least two remain (else the agreement ends).
 */
function terminate({ data }: TerminateAgreement, s: ExistingAgreement, now: Date): AgreementEvent[] {
  const terms = s.activeTerms ?? currentTerms(s);
  const noticeServedBy = requireParty(data.orgId, terms.parties);
  const effective = noticeDate(s, data.effectiveAt, now);
  if (noticeServedBy !== terms.leadOrg) return withdraw(s, noticeServedBy, effective);
  return [{ type: 'AgreementTerminated', data: { noticeServedBy, effectiveAt: effective.toISOString() } }];
}

/** A notice's effective date: not backdated ("today" counts), and giving the notice the terms state. */
function noticeDate(s: ExistingAgreement, value: unknown, now: Date): Date {
  const text = typeof value === 'string' ? value : '';
  const effective = parseDateOnly(text) ?? parseInstant(text);
  if (!effective) throw fail('agreement.effective-date-invalid', 'an ISO-8601 date or instant is required');
  if (effective.getTime() < startOfUtcDay(now).getTime()) {
    throw fail('agreement.effective-date-invalid', 'the effective date cannot be before today');
  }
  const days = (s.activeTerms ?? currentTerms(s)).noticePeriodDays ?? 0;
  const earliest = addDaysUtc(startOfUtcDay(now), days);
  if (effective.getTime() < earliest.getTime()) {
    throw fail('agreement.effective-date-invalid', `the agreement requires ${days} days' notice`, {
      earliest: earliest.toISOString().slice(0, 10),
    });
  }
  return effective;
}

function withdraw(s: ExistingAgreement, orgIdValue: unknown, effective: Date): AgreementEvent[] {
  const terms = s.activeTerms ?? currentTerms(s);
  const orgId = requireParty(orgIdValue, terms.parties);
  if (orgId === terms.leadOrg) {
    throw fail('agreement.lead-cannot-withdraw', 'the lead organisation terminates the agreement instead');
  }
  if (s.withdrawals?.[orgId]) throw fail('agreement.already-withdrawn');
  const effectiveAt = effective.toISOString();
  const events: AgreementEvent[] = [{ type: 'PartyWithdrawn', data: { orgId, effectiveAt } }];
  const remaining = terms.parties.filter((p) => p !== orgId && !s.withdrawals?.[p]);
  // An agreement is between at least two parties: the last but one leaving ends it.
  if (remaining.length < 2) {
    events.push({ type: 'AgreementTerminated', data: { noticeServedBy: orgId, effectiveAt } });
  }
  return events;
}

function join({ data, metadata }: JoinAgreement, s: ExistingAgreement): AgreementEvent[] {
  const current = currentTerms(s);
  const joiner = nonBlank(data.joiner);
  if (!joiner) throw fail('agreement.not-a-party', 'name the organisation that joins');
  if (current.parties.includes(joiner)) throw fail('agreement.already-a-party');
  // The lead invites; a joiner asks for itself. Everyone signs the joining version either way.
  if (data.orgId !== current.leadOrg && data.orgId !== joiner) throw fail('agreement.not-a-party');
  const next = validateTerms(
    { ...current, parties: [...current.parties, joiner] } as unknown as AgreementTermsInput,
    data.parent,
    metadata.now,
  );
  checkPartiesInUk(next.parties, data.partiesOutsideUk);
  return [
    {
      type: 'AgreementAmended',
      data: {
        version: s.version + 1,
        reasonForChange: `${joiner} joins the agreement`,
        changes: diffTerms(current, next),
        joining: joiner,
      },
    },
  ];
}

export const agreementDecider: Decider<AgreementState, AgreementCommand, AgreementEvent> = {
  decide: decideAgreement,
  evolve: evolveAgreement,
  initialState: initialAgreementState,
};
