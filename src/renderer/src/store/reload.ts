import type { EngineInfo } from '../../../shared/engine';
import type { CommandInput, CommandName, CommandOutput, QueueState, TemplateSummary } from '../../../shared/ipc';
import type { JobSummary } from '../../../shared/query';
import type { Settings } from '../../../shared/settings';

/** What a reload reads again from the core (at start, and after each reconnect). */
export interface Reloaded {
  active: Record<string, JobSummary>;
  queue: QueueState;
  engines: EngineInfo[];
  settings: Settings;
  templates: TemplateSummary[];
}

type Invoke = <C extends CommandName>(command: C, input: CommandInput<C>) => Promise<CommandOutput<C>>;

/**
 * The five reads of a reload, each taken as it arrives. Answers and events come in order on one
 * channel, so an answer is as new as the events before it; held back for the slowest of the five,
 * it would overwrite the events that came meanwhile (an engine's running count, a job that started).
 */
export async function reloadAll(invoke: Invoke, set: (part: Partial<Reloaded>) => void): Promise<void> {
  await Promise.all([
    invoke('jobs.list', { status: ['pending', 'running'], limit: 1000, sort: 'priority', order: 'asc' }).then((page) =>
      set({ active: Object.fromEntries(page.items.map((j) => [j.id, j])) }),
    ),
    invoke('queue.state', {}).then((queue) => set({ queue })),
    invoke('engines.list', {}).then((engines) => set({ engines })),
    invoke('settings.get', {}).then((settings) => set({ settings })),
    invoke('templates.list', {}).then((templates) => set({ templates })),
  ]);
}
