import { deliveryText, type Delivery } from '../../../../shared/notify';
import { formatTime } from './time';

const EVENT: Record<Delivery['event'], string> = {
  start: 'started',
  success: 'succeeded',
  failure: 'failed',
  late: 'running late',
  stuck: 'stuck pending',
  recovered: 'recovered',
  test: 'test',
  alert: 'alert',
};

/** The delivery log: when, where, what, and how it went (status code or error, tries). */
export function DeliveryList({ deliveries, caption, showJob = false }: { deliveries: Delivery[] | undefined; caption: string; showJob?: boolean }) {
  if (!deliveries) return <p className="muted small">Loading deliveries…</p>;
  if (!deliveries.length) return <p className="muted small" data-testid="deliveries-empty">No notifications sent.</p>;
  return (
    <table className="table compact" data-testid="deliveries">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Channel</th>
          <th scope="col">Event</th>
          {showJob && <th scope="col">Job</th>}
          <th scope="col">Result</th>
          <th scope="col">Tries</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.key} data-testid="delivery-row" data-state={d.state}>
            <td>{formatTime(d.attempts.at(-1)?.at ?? d.createdAt)}</td>
            <td>{d.channelName}</td>
            <td>{EVENT[d.event]}</td>
            {showJob && <td>{d.payload.job?.template ?? '—'}</td>}
            <td className={d.state === 'failed' ? 'log-error' : ''} data-testid="delivery-result">
              {deliveryText(d)}
            </td>
            <td>{d.attempts.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
