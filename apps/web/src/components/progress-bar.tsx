import { formatBytes } from './format';

/** A labelled progress bar with the figure also in words, announced politely to screen readers. */
export function ProgressBar({
  id,
  label,
  done,
  total,
}: {
  id: string;
  label: string;
  done: number;
  total: number | null;
}) {
  const percent = total ? Math.min(100, Math.round((done / total) * 100)) : null;
  return (
    <div className="govuk-form-group">
      <label className="govuk-label" htmlFor={id}>
        {label}
      </label>
      <progress
        id={id}
        className="accord-progress"
        max={total ?? undefined}
        value={total ? done : undefined}
        aria-describedby={`${id}-text`}
      />
      <p id={`${id}-text`} className="govuk-body-s" aria-live="polite">
        {percent !== null
          ? `${percent}% (${formatBytes(done)} of ${formatBytes(total!)})`
          : formatBytes(done)}
      </p>
    </div>
  );
}
