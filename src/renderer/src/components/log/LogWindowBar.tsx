interface Props {
  held: { first?: number; last?: number; total: number; trimmed: boolean };
  /** Showing a window of earlier lines rather than the live tail. */
  windowed: boolean;
  onEarlier(): void;
  onLater(): void;
  onEnd(): void;
}

const n = (v: number | undefined) => (v === undefined ? '–' : v.toLocaleString('en-US'));

/** Says plainly which lines the pane holds when that is not the whole log, and the way to the rest. */
export function LogWindowBar({ held, windowed, onEarlier, onLater, onEnd }: Props) {
  if (!windowed && !held.trimmed) return null;
  const range = `lines ${n(held.first)}–${n(held.last)} of ${n(held.total)}`;
  return (
    <div className="log-window" data-testid="log-window" role="status">
      <span>{windowed ? `Showing earlier ${range}` : `Showing the last ${range}: the earlier ones are not kept in the pane`}</span>
      <button className="small" onClick={onEarlier} disabled={held.first === undefined || held.first <= 1}>
        Load earlier lines
      </button>
      {windowed && (
        <>
          <button className="small" onClick={onLater}>
            Later lines
          </button>
          <button className="small" onClick={onEnd}>
            Back to the end
          </button>
        </>
      )}
    </div>
  );
}
