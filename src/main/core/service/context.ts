import type { Clock } from '../clock';
import type { CronScheduler } from '../scheduler/cron';
import type { EngineRegistry } from '../engines/registry';
import type { EventHub } from '../events';
import type { LogStore } from '../logs';
import type { Scheduler } from '../scheduler/scheduler';
import type { SecretCodec } from '../secrets';
import type { JobRepository, JobStore } from '../store';

/** What every handler group reaches: the parts createJobdeck wires together. */
export interface CoreContext {
  dataDir: string;
  clock: Clock;
  store: JobStore;
  /** The one writer of jobs: persists, announces and wakes the scheduler. */
  jobs: JobRepository;
  logs: LogStore;
  scheduler: Scheduler;
  engines: EngineRegistry;
  cron: CronScheduler;
  hub: EventHub;
  codec: SecretCodec;
}
