import { between, when } from '../format';
import { useAlerts } from './alertsStore';

/** Every kept alert, newest first: what it was, when it started and cleared, the figures then. */
export function AlertHistoryTable() {
  const history = useAlerts((s) => s.history);
  return (
    <>
      <h3 id="alert-history-title">Alert history</h3>
      {!history ? (
        <p className="muted small">Loading…</p>
      ) : history.length === 0 ? (
        <p className="muted small">No alerts so far.</p>
      ) : (
        <table className="table compact" aria-labelledby="alert-history-title" data-testid="alert-history">
          <thead>
            <tr>
              <th>State</th>
              <th>Alert</th>
              <th>Started</th>
              <th>Cleared</th>
              <th>Figures</th>
            </tr>
          </thead>
          <tbody>
            {history.slice(0, 100).map((a) => (
              <tr key={a.id} data-testid="alert-history-row" data-state={a.clearedAt ? 'cleared' : 'active'}>
                <td>{a.clearedAt ? <span className="pill">cleared</span> : <span className="pill pill-failed">active</span>}</td>
                <td>{a.title}</td>
                <td className="mono">{when(a.startedAt)}</td>
                <td className="mono">{a.clearedAt ? `${when(a.clearedAt)} (after ${between(a.startedAt, a.clearedAt)})` : '–'}</td>
                <td>
                  {a.message}
                  {a.clearMessage ? ` → ${a.clearMessage}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
