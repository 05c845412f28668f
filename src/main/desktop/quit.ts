// Pure policy for the Electron shell (no `electron` import): quitting while jobs run.
import { realTimer, within } from '../core/deadline';

export type QuitChoice = 'leave' | 'stop' | 'cancel';

/** How long stopping jobs (and closing the store) may take before the app quits anyway. */
export const QUIT_TIMEOUT_MS = 10_000;

export interface QuitQuestion {
  type: 'question';
  buttons: string[];
  defaultId: number;
  cancelId: number;
  message: string;
  detail: string;
}

const CHOICES: readonly QuitChoice[] = ['leave', 'stop', 'cancel'];

export function quitQuestion(running: number): QuitQuestion {
  return {
    type: 'question',
    buttons: ['Leave them running', 'Stop them', 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    message: `${running} job${running === 1 ? ' is' : 's are'} still running`,
    detail: 'Jobs left running keep going in their containers; Jobdeck follows them again when it starts.',
  };
}

/** The dialog's button index as a choice; anything unexpected is a cancel. */
export function quitChoice(response: number): QuitChoice {
  return CHOICES[response] ?? 'cancel';
}

export interface QuitDeps {
  /** Attempts running now (the core's runningCount). */
  running(): number;
  /** Ask the question without blocking the main process (dialog.showMessageBox); the button index. */
  ask(question: QuitQuestion): Promise<number>;
  /** Close the core, stopping the running jobs or leaving them to the next start. */
  close(opts: { stopRunning: boolean }): Promise<void>;
  /** Quit for real (app.quit); beforeQuit lets it through from then on. */
  quit(): void;
  log(message: string): void;
  timeoutMs?: number;
  /** A timer that can be cancelled (tests pass fake ones). */
  setTimer?(fn: () => void, ms: number): () => void;
}

/**
 * before-quit → (ask, if jobs run) → close the core → quit. The question is asynchronous, so the
 * main process keeps serving the window and the tray while it is open; a second quit request
 * meanwhile is swallowed. Closing has a hard limit: an engine that does not answer a stop must not
 * keep the app from quitting; the log says so when it happens.
 */
export class QuitFlow {
  private phase: 'idle' | 'asking' | 'closing' | 'done' = 'idle';
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly d: QuitDeps) {}

  /** True once the core is closed: windows close for real instead of hiding in the tray. */
  get quitting(): boolean {
    return this.phase === 'done';
  }

  /** From before-quit: true lets the quit proceed; false means prevent it, the flow carries on. */
  beforeQuit(): boolean {
    if (this.phase === 'done') return true;
    if (this.phase === 'idle') void this.run();
    return false;
  }

  /** Resolves when the flow has quit or was cancelled (tests await it). */
  settled(): Promise<void> {
    return this.pending;
  }

  private run(): Promise<void> {
    this.pending = this.steps();
    return this.pending;
  }

  private async steps(): Promise<void> {
    this.phase = 'asking';
    const running = this.d.running();
    let choice: QuitChoice = 'leave';
    if (running > 0) {
      try {
        choice = quitChoice(await this.d.ask(quitQuestion(running)));
      } catch (error) {
        this.d.log(`jobdeck: the quit question failed (${message(error)}); not quitting`);
        choice = 'cancel';
      }
    }
    if (choice === 'cancel') {
      this.phase = 'idle';
      return;
    }
    this.phase = 'closing';
    const stopRunning = choice === 'stop';
    const ms = this.d.timeoutMs ?? QUIT_TIMEOUT_MS;
    const outcome = await within(this.d.close({ stopRunning }), ms, this.d.setTimer ?? realTimer);
    if (outcome === 'timeout') {
      this.d.log(
        stopRunning
          ? `jobdeck: stopping the running jobs took longer than ${ms / 1000} s; quitting anyway (the next start reconciles what is left)`
          : `jobdeck: closing took longer than ${ms / 1000} s; quitting anyway`,
      );
    } else if (outcome !== 'done') {
      this.d.log(`jobdeck: closing failed (${message(outcome.error)}); quitting anyway`);
    }
    this.phase = 'done';
    this.d.quit();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
