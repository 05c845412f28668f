import type { SortColumn } from './historyFilter';

interface Props {
  column: SortColumn;
  label: string;
  sort: SortColumn;
  order: 'asc' | 'desc';
  onSort(column: SortColumn, order: 'asc' | 'desc'): void;
}

/** A column head that sorts: a click sorts by it (newest/largest first), a second click turns the order. */
export function SortHeader({ column, label, sort, order, onSort }: Props) {
  const active = sort === column;
  // Names read A to Z first; times, durations and codes largest first.
  const first = column === 'templateName' ? 'asc' : 'desc';
  return (
    // Not a columnheader: the rows below are a listbox of options, not a grid.
    <span data-sorted={active ? order : undefined}>
      <button
        className="link sort-head"
        onClick={() => onSort(column, active ? (order === 'asc' ? 'desc' : 'asc') : first)}
        data-testid={`sort-${column}`}
      >
        {label}
        <span aria-hidden="true">{active ? (order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
        {active && <span className="sr-only">{order === 'asc' ? ', sorted ascending' : ', sorted descending'}</span>}
      </button>
    </span>
  );
}
