// Files in the data directory that processes other than the store read: the writer's lock and
// what the headless host remembers of its address. Their shapes, checked when read.
import { z } from 'zod';

export const LockKind = z.enum(['electron', 'headless', 'cli']);
export type LockKind = z.infer<typeof LockKind>;

/** `<dataDir>/jobdeck.lock`: who is the one writer of this data directory. */
export const LockHolder = z.object({
  pid: z.number().int().positive(),
  kind: LockKind,
  /** Where the holder can be reached (the headless host's address), once it listens. */
  url: z.string().optional(),
  startedAt: z.string(),
  /**
   * The process's start time as /proc/<pid>/stat field 22 gives it (clock ticks since boot),
   * where /proc exists: a pid reused by another process after a crash has another one.
   */
  procStart: z.string().optional(),
  /** Tells this holder's lock from another's with the same pid (release removes only its own). */
  nonce: z.string(),
  /** The local socket the holder answers on (a path, or a named pipe on Windows): the CLI connects there. */
  socket: z.string().optional(),
});
export type LockHolder = z.infer<typeof LockHolder>;

export const LOCK_KIND_LABEL: Record<LockKind, string> = {
  electron: 'the Jobdeck app',
  headless: 'headless host',
  cli: 'jobdeck command',
};

/** `<dataDir>/headless.json` (mode 0600): the port and token the host reuses on its next start. */
export const HostMemory = z.object({
  port: z.number().int().min(1).max(65535),
  token: z.string().min(16).max(200),
});
export type HostMemory = z.infer<typeof HostMemory>;
