import type { Job } from '../../../shared/job';
import { noticeForJob } from '../../../shared/jobEnds';

/** One job end in the bell's list. */
export interface EndItem {
  jobId: string;
  templateName: string;
  status: Job['status'];
  /** What a notice says (shared/jobEnds.ts), or a plain line for an end that does not notify. */
  title: string;
  body: string;
  at: string;
  read: boolean;
}

export interface EndList {
  items: EndItem[];
  unread: number;
}

export const EMPTY_LIST: EndList = { items: [], unread: 0 };
/** The list keeps the latest ends only: it is news, not History. */
export const LIST_CAP = 50;

const WORDS: Partial<Record<Job['status'], string>> = { completed: 'succeeded', failed: 'failed', cancelled: 'was cancelled' };

/** The list with a new end first; unread counts the ends not yet seen. */
export function addEnd(list: EndList, job: Pick<Job, 'id' | 'status' | 'templateName' | 'exitCode' | 'reason' | 'message' | 'finishedAt'>): EndList {
  // The list shows every end, worded as its notice; the settings only decide which ones pop up.
  const n = noticeForJob(job, { notifications: { enabled: true, muteSuccess: false } });
  const item: EndItem = {
    jobId: job.id,
    templateName: job.templateName,
    status: job.status,
    title: n?.title ?? `${job.templateName} ${WORDS[job.status] ?? job.status}`,
    body: n?.body ?? (job.reason === 'Cancelled' ? 'Cancelled' : (job.reason ?? '')),
    at: job.finishedAt ?? new Date().toISOString(),
    read: false,
  };
  const items = [item, ...list.items].slice(0, LIST_CAP);
  return { items, unread: items.filter((i) => !i.read).length };
}

/** Opening the list marks everything in it read. */
export function markAllRead(list: EndList): EndList {
  if (list.unread === 0) return list;
  return { items: list.items.map((i) => (i.read ? i : { ...i, read: true })), unread: 0 };
}
