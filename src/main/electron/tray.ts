import type { Job } from '../../shared/job';

export type TrayIcon = 'idle' | 'running' | 'failed';

export interface TrayState {
  running: number;
  paused: boolean;
  /** A job failed since the user last looked at the window. */
  unseenFailures: number;
}

export const initialTray: TrayState = { running: 0, paused: false, unseenFailures: 0 };

/** Failed-since-you-looked wins over running, which wins over idle. */
export function trayIcon(s: TrayState): TrayIcon {
  if (s.unseenFailures > 0) return 'failed';
  return s.running > 0 ? 'running' : 'idle';
}

export function trayTooltip(s: TrayState): string {
  const parts = [s.running === 0 ? 'nothing running' : `${s.running} running`];
  if (s.paused) parts.push('queue paused');
  if (s.unseenFailures) parts.push(`${s.unseenFailures} failed since you looked`);
  return `Jobdeck: ${parts.join(', ')}`;
}

export type TrayAction = 'open' | 'pause' | 'resume' | 'quit';

export interface TrayMenuItem {
  label: string;
  action?: TrayAction;
  enabled: boolean;
}

export function trayMenu(s: TrayState): TrayMenuItem[] {
  return [
    { label: s.running === 1 ? '1 job running' : `${s.running} jobs running`, enabled: false },
    s.paused ? { label: 'Resume queue', action: 'resume', enabled: true } : { label: 'Pause queue', action: 'pause', enabled: true },
    { label: 'Open Jobdeck', action: 'open', enabled: true },
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
