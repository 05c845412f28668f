import { AppError } from '../../../shared/errors';
import type { Handlers } from '../../../shared/ipc';
import { logFileName, saveLog, type SaveDialog } from '../logs/logExport';
import { searchLog } from '../logs/logSearch';
import { linesFrom, tailLines } from '../logs/logTail';
import type { CoreContext } from './context';
import { mustJob } from './jobHandlers';

type LogHandlers = Pick<Handlers, 'logs.search' | 'logs.lines' | 'logs.save' | 'logs.tail'>;

/** The log file of a job's attempt (its newest when none is named), or undefined before any attempt. */
export function attemptLogFile(ctx: CoreContext, id: string, attempt: number | undefined): string | undefined {
  const job = mustJob(ctx, id);
  const n = attempt ?? job.attempts[job.attempts.length - 1]?.number;
  if (n === undefined) return undefined;
  if (!job.attempts.some((a) => a.number === n)) throw new AppError('NOT_FOUND', `job ${id} has no attempt ${n}`);
  return ctx.logs.file(id, n);
}

/** The whole log, read in the host: the pane holds only its tail. */
export function logHandlers(ctx: CoreContext, saveDialog?: SaveDialog): LogHandlers {
  return {
    async 'logs.search'({ id, attempt, streams, ...query }) {
      const file = attemptLogFile(ctx, id, attempt);
      if (!file) return { matches: [], total: 0, lines: 0 };
      return searchLog(file, { ...query, ...(streams ? { streams } : {}) });
    },
    async 'logs.lines'({ id, attempt, streams, from, count }) {
      const file = attemptLogFile(ctx, id, attempt);
      if (!file) return { lines: [], total: 0, hasMore: false };
      return linesFrom(file, { from, count, ...(streams ? { streams } : {}) });
    },
    async 'logs.save'({ id, attempt, format, streams }) {
      if (!saveDialog) throw new AppError('FORBIDDEN', 'saving through a dialog works in the desktop app; here, the download comes from the host');
      const job = mustJob(ctx, id);
      const n = attempt ?? job.attempts[job.attempts.length - 1]?.number;
      const file = attemptLogFile(ctx, id, n);
      if (!file || n === undefined) throw new AppError('NOT_FOUND', `job ${id} has no log yet`);
      const to = await saveDialog.choose(logFileName(job.templateName, id, n, format));
      if (!to) return { saved: false };
      await saveLog(file, format, streams, to);
      return { saved: true, path: to };
    },
    async 'logs.tail'({ id, attempt, streams, count }) {
      const file = attemptLogFile(ctx, id, attempt);
      if (!file) return { lines: [], total: 0, hasEarlier: false, offset: 0, open: false };
      return tailLines(file, { count, ...(streams ? { streams } : {}) });
    },
  };
}
