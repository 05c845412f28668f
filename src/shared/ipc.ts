import { z } from 'zod';
import { Alert, AlertList } from './alerts';
import type { ClientKind } from './audit';
import { JobGraph, TemplateChain } from './dependencyGraph';
import { BulkAction, BulkResult, CleanupPreview, CleanupRule, ExportFormat, JobSelection } from './bulk';
import { DockerContext, EngineInfo, EngineTestInput, EngineTestResult, NewEngineConfig, PickFileInput, PickFileResult } from './engine';
import { ErrorCode, WireError } from './errors';
import { Job, JobStatus } from './job';
import { JobEvent } from './jobEvents';
import { LogLinesInput, LogLinesPage, LogSearchInput, LogSearchResult, LogStream, LogTail, LogTailInput } from './logLines';
import { ChannelInput, Delivery, DesktopNotice, NotifyChannel } from './notify';
import { ImageProgress, PullState } from './pull';
export { ImageProgress, PullProgress } from './pull';
import { JobFilter, JobPage, Stats } from './query';
import { Settings, SettingsPatch } from './settings';
import { JobOverrides, Template, TemplateSpecChecked } from './template';
import { JobWait } from './wait';
import { cmd } from './lazyCommand';
import { ImportFile, FieldChange, ImportedTemplate, ImportResult, ImportAction, ImportDecision, ImportValue, ImportOutcome, LocalImage, ExampleTemplate, DockerRunResult } from './importFiles';

/** Shown in place of a secret value everywhere outside the main process; saving it back keeps the stored value. */
export const SECRET_MASK = '••••••••';

export const Ok = z.object({ ok: z.literal(true) });
const IdRef = z.object({ id: z.string().min(1).max(100) }).strict();
const Empty = z.object({}).strict();

export { LogStream };
export const LogChunk = z.object({
  attempt: z.number().int(),
  stream: LogStream,
  /** ISO time the chunk was read (or the engine's stamp on reattach). */
  t: z.string(),
  data: z.string(),
});
export type LogChunk = z.infer<typeof LogChunk>;

/**
 * A chunk as it is written, sent live: `from`/`to` are the byte range its records take in the
 * attempt's log file (the offsets of logs.read). A pane that has shown the log up to `from`
 * writes `data` as it is; one that finds a gap reads the file from where it is, once.
 */
export const LiveLogChunk = LogChunk.extend({
  from: z.number().int().min(0),
  to: z.number().int().min(0),
});
export type LiveLogChunk = z.infer<typeof LiveLogChunk>;

export const LogPage = z.object({
  chunks: z.array(LogChunk),
  /** Byte offset to pass for the next page. */
  nextOffset: z.number().int(),
  /** Size of the log file when read. */
  size: z.number().int(),
  eof: z.boolean(),
  truncated: z.boolean(),
});
export type LogPage = z.infer<typeof LogPage>;


/** What the Templates list shows of one template: the template itself, never mistaken for one. */
export const LastJob = z.object({
  id: z.string(),
  seq: z.number().int(),
  status: JobStatus,
  exitCode: z.number().int().nullable().optional(),
  finishedAt: z.string().optional(),
});
export type LastJob = z.infer<typeof LastJob>;
export const TemplateSummary = z.object({
  template: Template,
  lastJob: LastJob.optional(),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;

export const QueueState = z.object({
  paused: z.boolean(),
  running: z.number().int(),
  pending: z.number().int(),
  concurrency: z.number().int(),
});
export type QueueState = z.infer<typeof QueueState>;

export const Artifact = z.object({ attempt: z.number().int(), name: z.string(), size: z.number(), path: z.string() });

/** One artifact as artifacts.list names it: its path below the attempt's artifacts dir, with '/'. */
const ArtifactRef = z.object({ id: z.string().min(1).max(100), attempt: z.number().int().positive(), name: z.string().min(1).max(4096) });

// The schemas of templates that come from outside (files, examples, a docker run line): the contract's, kept beside it.
export { ImportFile, FieldChange, ImportedTemplate, ImportResult, ImportAction, ImportDecision, ImportValue, ImportOutcome, LocalImage, ExampleTemplate, DockerRunResult };

/** Every command the renderer may send: input schema → output schema (each made on first use). Nothing else crosses. */
export const commands = {
  'templates.list': cmd(() => Empty, () => z.array(TemplateSummary)),
  'templates.get': cmd(() => IdRef, () => Template),
  'templates.save': cmd(() => z.object({ id: z.string().optional(), spec: TemplateSpecChecked }).strict(), () => Template),
  'templates.delete': cmd(() => IdRef, () => Ok),
  /** Read files and say what they would become (nothing is stored). */
  'templates.import': cmd(() => z.object({ files: z.array(ImportFile).min(1).max(100) }).strict(), () => z.array(ImportResult)),
  /** Store what the same files hold, per the user's choices; read again here so secrets never round-trip masked. */
  'templates.importSave': cmd(
    () => z
      .object({
        files: z.array(ImportFile).min(1).max(100),
        decisions: z.array(ImportDecision).max(10_000).default([]),
        /** The user saw the host directories the files mount and agreed. */
        confirmHostMounts: z.boolean().default(false),
        /** Values for variables that came from a cluster (secretKeyRef / configMapKeyRef). */
        values: z.array(ImportValue).max(10_000).default([]),
      })
      .strict(),
    () => z.array(ImportOutcome),
  ),
  'templates.export': cmd(
    () => z.object({ id: z.string(), format: z.enum(['yaml', 'json', 'kubernetes']).default('yaml') }).strict(),
    () => z.object({ filename: z.string(), content: z.string() }),
  ),
  /** A copy under a free name ("name (copy)", "name (copy 2)"), secrets included, no schedule running twice: the copy's is off. */
  'templates.duplicate': cmd(() => z.object({ id: z.string(), name: z.string().trim().min(1).max(120).optional() }).strict(), () => Template),
  /** Several templates (all when ids is absent): one multi-document file, or a file per template. */
  'templates.exportMany': cmd(
    () => z
      .object({
        ids: z.array(z.string()).min(1).max(10_000).optional(),
        format: z.enum(['yaml', 'json', 'kubernetes']).default('yaml'),
        /** archive: a file per template, in one .tar.gz (a browser saves one download without asking). */
        bundle: z.enum(['oneFile', 'filePerTemplate', 'archive']).default('oneFile'),
      })
      .strict(),
    /** encoding base64: content is the bytes of a binary file (the archive). */
    () => z.object({ files: z.array(z.object({ filename: z.string(), content: z.string(), encoding: z.literal('base64').optional() })) }),
  ),
  /** The templates linked to this one because jobs of one ran after jobs of another. */
  'templates.chain': cmd(() => IdRef, () => TemplateChain),

  'jobs.create': cmd(
    () => z
      .object({
        templateId: z.string().optional(),
        /** A stored template as a person names it: its id or its name (templateRef.ts). */
        template: z.string().min(1).max(300).optional(),
        /** A new spec, checked as templates.save checks one (stored ones read with TemplateSpec). */
        spec: TemplateSpecChecked.optional(),
        /** A template file of one template, read as an import reads it, run without being stored. */
        file: ImportFile.optional(),
        overrides: JobOverrides.default({}),
        dependsOn: z.array(z.string()).max(100).default([]),
      })
      .strict()
      .refine((v) => [v.templateId, v.template, v.spec, v.file].filter((x) => x !== undefined).length === 1, 'give exactly one of templateId, template, spec and file'),
    () => Job,
  ),
  'jobs.list': cmd(() => JobFilter, () => JobPage),
  /** Every template name that jobs carry, sorted: History filters by name, deleted templates' too. */
  'jobs.templateNames': cmd(() => Empty, () => z.array(z.string())),
  'jobs.get': cmd(() => IdRef, () => Job),
  'jobs.cancel': cmd(() => IdRef, () => Job),
  'jobs.retry': cmd(() => IdRef, () => Job),
  'jobs.clone': cmd(
    () => z
      .object({
        id: z.string(),
        overrides: JobOverrides.default({}),
        /** The jobs the clone runs after; without it, none (as before). */
        dependsOn: z.array(z.string()).max(100).optional(),
      })
      .strict(),
    () => Job,
  ),
  'jobs.reorder': cmd(
    () => z.object({ id: z.string(), priority: z.number().int().min(1).max(5), beforeId: z.string().optional() }).strict(),
    () => Job,
  ),
  'jobs.remove': cmd(() => z.object({ ids: z.array(z.string()).min(1).max(10_000) }).strict(), () => z.object({ removed: z.number().int() })),
  /** Replace the jobs a pending job runs after; one that would close a cycle is refused, the cycle named. */
  'jobs.setDependencies': cmd(() => z.object({ id: z.string(), dependsOn: z.array(z.string()).max(100) }).strict(), () => Job),
  /** The job with its upstream and downstream jobs, for the job page's graph. */
  'jobs.graph': cmd(() => IdRef, () => JobGraph),
  /** Kubernetes spec.suspend on one job: no container starts; running ones are stopped, the job stays pending. */
  'jobs.suspend': cmd(() => IdRef, () => Job),
  'jobs.resume': cmd(() => IdRef, () => Job),
  /** A pinned job is kept by ttlSecondsAfterFinished and retention. */
  'jobs.pin': cmd(() => z.object({ id: z.string().min(1).max(100), pinned: z.boolean() }).strict(), () => Job),
  /** Cancel, retry, run again or delete many jobs (picked ids, or all matching a filter): what was done to each, and why not. */
  'jobs.bulk': cmd(() => z.object({ action: BulkAction, selection: JobSelection }).strict(), () => BulkResult),
  /** The selected jobs as a file's content (secrets masked): JSON, or CSV with one row per job. */
  'jobs.export': cmd(
    () => z.object({ selection: JobSelection, format: ExportFormat }).strict(),
    () => z.object({ filename: z.string(), content: z.string(), count: z.number().int() }),
  ),
  /** The job's audit timeline, oldest first: every transition with its time, reason and requester. */
  'jobs.events': cmd(() => IdRef, () => z.array(JobEvent)),
  /** The job as Markdown for a ticket: template, inputs (secrets masked), engine, timings, exit code, logs' tails, events. */
  'jobs.report': cmd(() => IdRef, () => z.object({ markdown: z.string() })),
  /** The job's image pull as far as it got (null when none is known): a page opened mid-pull shows it at once. */
  'jobs.pull': cmd(() => IdRef, () => PullState.nullable()),

  'logs.read': cmd(
    () => z
      .object({
        id: z.string(),
        attempt: z.number().int().positive().optional(),
        offset: z.number().int().min(0).default(0),
        maxBytes: z.number().int().min(1).max(8 * 1024 * 1024).default(256 * 1024),
        /** Join adjacent entries of one stream into one chunk (a terminal needs no per-line times). */
        merge: z.boolean().default(false),
        /** An init container's or sidecar's own log (its name, as in the attempt's steps). */
        step: z.string().min(1).optional(),
      })
      .strict(),
    () => LogPage,
  ),
  'logs.subscribe': cmd(() => IdRef, () => Ok),
  'logs.unsubscribe': cmd(() => IdRef, () => Ok),
  'artifacts.list': cmd(() => IdRef, () => z.array(Artifact)),
  /** Search the whole log of an attempt, in the host (the pane holds only its tail). */
  'logs.search': cmd(() => LogSearchInput, () => LogSearchResult),
  /** Numbered lines of an attempt's log from a line on: earlier pages than the pane's tail. */
  'logs.lines': cmd(() => LogLinesInput, () => LogLinesPage),
  /** Desktop only: the whole log into a file the user picks in the save dialog (the browser downloads it over HTTP). */
  'logs.save': cmd(
    () => z
      .object({
        id: z.string().min(1).max(100),
        attempt: z.number().int().positive().optional(),
        format: z.enum(['text', 'json']).default('text'),
        streams: z.array(LogStream).min(1).optional(),
      })
      .strict(),
    () => z.object({ saved: z.boolean(), path: z.string().optional() }),
  ),
  /** The last lines of an attempt's log, numbered, and where they end in its file: what a pane opens on (`docker logs --tail`). */
  'logs.tail': cmd(() => LogTailInput, () => LogTail),
  /** The start of a text or image artifact, for a preview in the page. */
  'artifacts.read': cmd(
    () => ArtifactRef.extend({ maxBytes: z.number().int().min(1).max(4 * 1024 * 1024).default(256 * 1024) }).strict(),
    () => z.object({
      name: z.string(),
      type: z.string(),
      size: z.number().int(),
      truncated: z.boolean(),
      encoding: z.enum(['utf8', 'base64']),
      data: z.string(),
    }),
  ),
  /** Desktop only: open an artifact with the system's program, or show it in its folder. */
  'artifacts.open': cmd(() => ArtifactRef.strict(), () => Ok),
  'artifacts.reveal': cmd(() => ArtifactRef.strict(), () => Ok),

  'engines.list': cmd(() => Empty, () => z.array(EngineInfo)),
  'engines.refresh': cmd(() => Empty, () => z.array(EngineInfo)),
  'engines.add': cmd(() => NewEngineConfig, () => EngineInfo),
  'engines.remove': cmd(() => IdRef, () => Ok),
  /** Connect to an engine as configured, without saving it: its version, or the error in words. */
  'engines.test': cmd(() => EngineTestInput, () => EngineTestResult),
  /** The Docker CLI's contexts (~/.docker/contexts), offered for import. */
  'engines.contexts': cmd(() => Empty, () => z.array(DockerContext)),
  /** The desktop's file dialog for a file field of the add-engine form (FORBIDDEN in a browser: paths are typed). */
  'engines.pickFile': cmd(() => PickFileInput, () => PickFileResult),

  'queue.state': cmd(() => Empty, () => QueueState),
  'queue.pause': cmd(() => Empty, () => QueueState),
  'queue.resume': cmd(() => Empty, () => QueueState),
  /** Why each pending job waits, as the scheduler sees it now, in queue order. */
  'queue.waits': cmd(() => Empty, () => z.array(JobWait)),

  'stats.get': cmd(
    () => z.object({ from: z.string().datetime({ offset: true }).optional(), to: z.string().datetime({ offset: true }).optional() }).strict(),
    () => Stats,
  ),
  'settings.get': cmd(() => Empty, () => Settings),
  'settings.update': cmd(() => SettingsPatch.strict(), () => Settings),
  'retention.run': cmd(() => CleanupRule, () => z.object({ removed: z.number().int() })),
  /** What retention.run with the same rule (and the preview's asOf) removes, counted; nothing is removed. */
  'retention.preview': cmd(() => CleanupRule, () => CleanupPreview),

  /** Every available engine's local images (one engine that fails to answer leaves only its own out). */
  'images.list': cmd(() => Empty, () => z.array(LocalImage)),
  /** The built-in examples, ready to save as templates (templates.save). */
  'templates.examples': cmd(() => Empty, () => z.array(ExampleTemplate)),
  /** Read a pasted docker/podman run line (and its --env-file files); with save, store the template. */
  'templates.fromDockerRun': cmd(
    () => z
      .object({
        commandLine: z.string().min(1, 'paste a docker run command line').max(64 * 1024),
        /** Variables the user marked secret. */
        secretNames: z.array(z.string().max(200)).max(1000).default([]),
        save: z.boolean().default(false),
        /** The user saw the host directories it mounts and agreed. */
        confirmHostMounts: z.boolean().default(false),
        /** The engine the template runs on, as the user chose it beside the line (a command line does not say). */
        engine: z.enum(['any', 'docker', 'podman']).optional(),
      })
      .strict(),
    () => DockerRunResult,
  ),
  // Notifications (shared/notify.ts): channels, the delivery log, a test send.
  /** The webhook and mail channels, secrets masked (the desktop channel is built in: id "desktop"). */
  'notify.channels.list': cmd(() => Empty, () => z.array(NotifyChannel)),
  /** Add (no id) or change a channel; a secret given as the mask keeps the stored one. */
  'notify.channels.save': cmd(() => ChannelInput, () => NotifyChannel),
  'notify.channels.remove': cmd(() => IdRef, () => Ok),
  /** Send a test notification now, once; the answer is its delivery (delivered 200, or why not). */
  'notify.test': cmd(() => IdRef, () => Delivery),
  /** The delivery log, newest first: of one job, one channel, or all. */
  'notify.deliveries': cmd(
    () => z.object({ jobId: z.string().max(100).optional(), channelId: z.string().max(100).optional(), limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    () => z.array(Delivery),
  ),

  /** Health alerts: the active ones and the kept history, newest first. */
  'alerts.list': cmd(() => Empty, () => AlertList),
  /** The core's metrics as Prometheus text (what the headless host serves at /metrics). */
  'metrics.text': cmd(() => Empty, () => z.object({ contentType: z.string(), text: z.string() })),
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<C extends CommandName> = z.input<Commands[C]['input']>;
export type CommandArgs<C extends CommandName> = z.output<Commands[C]['input']>;
export type CommandOutput<C extends CommandName> = z.output<Commands[C]['output']>;

export const COMMAND_NAMES = Object.keys(commands) as CommandName[];
export const isCommandName = (name: unknown): name is CommandName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);

/** Every event main sends: name → payload schema. */
export const events = {
  'job.updated': Job,
  'job.removed': z.object({ ids: z.array(z.string()) }),
  /** What the pane writes (see LiveLogChunk), sent only to clients that subscribed to the job. */
  'log.chunks': z.object({ id: z.string(), chunks: z.array(LiveLogChunk) }),
  'engine.status': EngineInfo,
  'queue.state': QueueState,
  'image.progress': ImageProgress,
  'template.changed': z.object({ id: z.string(), removed: z.boolean() }),
  'store.error': z.object({ message: z.string(), file: z.string().optional() }),
  /** A delivery queued, tried, delivered or given up (the job page's and Settings' delivery logs). */
  'notify.delivery': Delivery,
  /** A rule sent to the desktop channel: the shell shows it (Electron's notice, the browser's). */
  'notify.desktop': DesktopNotice,
  /** An alert started or cleared: the ones active now, oldest first. */
  'alerts.changed': z.object({ active: z.array(Alert) }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);

export type AppEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

/** The envelope every command answers with, on both transports. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };
export const ErrorResult = z.object({ ok: z.literal(false), error: WireError });

/** Who is calling: each window or WebSocket connection is one client (log subscriptions are per client). */
export interface CallContext {
  clientId: string;
  /** What kind of client the transport is serving; the audit trail records it. */
  client?: ClientKind;
  /** The OS user behind the client, where the transport knows it. */
  user?: string;
}

/** What the core implements and the transports expose. */
export type Handlers = {
  [C in CommandName]: (args: CommandArgs<C>, ctx: CallContext) => Promise<CommandOutput<C>>;
};

/** The one channel name per direction, for Electron's ipcMain/ipcRenderer. */
export const IPC_INVOKE_CHANNEL = 'jobdeck:invoke';
export const IPC_EVENT_CHANNEL = 'jobdeck:event';

export { ErrorCode };

/**
 * The object the preload exposes on `window.jobdeck` (and the headless WebSocket client imitates):
 * one invoke for the contract's commands, one event subscription. Nothing else.
 */
export interface Bridge {
  invoke(command: CommandName, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** Electron only: the path of a dropped file (webUtils.getPathForFile); undefined in a browser. */
  pathForFile?(file: unknown): string | undefined;
}
export const BRIDGE_GLOBAL = 'jobdeck';
