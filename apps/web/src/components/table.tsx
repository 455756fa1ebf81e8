import type { Key, ReactNode } from 'react';

/** One column of a GOV.UK table: its header and how a row fills its cell. */
export interface Column<T> {
  header: ReactNode;
  cell(row: T): ReactNode;
  /** The cell names its row (th scope="row"), so a screen reader announces it with the row's other cells. */
  rowHeader?: boolean;
  /** Right-aligned data cell (GOV.UK numeric modifier), e.g. a button at the row's end. */
  numeric?: boolean;
}

/**
 * The GOV.UK table every list in the app draws: a caption (visible or for screen readers only), one
 * header row of column headers, and one body row per item; or, given `empty`, a paragraph when there is none.
 */
export function Table<T>({
  caption,
  empty,
  captionClassName = 'govuk-table__caption govuk-table__caption--m',
  columns,
  rows,
  rowKey,
}: {
  caption: ReactNode;
  /** Said in a paragraph instead of the table when there are no rows. */
  empty?: ReactNode;
  captionClassName?: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey(row: T): Key;
}) {
  if (empty !== undefined && rows.length === 0) return <p className="govuk-body">{empty}</p>;
  return (
    <table className="govuk-table">
      <caption className={captionClassName}>{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {columns.map((c, i) => (
            <th key={i} scope="col" className="govuk-table__header">
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {rows.map((row) => (
          <tr key={rowKey(row)} className="govuk-table__row">
            {columns.map((c, i) =>
              c.rowHeader ? (
                <th key={i} scope="row" className="govuk-table__header">
                  {c.cell(row)}
                </th>
              ) : (
                <td key={i} className={`govuk-table__cell${c.numeric ? ' govuk-table__cell--numeric' : ''}`}>
                  {c.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
