import { inWords, within } from '../core/deadline';

/** How long Ctrl-C waits for the core to close before the headless host quits anyway. */
export const HOST_CLOSE_MS = 10_000;

export interface HostShutdown {
  /** Everything the host started, the core last (jobs keep running in their containers). */
  close(): Promise<void>;
  exit(code: number): void;
  log(line: string): void;
  closeMs?: number;
}

const AFTER = 'quitting anyway (the next start follows the running jobs again)';

/**
 * What SIGINT and SIGTERM do to the headless host: close, then exit 0. A close that fails or takes
 * longer than `closeMs` (an engine that stopped answering) is said and the host exits 1 anyway;
 * a second signal while closing exits at once, as a second Ctrl-C does for `docker compose up`.
 */
export function onStopSignal(d: HostShutdown): () => void {
  let closing = false;
  return () => {
    if (closing) {
      d.log(`jobdeck: asked again to stop: ${AFTER}`);
      d.exit(1);
      return;
    }
    closing = true;
    const ms = d.closeMs ?? HOST_CLOSE_MS;
    void within(d.close(), ms).then((outcome) => {
      if (outcome === 'timeout') d.log(`jobdeck: closing took longer than ${inWords(ms)}; ${AFTER}`);
      else if (outcome !== 'done') d.log(`jobdeck: closing failed (${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}); ${AFTER}`);
      d.exit(outcome === 'done' ? 0 : 1);
    });
  };
}
