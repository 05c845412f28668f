import type Docker from 'dockerode';

/** A container's exit as the engine announced it. */
export interface AnnouncedExit {
  exitCode: number;
  /** ISO time of the exit, from the event's own stamp. */
  finishedAt: string;
}

/** Exits kept after they came, for a container whose output ends just after its 'die' event. */
const KEEP = 512;

/**
 * Container exits from Podman's event stream ('died' events carry the exit code). An inspect as
 * the output ends finds about one container in ten still running; its compat wait then answers
 * 0.3–0.5 s after the exit (it waits for the cleanup) and a second inspect follows, where the
 * event comes 0.1 s after the exit, on a stream open anyway. One stream serves every job on the
 * engine; a missed event (the stream dropped, a slow engine) is an `exitOf` that gives
 * undefined, and the caller waits as before.
 */
export class ExitEvents {
  private stream: NodeJS.ReadableStream | undefined;
  private connecting: Promise<void> | undefined;
  private readonly seen = new Map<string, AnnouncedExit>();
  private readonly waiting = new Map<string, (exit: AnnouncedExit) => void>();
  private carry = '';
  private closed = false;

  constructor(private readonly docker: Pick<Docker, 'getEvents'>) {}

  /** Subscribed, or trying to be: resolves once the engine has answered (or refused) the request. */
  ready(): Promise<void> {
    if (this.stream || this.closed) return Promise.resolve();
    // Podman's own name for the event ("die" in what it sends, and in Docker's filter). A throw
    // (an engine client without events) is a refusal too: exits are then waited for.
    this.connecting ??= Promise.resolve()
      .then(() => this.docker.getEvents({ filters: { type: ['container'], event: ['died'] } }))
      .then((s) => {
        const stream = s as NodeJS.ReadableStream;
        if (this.closed) return void destroy(stream);
        this.stream = stream;
        this.carry = '';
        stream.on('data', (chunk: Buffer) => this.read(chunk.toString('utf8')));
        const gone = () => {
          if (this.stream === stream) this.stream = undefined;
        };
        stream.on('end', gone);
        stream.on('close', gone);
        stream.on('error', gone);
      })
      .catch(() => undefined)
      .finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** The exit of a container whose output has ended, if its event comes within `timeoutMs`. */
  exitOf(id: string, timeoutMs: number): Promise<AnnouncedExit | undefined> {
    const known = this.seen.get(id);
    if (known) return Promise.resolve(known);
    if (!this.stream) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.waiting.set(id, (exit) => {
        clearTimeout(timer);
        resolve(exit);
      });
    });
  }

  close(): void {
    this.closed = true;
    const s = this.stream;
    this.stream = undefined;
    if (s) destroy(s);
  }

  private read(text: string): void {
    const lines = (this.carry + text).split('\n');
    this.carry = lines.pop() ?? '';
    for (const line of lines) {
      const exit = line.trim() ? parseDie(line) : undefined;
      if (!exit) continue;
      const resolve = this.waiting.get(exit.id);
      this.waiting.delete(exit.id);
      this.seen.set(exit.id, exit.exit);
      if (this.seen.size > KEEP) this.seen.delete(this.seen.keys().next().value!);
      resolve?.(exit.exit);
    }
  }
}

/** A 'die' event as both engines write it: the id, Actor.Attributes.exitCode, time(Nano). */
function parseDie(line: string): { id: string; exit: AnnouncedExit } | undefined {
  let e: { Action?: string; status?: string; id?: string; Actor?: { ID?: string; Attributes?: Record<string, string> }; time?: number; timeNano?: number };
  try {
    e = JSON.parse(line) as typeof e;
  } catch {
    return undefined;
  }
  const id = e.Actor?.ID ?? e.id;
  const code = Number(e.Actor?.Attributes?.exitCode);
  if ((e.Action ?? e.status) !== 'die' || !id || !Number.isInteger(code)) return undefined;
  const ms = e.timeNano ? Math.floor(e.timeNano / 1e6) : (e.time ?? 0) * 1000;
  return { id, exit: { exitCode: code, finishedAt: new Date(ms || Date.now()).toISOString() } };
}

function destroy(stream: NodeJS.ReadableStream): void {
  (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
}
