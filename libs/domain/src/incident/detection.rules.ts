import { DetectionThresholds } from './detection.thresholds';
import { IncidentRule, IncidentSeverity } from './incident.events';
import { PartyStanding } from './party-standing';

/**
 * One attempt to open (or, for refusals at share time, to send) a document, narrowed from a DocumentAccessed,
 * AccessDenied or TransferBlocked envelope by a user. Time is the event's own `occurredAt`: the rules never
 * read a clock, so replaying the log gives the same incidents.
 */
export interface AccessObservation {
  eventId: string;
  occurredAt: string;
  userId: string;
  orgId: string;
  documentId: string;
  outcome: 'opened' | 'denied' | 'blocked';
  /** The refusal code of a denied or blocked attempt. */
  reason?: string;
  /** The client's country as recorded (`unknown` when none was known); absent when not recorded. */
  country?: string;
  /** The user's organisation's standing with the document's agreement when the attempt was made. */
  standing: PartyStanding;
}

/** What the rules remember about one user between events. */
export interface UserActivity {
  /** Refused opens inside the current window, oldest first. */
  denials: { eventId: string; at: string; documentId: string }[];
  /** After a burst fired, further refusals until this instant extend the same burst. */
  burstUntil: string | null;
  /** The first UTC day the user opened anything: the history the daily average is taken over. */
  firstDay: string | null;
  /** Opens per UTC day (`YYYY-MM-DD`), for the previous `volumeHistoryDays` days and today. */
  days: Record<string, number>;
  /** Today's opens, kept as evidence until the volume rule has fired for the day. */
  today: { day: string; eventIds: string[]; documentIds: string[]; fired: boolean } | null;
}

export interface DetectedIncident {
  rule: IncidentRule;
  /** Identifies the incident among all others: the same key is the same incident (see incidentIdOf). */
  key: string;
  severity: IncidentSeverity;
  summary: string;
  userId: string;
  orgId: string;
  documentIds: string[];
  evidence: string[];
  detectedAt: string;
}

export const initialUserActivity = (): UserActivity => ({
  denials: [],
  burstUntil: null,
  firstDay: null,
  days: {},
  today: null,
});

/** Opening a document that no longer exists, or that a data subject asked to be restricted (Art 18). */
const GONE_OR_RESTRICTED = ['open.payload-destroyed', 'open.document-erased', 'open.processing-restricted'];
const DAY_MS = 86_400_000;

/** An attempt to open content: a successful open, any `open.*` refusal, or an open refused as a transfer. */
const isOpenAttempt = (o: AccessObservation): boolean =>
  o.outcome === 'opened' || !!o.reason?.startsWith('open.') || o.reason === 'transfer.client-outside-uk';

/** Runs every rule over one observation; returns the user's new activity and the incidents it fires. */
export function evaluateAccess(
  activity: UserActivity,
  o: AccessObservation,
  t: DetectionThresholds,
): { activity: UserActivity; incidents: DetectedIncident[] } {
  const incidents: DetectedIncident[] = [];
  const base = { userId: o.userId, orgId: o.orgId, documentIds: [o.documentId], detectedAt: o.occurredAt };
  let next = activity;

  if (o.country !== undefined && o.country !== 'GB') {
    incidents.push({
      ...base,
      rule: 'non-uk-access',
      key: o.eventId,
      severity: 'high',
      summary: `Access attempt from outside the UK (client country ${o.country}); ${o.outcome}`,
      evidence: [o.eventId],
    });
  }
  if (o.outcome === 'denied' && GONE_OR_RESTRICTED.includes(o.reason ?? '')) {
    incidents.push({
      ...base,
      rule: 'open-destroyed-or-restricted',
      key: o.eventId,
      severity: 'medium',
      summary: `Attempt to open a document that is destroyed, erased or restricted (${o.reason})`,
      evidence: [o.eventId],
    });
  }
  if (o.standing === 'former-party' && isOpenAttempt(o)) {
    const opened = o.outcome === 'opened';
    incidents.push({
      ...base,
      rule: 'ex-party-download',
      key: o.eventId,
      severity: opened ? 'high' : 'medium',
      summary: opened
        ? 'Document downloaded by a user of an organisation no longer party to its agreement'
        : `Attempt to open a document by a user of an organisation no longer party to its agreement (${o.reason})`,
      evidence: [o.eventId],
    });
  }
  if (o.outcome !== 'opened' && isOpenAttempt(o)) {
    const burst = denialsBurst(next, o, t);
    next = burst.activity;
    if (burst.incident) incidents.push(burst.incident);
  }
  if (o.outcome === 'opened') {
    const volume = unusualVolume(next, o, t);
    next = volume.activity;
    if (volume.incident) incidents.push(volume.incident);
  }
  return { activity: next, incidents };
}

/**
 * N refusals within M minutes (sliding window). It fires once per burst: refusals that follow within M
 * minutes of the last one belong to the same burst and extend it; only after a quiet spell does a new
 * window start counting.
 */
function denialsBurst(
  a: UserActivity,
  o: AccessObservation,
  t: DetectionThresholds,
): { activity: UserActivity; incident?: DetectedIncident } {
  const at = Date.parse(o.occurredAt);
  const windowMs = t.denialWindowMinutes * 60_000;
  const until = new Date(at + windowMs).toISOString();
  if (a.burstUntil !== null && at <= Date.parse(a.burstUntil))
    return { activity: { ...a, burstUntil: until } };
  const denials = [
    ...a.denials.filter((d) => at - Date.parse(d.at) <= windowMs),
    { eventId: o.eventId, at: o.occurredAt, documentId: o.documentId },
  ];
  if (denials.length < t.denials) return { activity: { ...a, denials, burstUntil: null } };
  return {
    activity: { ...a, denials: [], burstUntil: until },
    incident: {
      rule: 'denials-burst',
      key: denials[0]!.eventId,
      severity: 'medium',
      summary: `${denials.length} refused attempts to open documents by one user within ${t.denialWindowMinutes} minutes`,
      userId: o.userId,
      orgId: o.orgId,
      documentIds: [...new Set(denials.map((d) => d.documentId))],
      evidence: denials.map((d) => d.eventId),
      detectedAt: o.occurredAt,
    },
  };
}

/** A day's opens reaching max(minimum, factor x the user's average over their previous days, up to K). */
function unusualVolume(
  a: UserActivity,
  o: AccessObservation,
  t: DetectionThresholds,
): { activity: UserActivity; incident?: DetectedIncident } {
  const day = o.occurredAt.slice(0, 10);
  const dayMs = Date.parse(`${day}T00:00:00.000Z`);
  const oldest = dayMs - t.volumeHistoryDays * DAY_MS;
  const days: Record<string, number> = {};
  for (const [d, n] of Object.entries(a.days)) if (Date.parse(`${d}T00:00:00.000Z`) >= oldest) days[d] = n;
  days[day] = (days[day] ?? 0) + 1;
  const firstDay = a.firstDay ?? day;
  const today = a.today?.day === day ? a.today : { day, eventIds: [], documentIds: [], fired: false };
  const activity: UserActivity = { ...a, days, firstDay };
  if (today.fired) return { activity: { ...activity, today } };

  const historyDays = Math.min(
    t.volumeHistoryDays,
    Math.round((dayMs - Date.parse(`${firstDay}T00:00:00.000Z`)) / DAY_MS),
  );
  let previous = 0;
  for (const [d, n] of Object.entries(days)) if (d !== day) previous += n;
  const average = historyDays > 0 ? previous / historyDays : 0;
  const threshold = Math.max(t.volumeMinimum, Math.ceil(t.volumeFactor * average));
  const eventIds = [...today.eventIds, o.eventId];
  const documentIds = today.documentIds.includes(o.documentId)
    ? today.documentIds
    : [...today.documentIds, o.documentId];
  if (days[day]! < threshold)
    return { activity: { ...activity, today: { day, eventIds, documentIds, fired: false } } };
  return {
    activity: { ...activity, today: { day, eventIds: [], documentIds: [], fired: true } },
    incident: {
      rule: 'unusual-volume',
      key: `${o.userId}:${day}`,
      severity: 'medium',
      summary:
        `${days[day]} documents opened by one user on ${day} (threshold ${threshold}; ` +
        `daily average ${average.toFixed(1)} over ${historyDays} previous days)`,
      userId: o.userId,
      orgId: o.orgId,
      documentIds,
      evidence: eventIds,
      detectedAt: o.occurredAt,
    },
  };
}
