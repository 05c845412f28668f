// The job page's Deliveries: what its rules sent, where, and how it went.
import { DeliveryList } from './DeliveryList';
import { useDeliveries } from './useNotify';

export function JobDeliveries({ jobId }: { jobId: string }) {
  const deliveries = useDeliveries({ jobId });
  if (deliveries && deliveries.length === 0) return null;
  return (
    <section className="panel" data-testid="job-deliveries" aria-labelledby={`deliveries-${jobId}`}>
      <h2 className="panel-title" id={`deliveries-${jobId}`}>
        Deliveries
      </h2>
      <DeliveryList deliveries={deliveries} caption="Notifications sent for this job" />
    </section>
  );
}
