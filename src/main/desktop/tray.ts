import type { Job } from '../../shared/job';

export type TrayIcon = 'idle' | 'running' | 'failed' | 'alert';

export interface TrayState {
  running: number;
  paused: boolean;
  /** A job failed since the user last looked at the window. */
  unseenFailures: number;
  /** Titles of the health alerts active now (alerts.changed), oldest first. */
  alerts?: readonly string[];
}

export const initialTray: TrayState = { running: 0, paused: false, unseenFailures: 0 };

/** An active alert wins over failed-since-you-looked, which wins over running, which wins over idle. */
export function trayIcon(s: TrayState): TrayIcon {
  if (s.alerts?.length) return 'alert';
  if (s.unseenFailures > 0) return 'failed';
  return s.running > 0 ? 'running' : 'idle';
}

export function trayTooltip(s: TrayState): string {
  const parts = [s.running === 0 ? 'nothing running' : `${s.running} running`];
  if (s.paused) parts.push('queue paused');
  if (s.unseenFailures) parts.push(`${s.unseenFailures} failed since you looked`);
  const alerts = s.alerts ?? [];
  if (alerts.length) parts.push(alerts.length === 1 ? `alert: ${alerts[0]}` : `${alerts.length} alerts: ${alerts[0]}, …`);
  return `Jobdeck: ${parts.join(', ')}`;
}

export type TrayAction = 'open' | 'pause' | 'resume' | 'install-cli' | 'quit';

export interface TrayMenuItem {
  label: string;
  action?: TrayAction;
  enabled: boolean;
}

/** `packaged`: a packaged app offers to put its command line on PATH (a checkout has `npx jobdeck`). */
export function trayMenu(s: TrayState, o: { packaged?: boolean } = {}): TrayMenuItem[] {
  return [
    // What is wrong now, first (a label: Open Jobdeck shows the banner and its list).
    ...(s.alerts ?? []).slice(0, 3).map((title) => ({ label: `⚠ ${title}`, enabled: false })),
    { label: s.running === 1 ? '1 job running' : `${s.running} jobs running`, enabled: false },
    s.paused ? { label: 'Resume queue', action: 'resume', enabled: true } : { label: 'Pause queue', action: 'pause', enabled: true },
    { label: 'Open Jobdeck', action: 'open', enabled: true },
    ...(o.packaged ? [{ label: 'Install the jobdeck command…', action: 'install-cli' as const, enabled: true }] : []),
    { label: 'Quit', action: 'quit', enabled: true },
  ];
}

/** Fold one job update into the tray: failures count until the window is looked at. */
export function onJobEnded(s: TrayState, job: Pick<Job, 'status'>, windowFocused: boolean): TrayState {
  if (job.status === 'failed' && !windowFocused) return { ...s, unseenFailures: s.unseenFailures + 1 };
  return s;
}

export function onWindowFocused(s: TrayState): TrayState {
  return s.unseenFailures ? { ...s, unseenFailures: 0 } : s;
}

/** A queue.state event: the running count and paused flag as the scheduler has them now. */
export function onQueueState(s: TrayState, q: { running: number; paused: boolean }): TrayState {
  return { ...s, running: q.running, paused: q.paused };
}

/** What the core says at start-up, before any event: the queue and the failed jobs, newest first. */
export interface TraySnapshot {
  queue: { running: number; paused: boolean };
  failed: { id: string; status: Job['status']; finishedAt?: string | undefined }[];
}

/**
 * The tray's first picture comes from the core, not from the first event (which may be hours
 * away). Failures count as unseen when they ended after the user last looked at the window
 * (lookedAt, persisted across starts; none yet means nothing is unseen). `isNew` says whether a
 * failure is not counted already: an event may have told about it while the snapshot loaded.
 * The queue of the snapshot is older than a queue.state event heard meanwhile, which then wins.
 */
export function withSnapshot(
  s: TrayState,
  snap: TraySnapshot,
  opts: { lookedAt: string | undefined; queueHeard: boolean; isNew: (job: TraySnapshot['failed'][number]) => boolean },
): TrayState {
  const looked = opts.lookedAt === undefined ? Number.NaN : Date.parse(opts.lookedAt);
  let unseen = 0;
  for (const job of snap.failed) {
    if (!opts.isNew(job)) continue;
    const at = job.finishedAt === undefined ? Number.NaN : Date.parse(job.finishedAt);
    if (!Number.isNaN(looked) && !Number.isNaN(at) && at > looked) unseen++;
  }
  const next = opts.queueHeard ? s : onQueueState(s, snap.queue);
  return unseen ? { ...next, unseenFailures: next.unseenFailures + unseen } : next;
}

/** The persisted "user last looked at the window" time, if the file holds a valid one. */
export function parseLookedAt(saved: unknown): string | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const at = (saved as { lookedAt?: unknown }).lookedAt;
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : undefined;
}

/** An alerts.changed event (or alerts.list at start-up): the alerts active now. */
export function onAlerts(s: TrayState, active: readonly { title: string }[]): TrayState {
  return { ...s, alerts: active.map((a) => a.title) };
}
