import type { Audit } from '../audit/audit';
import type { Clock } from '../clock';
import type { CronLauncher } from '../scheduler/cronLauncher';
import type { EngineRegistry } from '../engines/registry';
import type { EventHub } from '../events';
import type { LogStore } from '../logs/logStore';
import type { PullBoard } from '../scheduler/pulls';
import type { Scheduler } from '../scheduler/scheduler';
import type { SecretCodec } from '../secrets';
import type { JobRepository } from '../store/repository';
import type { JobStore } from '../store/jobStore';

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
  cron: CronLauncher;
  hub: EventHub;
  codec: SecretCodec;
  /** The audit trail: job events beside the logs, and who asked. */
  audit: Audit;
  /** Each job's image pull as far as it got. */
  pulls: PullBoard;
}
