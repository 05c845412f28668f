// The core's one entry point: both composition roots (Electron's index.ts and headless.ts) call
// createJobdeck and expose its handlers through src/main/ipc/dispatch.ts.
import type { AppEvent, Handlers } from '../../shared/ipc';

/** Encrypts secret env values at rest; Electron passes safeStorage, headless a key file codec. */
export interface SecretCodec {
  readonly available: boolean;
  encrypt(plain: string): string;
  decrypt(stored: string): string;
}

export interface JobdeckOptions {
  /** Where the store, logs and artifacts live (Electron: app.getPath('userData')). */
  dataDir: string;
  /** Labels every container, so a restart finds its own; stable across restarts of one data dir. */
  instanceId?: string;
  /** Engine discovery reads DOCKER_HOST / CONTAINER_HOST from here (default process.env). */
  env?: Record<string, string | undefined>;
  secretCodec?: SecretCodec;
  /** How often unavailable engines are probed again. */
  engineProbeIntervalMs?: number;
  /** Extra sockets to try instead of the platform defaults (tests). */
  socketCandidates?: string[];
}

export interface Jobdeck {
  readonly handlers: Handlers;
  /** Events for one client; log.chunks arrive only for the jobs that client subscribed to. */
  onEvent(clientId: string, listener: (event: AppEvent) => void): () => void;
  /** A window closed or a socket dropped: forget its subscriptions. */
  dropClient(clientId: string): void;
  runningCount(): number;
  close(options?: { stopRunning?: boolean }): Promise<void>;
}
