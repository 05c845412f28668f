import { create } from 'zustand';
import { JobEndLedger } from '../../../shared/jobEnds';
import { client } from '../client/client';
import { useApp } from '../store/app';
import { showNotice } from './browserNotify';
import { addEnd, EMPTY_LIST, markAllRead, type EndList } from './endList';

interface JobEndsState extends EndList {
  markRead(): void;
}

export const useJobEnds = create<JobEndsState>((set) => ({
  ...EMPTY_LIST,
  markRead: () => set((s) => markAllRead(s)),
}));

let watching = false;

/**
 * Follows job.updated once per page: each end (once, as the ledger decides; ends from before the
 * page opened are not news) goes into the bell's list; browser notifications come from the
 * core's notify.desktop, as Electron's do.
 */
export function watchJobEnds(): void {
  if (watching) return;
  watching = true;
  const ledger = new JobEndLedger({ since: Date.now() });
  client.on('job.updated', (job) => {
    if (!ledger.observe(job)) return;
    useJobEnds.setState((s) => addEnd(s, job));
  });
  // Whether to notify is the core's rules' decision (Settings → Notifications): the page shows it.
  client.on('notify.desktop', (notice) => {
    const jobId = notice.jobId;
    showNotice(notice.title, notice.body, jobId ?? notice.key, () => (jobId ? useApp.getState().go('job', jobId) : undefined));
  });
}
