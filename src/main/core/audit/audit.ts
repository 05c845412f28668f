import { userInfo } from 'node:os';
import type { Requester } from '../../../shared/audit';
import type { CallContext } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';
import type { JobEvent } from '../../../shared/jobEvents';
import type { JobWait, WaitReason } from '../../../shared/wait';
import type { Clock } from '../clock';
import { deriveEvents } from './derive';
import { JobEventLog } from './eventLog';

/** The OS user this process runs as (the core's own changes: schedules, automatic retries). */
export function processUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/** Who is calling, from the transport's context: a client that says nothing is a script ('api'). */
export function requesterOf(ctx: CallContext): Requester {
  return { user: ctx.user ?? processUser(), client: ctx.client ?? 'api' };
}

/**
 * Two waits are the same wait when they would read the same to a person: the counts of a
 * concurrency wait change with every start, which is not news.
 */
export function waitKey(w: WaitReason): string {
  switch (w.kind) {
    case 'scheduled':
      return `scheduled:${w.at}`;
    case 'upstream':
      return `upstream:${w.jobs.map((j) => j.id).join(',')}`;
    case 'backoff':
      return `backoff:${w.until}`;
    case 'engine':
      return `engine:${w.engine}`;
    case 'engineSlot':
      return `engineSlot:${w.engines.join(',')}`;
    default:
      return w.kind;
  }
}

/** The waits that changed since the last look, per pending job; jobs no longer pending are forgotten. */
export class WaitTracker {
  private last = new Map<string, string>();

  /** What a job was last recorded waiting for (read back from its events at start-up). */
  seed(jobId: string, wait: WaitReason): void {
    this.last.set(jobId, waitKey(wait));
  }

  changed(waits: readonly JobWait[]): JobWait[] {
    const out: JobWait[] = [];
    const seen = new Map<string, string>();
    for (const w of waits) {
      // "starting" is the moment between two looks at the queue, not a wait.
      if (w.reason.kind === 'starting') continue;
      const key = waitKey(w.reason);
      seen.set(w.id, key);
      if (this.last.get(w.id) !== key) out.push(w);
    }
    this.last = seen;
    return out;
  }
}

export interface AuditOptions {
  dataDir: string;
  clock: Clock;
  exists(jobId: string): boolean;
  /** Why each pending job waits now (Scheduler.waits), read after the changes of one turn. */
  waits(): JobWait[];
  onError?(message: string): void;
}

/** The audit trail's one module: what the repository, the handlers and the root call. */
export interface Audit {
  /** A saved change (the repository's port): its events, derived from old → new. */
  saved(old: Job | undefined, next: Job, by: Requester | undefined): void;
  /** A request that changes no record by itself (a cancel of a running job: its end comes later). */
  note(jobId: string, event: JobEvent): void;
  /** Something a wait depends on changed (the queue paused, an engine came or went). */
  lookAtWaits(): void;
  /**
   * At start-up: what the pending jobs were last recorded waiting for, so that a restart does not
   * record the same wait again. Looks at the waits wait for it.
   */
  resume(pendingIds: readonly string[]): Promise<void>;
  events(jobId: string): Promise<JobEvent[]>;
  flush(): Promise<void>;
  /** No more looks at the waits; what was appended is written. */
  close(): Promise<void>;
  readonly user: string;
}

export function createAudit(o: AuditOptions): Audit {
  const log = new JobEventLog(o.dataDir, { exists: o.exists, ...(o.onError ? { onError: o.onError } : {}) });
  const tracker = new WaitTracker();
  const user = processUser();
  let looking = false;
  let closed = false;
  let ready: Promise<void> = Promise.resolve();
  const lookAtWaits = () => {
    if (looking || closed) return;
    looking = true;
    // After the turn's changes: the scheduler has looked at the queue by then.
    setImmediate(() => void ready.then(() => {
      looking = false;
      if (closed) return;
      const at = new Date(o.clock.now()).toISOString();
      try {
        for (const w of tracker.changed(o.waits())) log.append(w.id, [{ kind: 'waiting', at, wait: w.reason }]);
      } catch (error) {
        o.onError?.(`could not record why jobs wait: ${error instanceof Error ? error.message : String(error)}`);
      }
    }));
  };
  return {
    user,
    saved(old, next, by) {
      log.append(next.id, deriveEvents(old, next, { now: o.clock.now(), by, user }));
      lookAtWaits();
    },
    note: (jobId, event) => log.append(jobId, [event]),
    lookAtWaits,
    resume(pendingIds) {
      // A few files at a time: a long queue must not open thousands of files at once.
      let next = 0;
      const reader = async () => {
        while (next < pendingIds.length) {
          const id = pendingIds[next++]!;
          const last = (await log.read(id).catch(() => [])).findLast((e) => e.kind === 'waiting');
          if (last?.kind === 'waiting') tracker.seed(id, last.wait);
        }
      };
      ready = Promise.all(Array.from({ length: 8 }, reader)).then(() => undefined);
      return ready;
    },
    events: (jobId) => log.read(jobId),
    flush: () => log.flush(),
    close: () => {
      closed = true;
      return log.flush();
    },
  };
}
