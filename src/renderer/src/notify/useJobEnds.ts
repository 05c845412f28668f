import { create } from 'zustand';
import { JobEndLedger, noticeForJob } from '../../../shared/jobEnds';
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
 * page opened are not news) goes into the bell's list, and raises a browser notification where
 * the settings say it notifies (the same rule as Electron's, shared/jobEnds.ts).
 */
export function watchJobEnds(): void {
  if (watching) return;
  watching = true;
  const ledger = new JobEndLedger({ since: Date.now() });
  client.on('job.updated', (job) => {
    if (!ledger.observe(job)) return;
    useJobEnds.setState((s) => addEnd(s, job));
    const settings = useApp.getState().settings;
    const notice = settings && noticeForJob(job, settings);
    if (notice) showNotice(notice.title, notice.body, notice.jobId, () => useApp.getState().go('job', notice.jobId));
  });
}
