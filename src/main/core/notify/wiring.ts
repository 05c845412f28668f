// The notifier as the composition root opens it: the core's store, logs and events behind its ports.
import type { Clock } from '../clock';
import type { EventHub } from '../events';
import type { LogStore } from '../logs/logStore';
import type { SecretCodec } from '../secrets';
import type { JobStore } from '../store/jobStore';
import { logTail, templatePast } from './corePorts';
import type { MailTransportOptions } from './mail';
import { Notifier } from './notifier';
import type { Backoff } from './outbox';

export interface NotifyOptions {
  backoff?: Backoff;
  mailTransport?: MailTransportOptions;
}

interface Parts {
  clock: Clock;
  codec: SecretCodec;
  store: JobStore;
  logs: LogStore;
  hub: EventHub;
  /** The headless host's URL (with its token): the payload links to the page without the token. */
  url(): string | undefined;
}

export function openNotifier(opts: { dataDir: string; notify?: NotifyOptions }, p: Parts): Notifier {
  return new Notifier({
    dataDir: opts.dataDir,
    clock: p.clock,
    codec: p.codec,
    settings: () => p.store.settings(),
    activeJobs: () => p.store.activeJobs(),
    past: (job) => templatePast(p.store, job),
    logTail: (jobId, attempt) => logTail(p.logs, jobId, attempt),
    baseUrl: () => {
      const url = p.url();
      if (!url) return undefined;
      try {
        return new URL(url).origin;
      } catch {
        return undefined;
      }
    },
    desktop: (notice) => p.hub.emit('notify.desktop', notice),
    delivery: (d) => p.hub.emit('notify.delivery', d),
    onError: (message) => p.hub.emit('store.error', { message }),
    ...(opts.notify?.backoff ? { backoff: opts.notify.backoff } : {}),
    ...(opts.notify?.mailTransport ? { mailTransport: opts.notify.mailTransport } : {}),
  });
}
