// A list-then-watch over one kind of object, as client-go's reflector does: list for a resource
// version, watch from it, watch again from the last version seen when the stream ends (servers and
// proxies drop watches), and list afresh on 410 Gone (the server no longer has that history).
import type { Watch } from '@kubernetes/client-node';

export type WatchEvent = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What every watched object has: its metadata (Kubernetes objects come as JSON). */
export interface KubeObject {
  metadata?: { name?: string; resourceVersion?: string; labels?: Record<string, string>; uid?: string } | undefined;
}

export interface WatchSource<T extends KubeObject> {
  /** The current objects and the list's resource version. */
  list(): Promise<{ items: T[]; resourceVersion: string }>;
  watch: Watch;
  /** The watch path (…/namespaces/ns/jobs) and its query (labelSelector). */
  path: string;
  query: Record<string, string>;
}

export interface WatcherHooks<T> {
  /** An object as it is now (a list gives each as ADDED); deletions as DELETED. */
  event(type: WatchEvent, object: T): void;
  /** After each list: what exists now (a Job followed after a restart may be gone already). */
  listed?(items: T[]): void;
  /** The API server could not be reached (kept trying), with the error; undefined once it answers again. */
  trouble?(error: string | undefined, cause?: unknown): void;
}

const RETRY_MS = 500;

export class Watcher<T extends KubeObject> {
  private stopped = false;
  private abort: AbortController | undefined;
  private resourceVersion: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Names known to exist, so that a relist can tell what was deleted meanwhile. */
  private readonly known = new Map<string, T>();
  /** Lists made, and watches started: what the tests of reconnects read. */
  lists = 0;
  watches = 0;

  constructor(
    private readonly source: WatchSource<T>,
    private readonly hooks: WatcherHooks<T>,
  ) {}

  start(): void {
    void this.relist();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort?.abort();
  }

  private later(fn: () => void): void {
    if (this.stopped) return;
    this.timer = setTimeout(fn, RETRY_MS);
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    let listed: { items: T[]; resourceVersion: string };
    try {
      this.lists++;
      listed = await this.source.list();
    } catch (error) {
      this.hooks.trouble?.(error instanceof Error ? error.message : String(error), error);
      return this.later(() => void this.relist());
    }
    if (this.stopped) return;
    this.hooks.trouble?.(undefined);
    const now = new Set<string>();
    for (const item of listed.items) {
      const name = item.metadata?.name ?? '';
      now.add(name);
      this.known.set(name, item);
      this.hooks.event('ADDED', item);
    }
    for (const [name, item] of this.known) {
      if (now.has(name)) continue;
      this.known.delete(name);
      this.hooks.event('DELETED', item);
    }
    this.resourceVersion = listed.resourceVersion;
    this.hooks.listed?.(listed.items);
    void this.watch();
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    let gone = false;
    this.watches++;
    const query = { ...this.source.query, allowWatchBookmarks: 'true', ...(this.resourceVersion ? { resourceVersion: this.resourceVersion } : {}) };
    const ended = (error: unknown) => {
      if (this.stopped) return;
      const status = (error as { statusCode?: number } | null)?.statusCode;
      if (gone || status === 410) return void this.relist();
      if (error) this.hooks.trouble?.(error instanceof Error ? error.message : String(error), error);
      // A dropped watch: again from the last version seen, after a breath.
      this.later(() => void this.watch());
    };
    try {
      this.abort = await this.source.watch.watch(
        this.source.path,
        query,
        (type: string, object: T & { code?: number }) => {
          if (type === 'ERROR') {
            // 410 Gone: the history from our version is compacted away; list again.
            if (object.code === 410) gone = true;
            return;
          }
          // An answer: the server is there (client-node's watch resolves before it has connected).
          this.hooks.trouble?.(undefined);
          const rv = object.metadata?.resourceVersion;
          if (rv) this.resourceVersion = rv;
          if (type === 'BOOKMARK') return;
          const name = object.metadata?.name ?? '';
          if (type === 'DELETED') this.known.delete(name);
          else this.known.set(name, object);
          this.hooks.event(type as WatchEvent, object);
        },
        ended,
      );
    } catch (error) {
      ended(error);
    }
  }
}
