// The channels and the delivery log as the views read them, kept fresh by notify.delivery.
import { useCallback, useEffect, useState } from 'react';
import type { Delivery, NotifyChannel } from '../../../../shared/notify';
import { client } from '../../client/client';
import { reportError } from '../../store/app';

export function useChannels(): { channels: NotifyChannel[] | undefined; reload(): void } {
  const [channels, setChannels] = useState<NotifyChannel[]>();
  const reload = useCallback(() => void client.invoke('notify.channels.list', {}).then(setChannels, reportError), []);
  useEffect(reload, [reload]);
  return { channels, reload };
}

/** The deliveries of one job or channel (or all), newest first, updated as they are tried. */
export function useDeliveries(filter: { jobId?: string; channelId?: string }, limit = 50): Delivery[] | undefined {
  const [list, setList] = useState<Delivery[]>();
  const { jobId, channelId } = filter;
  useEffect(() => {
    let live = true;
    const load = () =>
      void client.invoke('notify.deliveries', { ...(jobId ? { jobId } : {}), ...(channelId ? { channelId } : {}), limit }).then((d) => live && setList(d), reportError);
    load();
    const off = client.on('notify.delivery', (d) => {
      if ((jobId && d.jobId !== jobId) || (channelId && d.channelId !== channelId)) return;
      load();
    });
    return () => {
      live = false;
      off();
    };
  }, [jobId, channelId, limit]);
  return list;
}
