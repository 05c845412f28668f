import type Docker from 'dockerode';
import type { EngineConfig, EngineInfo, EngineKind, EngineTestResult } from '../../../shared/engine';
import { discoverEngines, type DiscoveryInput, type EngineCandidate } from './discovery';
import { engineMessage } from './errors';
import { ENGINE_ANSWER_MS, withinDeadline } from '../deadline';
import type { ImageSummary } from './images';
import type { Executor } from './types';

/** The Docker Engine API calls that reconcile makes besides running attempts (Podman's compat API answers them too). */
export interface ContainerApi {
  listContainers(options: { all: boolean; filters: { label: string[] } }): Promise<Docker.ContainerInfo[]>;
  getContainer(id: string): { start(): Promise<unknown>; remove(options: { force: boolean; v: boolean }): Promise<unknown> };
  /** Attempts' emptyDir volumes (absent on engines that make none). */
  listVolumes?(options: { filters: { label: string[] } }): Promise<{ Volumes?: { Name: string; Labels?: Record<string, string> | null }[] | null }>;
  getVolume?(name: string): { remove(): Promise<unknown> };
  /** The engine's local images (GET /images/json), for "Run an image". */
  listImages?(): Promise<ImageSummary[]>;
}

/** What a probe learns of an engine that answered. */
export interface EngineProbe {
  version?: string;
  apiVersion?: string;
}

/**
 * One engine's connection: what probes it, what runs attempts on it, what reconcile lists and
 * removes. The composition root chooses how it is made (dockerEngine; a fake in tests).
 */
export interface EngineDriver {
  readonly executor: Executor;
  readonly docker: ContainerApi;
  /** Rejects when the engine does not answer. */
  probe(): Promise<EngineProbe>;
  /** Which engine answers, asked only when discovery did not say. */
  detectKind(): Promise<EngineKind>;
  /** A failure in the user's terms (TLS, ssh, refused); absent: the error's own message. */
  describeError?(error: unknown): string;
  /** Ends the connection's own resources (an ssh session) when the engine is dropped. */
  close?(): void;
}

export type EngineDriverFactory = (candidate: EngineCandidate) => EngineDriver;

export interface Engine {
  info: EngineInfo;
  candidate: EngineCandidate;
  docker: ContainerApi;
  executor: Executor;
  driver: EngineDriver;
}

const sameConnection = (a: EngineCandidate, b: EngineCandidate): boolean =>
  a.host === b.host && a.kind === b.kind && JSON.stringify(a.tls ?? null) === JSON.stringify(b.tls ?? null) && JSON.stringify(a.ssh ?? null) === JSON.stringify(b.ssh ?? null);

/**
 * Why an engine.status goes out: its status, version, kind or error changed (the scheduler may
 * start work there), it was probed again (checkedAt moved), or its count of running attempts changed.
 */
export type EngineChange = 'status' | 'checked' | 'running';

/**
 * The engines Jobdeck knows, their status, and an executor for each. A down engine stays in
 * the list as unavailable and is probed again; jobs that need it wait.
 */
export class EngineRegistry {
  private engines = new Map<string, Engine>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly sources: (() => EngineCandidate[])[] = [];
  private readonly probing = new Set<Engine>();

  constructor(
    private readonly discovery: Omit<DiscoveryInput, 'settings'>,
    /** Makes each discovered engine's connection (and so its executor). */
    private readonly connect: EngineDriverFactory,
    /** Every change of an engine's info, with what changed; the views show each one live. */
    private readonly onStatus: (info: EngineInfo, change: EngineChange) => void,
    /** An engine that has not answered by then is unavailable: a hung one must not hold the start. */
    private readonly probeTimeoutMs = ENGINE_ANSWER_MS,
  ) {}

  /** Engines found elsewhere than env, settings and sockets (Kubernetes contexts): asked at every refresh, after those. */
  addSource(source: () => EngineCandidate[]): void {
    this.sources.push(source);
  }

  /**
   * Discover (again) from env, settings and sockets, then probe every engine, or with `onlyNew`
   * only those new or changed (adding one engine must not wait for a slow other one).
   */
  async refresh(settings: EngineConfig[], opts: { onlyNew?: boolean } = {}): Promise<EngineInfo[]> {
    const found = discoverEngines({ ...this.discovery, settings });
    const ids = new Set(found.map((c) => c.id));
    const candidates = [...found, ...this.sources.flatMap((s) => s()).filter((c) => !ids.has(c.id))];
    const next = new Map<string, Engine>();
    for (const c of candidates) {
      const existing = this.engines.get(c.id);
      // A changed address, certificate, key or namespace makes a new connection; an unchanged one keeps its state.
      if (existing && sameConnection(existing.candidate, c) && existing.candidate.kubernetes?.namespace === c.kubernetes?.namespace) {
        // Same connection, but the kubeconfig's current-context may have moved: the card says so.
        if (c.kubernetes) {
          existing.candidate = c;
          existing.info = { ...existing.info, kubernetes: c.kubernetes };
        }
        next.set(c.id, existing);
        continue;
      }
      const driver = this.connect(c);
      const engine: Engine = {
        candidate: c,
        docker: driver.docker,
        executor: driver.executor,
        driver,
        info: {
          id: c.id,
          kind: c.kind ?? 'docker',
          host: c.host,
          source: c.source,
          status: 'unavailable',
          error: 'not checked yet',
          checkedAt: new Date().toISOString(),
          running: 0,
          ...(c.kubernetes ? { kubernetes: c.kubernetes } : {}),
        },
      };
      next.set(c.id, engine);
    }
    for (const [id, old] of this.engines) if (next.get(id) !== old) old.driver.close?.();
    const before = this.engines;
    this.engines = next;
    const toProbe = [...next.values()].filter((e) => !opts.onlyNew || before.get(e.info.id) !== e);
    await Promise.all(toProbe.map((e) => this.probe(e)));
    return this.list();
  }

  list(): EngineInfo[] {
    return [...this.engines.values()].map((e) => e.info);
  }

  get(id: string): Engine | undefined {
    return this.engines.get(id);
  }

  all(): Engine[] {
    return [...this.engines.values()];
  }

  /** Probe every `intervalMs`; status changes are reported through onStatus. */
  watch(intervalMs: number): void {
    this.timer = setInterval(() => {
      // A slow remote engine's probe may outlast the interval: never two at once for one engine.
      for (const e of this.engines.values()) if (!this.probing.has(e)) void this.probe(e);
    }, intervalMs);
    this.timer.unref?.();
  }

  /** A run found the engine unreachable: mark it now rather than at the next probe. */
  markUnavailable(id: string, error: string): void {
    const e = this.engines.get(id);
    if (!e || e.info.status === 'unavailable') return;
    this.update(e, { status: 'unavailable', error });
    void this.probe(e);
  }

  /** Attempts running on the engine now, as the scheduler counts them; announced when it changes. */
  setRunning(id: string, running: number): void {
    const e = this.engines.get(id);
    if (!e || e.info.running === running) return;
    e.info = { ...e.info, running };
    this.onStatus(e.info, 'running');
  }

  /** Every engine's running count from one source (the scheduler's live attempts). */
  syncRunning(count: (engineId: string) => number): void {
    for (const id of this.engines.keys()) this.setRunning(id, count(id));
  }

  async probe(e: Engine): Promise<EngineInfo> {
    this.probing.add(e);
    try {
      const { found, kind } = await withinDeadline(
        (async () => ({ found: await e.driver.probe(), kind: e.candidate.kind ?? (await e.driver.detectKind()) }))(),
        this.probeTimeoutMs,
      );
      this.update(e, { status: 'available', kind, ...found, error: undefined });
    } catch (error) {
      this.update(e, { status: 'unavailable', error: `${e.candidate.host}: ${e.driver.describeError?.(error) ?? engineMessage(error)}` });
    } finally {
      this.probing.delete(e);
    }
    return e.info;
  }

  /**
   * Connect to `candidate` as a saved engine would be, without keeping it: its version and kind,
   * or the failure in the user's terms ("Test connection" before saving).
   */
  async test(candidate: EngineCandidate): Promise<EngineTestResult> {
    const driver = this.connect(candidate);
    try {
      // As a probe is: an address that takes the connection and never answers is an answer too.
      const { found, kind } = await withinDeadline(
        (async () => ({ found: await driver.probe(), kind: candidate.kind ?? (await driver.detectKind()) }))(),
        this.probeTimeoutMs,
      );
      return { ok: true, kind, ...found };
    } catch (error) {
      return { ok: false, error: driver.describeError?.(error) ?? engineMessage(error) };
    } finally {
      driver.close?.();
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** After the last call on any engine (the scheduler has stopped): ends the connections' own resources. */
  disconnect(): void {
    for (const e of this.engines.values()) e.driver.close?.();
  }

  private update(e: Engine, patch: Partial<EngineInfo>): void {
    const before = e.info;
    const next: EngineInfo = { ...before, ...patch, checkedAt: new Date().toISOString() };
    if (next.error === undefined) delete next.error;
    e.info = next;
    const changed =
      before.status !== next.status || before.version !== next.version || before.kind !== next.kind || before.error !== next.error;
    // A probe that changed nothing still moved checkedAt: the card's "Checked" must not go stale.
    this.onStatus(next, changed ? 'status' : 'checked');
  }
}
