import { Inject, Injectable } from '@nestjs/common';
import { SUBJECT_SCHEMES } from '@accord/domain';
import { ACCORD_CONFIG, LoadedConfig, READ_DB } from '@accord/platform';
import {
  auditHistory,
  AuditEntry,
  AuditTarget,
  listTransfers,
  ReadDb,
  TransferSummary,
} from '@accord/projections';
import { SubjectRefs } from '../../documents/subject-refs';
import { AuditIdPipe } from '../audit-history.controller';
import { asOfInstant, AuditCuts, Cut } from '../audit-cut';
import { AuditScope } from '../audit-scope';
import { MAX_HISTORY_LIMIT } from '../audit.dto';
import { UiRefused } from './audit-ui.guard';

export const UI_KINDS = ['document', 'user', 'organisation', 'agreement', 'subject'] as const;
export type UiKind = (typeof UI_KINDS)[number];

/** The search form as typed: strings, echoed back (escaped) when the page shows an error. */
export interface SearchForm {
  kind: string;
  value: string;
  scheme: string;
  /** From the datetime-local picker: UTC, to the second. */
  asOfTime: string;
  /** A global position of the log, instead of a time. */
  asOfPosition: string;
  after: string;
}

export interface SearchResult {
  cut: Cut;
  items: AuditEntry[];
  nextAfter: number | null;
}

export interface UkSummary {
  cut: Cut;
  summary: TransferSummary;
}

const field = (query: Record<string, unknown>, name: string): string => {
  const value = query[name];
  return typeof value === 'string' ? value.trim().slice(0, 500) : '';
};

export function searchFormOf(query: Record<string, unknown>): SearchForm {
  return {
    kind: field(query, 'kind'),
    value: field(query, 'value'),
    scheme: field(query, 'scheme'),
    asOfTime: field(query, 'asOfTime'),
    asOfPosition: field(query, 'asOfPosition'),
    after: field(query, 'after'),
  };
}

const bad = (detail: string): UiRefused => new UiRefused(400, 'Check the search', detail);

/**
 * The `asOf` the JSON routes take, from the picker or the position field. A datetime-local value has no
 * zone: the page labels it UTC and it is read as such.
 */
export function asOfOf(form: SearchForm): string | undefined {
  if (form.asOfTime && form.asOfPosition)
    throw bad('Give either a time or a log position for "as of", not both.');
  if (form.asOfPosition) {
    if (!/^\d{1,15}$/.test(form.asOfPosition)) throw bad('A log position is a whole number.');
    return form.asOfPosition;
  }
  if (!form.asOfTime) return undefined;
  const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?$/.test(form.asOfTime);
  const asOf = local ? `${form.asOfTime}Z` : form.asOfTime;
  if (!asOfInstant(asOf)) {
    throw bad('"As of" must be a date and time (UTC).');
  }
  return asOf;
}

/**
 * What the audit view shows, asked of the same read models, cuts and scope as the JSON routes
 * (AuditHistoryController, TransfersController), so the page can never say more than the API would.
 */
@Injectable()
export class AuditUiQueries {
  private readonly ids = new AuditIdPipe();

  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly cuts: AuditCuts,
    private readonly subjects: SubjectRefs,
  ) {}

  /** Undefined when nothing was asked (the bare page); a 4xx UiRefused or coded error for bad input. */
  async history(
    form: SearchForm,
    asOf: string | undefined,
    scope: AuditScope,
  ): Promise<SearchResult | undefined> {
    if (!form.kind && !form.value) return undefined;
    const target = this.targetOf(form);
    if (form.after && !/^\d{1,15}$/.test(form.after)) throw bad('The page position is a whole number.');
    const cut = await this.cuts.cut(asOf);
    const page = auditHistory(this.db, target, {
      after: form.after ? Number(form.after) : 0,
      upTo: cut.position,
      limit: MAX_HISTORY_LIMIT,
      scopeOrgId: scope,
    });
    return { cut, ...page };
  }

  /** The UK-only verdict over the caller's scope, as of the same moment (GET /transfers' summary). */
  async ukSummary(asOf: string | undefined, scope: AuditScope): Promise<UkSummary> {
    const cut = await this.cuts.cut(asOf, 'transfers');
    const { summary } = listTransfers(this.db, {
      ukStorageRegions: this.config.ukStorageRegions,
      nonUkOnly: false,
      scopeOrgId: scope,
      after: [0, Number.MAX_SAFE_INTEGER],
      upTo: cut.position,
      limit: 1,
    });
    return { cut, summary };
  }

  private targetOf(form: SearchForm): AuditTarget {
    if (!(UI_KINDS as readonly string[]).includes(form.kind)) {
      throw bad('Choose what to search: a document, user, organisation, agreement or data subject.');
    }
    if (!form.value) throw bad('Enter an id (or, for a data subject, an identifier) to search for.');
    const kind = form.kind as UiKind;
    if (kind === 'subject') {
      if (!(SUBJECT_SCHEMES as readonly string[]).includes(form.scheme)) {
        throw bad(`Choose the identifier's scheme: ${SUBJECT_SCHEMES.join(' or ')}.`);
      }
      return { kind, ref: this.subjects.refOf(form.scheme, form.value) };
    }
    return { kind, id: this.ids.transform(form.value) };
  }
}
