import { useEffect, useState } from 'react';
import { waitText, type WaitReason as Reason } from '../../../shared/wait';
import { client } from '../client/client';
import { useApp } from '../store/app';
import { useNow } from './useNow';

/**
 * Why each pending job waits, as the core's scheduler says (queue.waits), asked again whenever
 * a job, the queue or an engine changes: the renderer never guesses it.
 */
export function useWaits(): Record<string, Reason> {
  const active = useApp((s) => s.active);
  const queue = useApp((s) => s.queue);
  const engines = useApp((s) => s.engines);
  const connection = useApp((s) => s.connection);
  const [waits, setWaits] = useState<Record<string, Reason>>({});
  useEffect(() => {
    if (connection !== 'connected') return;
    let current = true;
    // One question for a burst of events (a fan-out queues many jobs at once).
    const timer = setTimeout(() => {
      client
        .invoke('queue.waits', {})
        .then((list) => current && setWaits(Object.fromEntries(list.map((w) => [w.id, w.reason]))))
        .catch(() => undefined);
    }, 60);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [active, queue, engines, connection]);
  return waits;
}

/** A queue row's "Waiting" cell: the reason in words, a backoff as a live countdown. */
export function WaitReason({ reason, fallback }: { reason: Reason | undefined; fallback: string }) {
  const now = useNow(reason?.kind === 'backoff' ? 250 : 1000);
  if (!reason) return <span className="wait-reason">{fallback}</span>;
  const text = waitText(reason, now);
  return (
    <span className="wait-reason" data-testid="wait-reason" data-kind={reason.kind} title={reason.kind === 'backoff' ? `retry at ${new Date(reason.until).toLocaleTimeString()}` : text}>
      {text}
    </span>
  );
}
