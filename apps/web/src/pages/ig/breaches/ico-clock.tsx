import { durationInWords, formatDateTime, Tag, type TagColour } from '../kit/display';
import type { BreachDetail, BreachSummary, IcoStatus } from '../types';

const ICO_TAG: Record<IcoStatus, [string, TagColour]> = {
  'awaiting-assessment': ['Not assessed', 'yellow'],
  'not-reportable': ['ICO need not be told', 'grey'],
  due: ['ICO to be told', 'orange'],
  overdue: ['ICO deadline passed', 'red'],
  notified: ['ICO told', 'green'],
};

export function IcoTag({ status }: { status: IcoStatus }) {
  const [text, colour] = ICO_TAG[status];
  return <Tag colour={colour}>{text}</Tag>;
}

/** The deadline in words, as the list shows it: "2 days 5 hours left" or "overdue by 3 hours". */
export function timeLeft(b: BreachSummary): string {
  return b.secondsLeft >= 0
    ? `${durationInWords(b.secondsLeft)} left`
    : `${durationInWords(b.secondsLeft)} ago`;
}

/**
 * UK GDPR Art 33: a reportable breach goes to the ICO within 72 hours of its discovery. The api computes the
 * deadline and the time left at each read; the page says what that means for the IG lead now.
 */
export function IcoClock({ b }: { b: BreachDetail }) {
  const deadline = formatDateTime(b.icoDeadline);
  let text: string;
  switch (b.icoStatus) {
    case 'awaiting-assessment':
      text =
        b.secondsLeft >= 0
          ? `Decide whether the ICO must be told. If it must, tell it by ${deadline} (${timeLeft(b)}).`
          : `Decide whether the ICO must be told. The 72 hours ended on ${deadline}.`;
      break;
    case 'due':
      text = `Tell the ICO by ${deadline}. ${timeLeft(b)[0]!.toUpperCase()}${timeLeft(b).slice(1)}.`;
      break;
    case 'overdue':
      text = `The ICO should have been told by ${deadline}, ${timeLeft(b)}. Tell it now and record why it was late.`;
      break;
    case 'notified':
      text = `The ICO was told on ${formatDateTime(b.icoNotifiedAt)} (reference ${b.icoReference ?? 'not given'}).`;
      break;
    case 'not-reportable':
      text = 'You assessed that the ICO need not be told.';
      break;
  }
  return (
    <div className="govuk-inset-text" id="ico-clock">
      <h2 className="govuk-heading-m">ICO 72-hour deadline</h2>
      <p className="govuk-body">
        <IcoTag status={b.icoStatus} />
      </p>
      <p className="govuk-body">{text}</p>
      <p className="govuk-body-s">Deadline: {deadline} (72 hours after the breach was discovered).</p>
    </div>
  );
}
