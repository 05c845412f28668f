import { AppError } from '../../../shared/errors';
import type { Handlers } from '../../../shared/ipc';
import { DESKTOP_CHANNEL } from '../../../shared/notify';
import type { Notifier } from '../notify/notifier';

type NotifyHandlers = Pick<Handlers, 'notify.channels.list' | 'notify.channels.save' | 'notify.channels.remove' | 'notify.test' | 'notify.deliveries'>;

/** Settings → Notifications and the job page's Deliveries (shared/notify.ts). */
export function notifyHandlers(notifier: Notifier): NotifyHandlers {
  return {
    async 'notify.channels.list'() {
      return notifier.channels.list();
    },
    async 'notify.channels.save'(input) {
      return notifier.channels.save(input);
    },
    async 'notify.channels.remove'({ id }) {
      if (id === DESKTOP_CHANNEL) throw new AppError('VALIDATION', 'the desktop channel is built in; turn desktop notifications off instead');
      if (!notifier.channels.remove(id)) throw new AppError('NOT_FOUND', `no notification channel ${id}`);
      return { ok: true };
    },
    async 'notify.test'({ id }) {
      const channel = notifier.channels.get(id);
      if (!channel) throw new AppError('NOT_FOUND', `no notification channel ${id}`);
      return notifier.test(channel);
    },
    async 'notify.deliveries'({ jobId, channelId, limit }) {
      return notifier.outbox.list({ ...(jobId !== undefined ? { jobId } : {}), ...(channelId !== undefined ? { channelId } : {}), limit });
    },
  };
}
