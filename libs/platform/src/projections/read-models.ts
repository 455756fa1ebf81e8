import {
  agreementsProjection,
  auditProjection,
  breachesProjection,
  directoryProjection,
  documentsProjection,
  inboxProjection,
  incidentsProjection,
  notificationsProjection,
  Projection,
  sessionsProjection,
  streamHeadsProjection,
  subjectRequestsProjection,
  transfersProjection,
  webhooksProjection,
} from '@accord/projections';

/**
 * Every read model the product serves. A feature adds its projection here, one line: the api, the worker
 * and `accord admin rebuild` all project exactly this list, so a rebuild can never miss one.
 */
export function productReadModels(): Projection[] {
  return [
    streamHeadsProjection,
    directoryProjection,
    agreementsProjection,
    notificationsProjection,
    documentsProjection,
    auditProjection,
    transfersProjection,
    breachesProjection,
    incidentsProjection,
    webhooksProjection,
    subjectRequestsProjection,
    inboxProjection,
    sessionsProjection,
  ];
}
