import { z } from 'zod';

export const EngineKind = z.enum(['docker', 'podman'], { error: 'Kind must be docker or podman' });
export type EngineKind = z.infer<typeof EngineKind>;
/**
 * What runs attempts: an engine over the Docker Engine API (docker, podman), or a Kubernetes
 * context (one attempt = one batch/v1 Job). Kubernetes engines come from the kubeconfig, never
 * from settings' engine list, which stays EngineKind.
 */
export const EngineInfoKind = z.enum(['docker', 'podman', 'kubernetes']);
export type EngineInfoKind = z.infer<typeof EngineInfoKind>;

const HOST_FORMS = 'unix:///path/to/socket, npipe:////./pipe/name, tcp://host:port or ssh://user@host';

/** Why the app could not reach an engine at this address (what engines/client.ts can open), or undefined. */
export function engineHostProblem(h: string): string | undefined {
  if (!h) return `Engine address is required: ${HOST_FORMS}`;
  if (/\s/.test(h)) return 'Engine address must not contain spaces';
  if (h.startsWith('/')) return h.length > 1 ? undefined : 'Engine socket path is missing: unix:///var/run/docker.sock';
  if (h.startsWith('//./pipe/')) return h.length > '//./pipe/'.length ? undefined : 'Engine pipe name is missing: npipe:////./pipe/docker_engine';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(h)?.[1];
  if (!scheme) return `Engine address needs a scheme: ${HOST_FORMS}`;
  const rest = h.slice(scheme.length + 3);
  switch (scheme) {
    case 'unix':
      return rest.startsWith('/') ? undefined : 'Engine socket must be an absolute path: unix:///var/run/docker.sock';
    case 'npipe':
      return /^\/\/\.\/pipe\/.+/.test(rest) ? undefined : 'Engine pipe must be npipe:////./pipe/name';
    case 'tcp':
    case 'http':
    case 'https':
    case 'ssh': {
      let url: URL;
      try {
        url = new URL(h);
      } catch {
        return `Engine address "${h}" is not a valid ${scheme}:// address`;
      }
      if (!url.hostname) return `Engine address needs a host: ${scheme}://host${scheme === 'ssh' ? '' : ':port'}`;
      return undefined;
    }
    default:
      return `Jobdeck cannot reach an engine over ${scheme}://: use ${HOST_FORMS}`;
  }
}

/** Where an engine is reached: a unix socket, a Windows named pipe, tcp (optionally TLS) or ssh. */
export const EngineHost = z
  .string({ error: 'Engine address is required' })
  .superRefine((h, ctx) => {
    const problem = engineHostProblem(h);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A file the main process reads: absolute, or under the user's home as `~/…`. */
const FilePath = (what: string) =>
  z
    .string({ error: `${what} must be a path` })
    .min(1, { error: `${what} must be a path` })
    .refine((f) => f.startsWith('/') || f.startsWith('~/') || /^[A-Za-z]:[\\/]/.test(f), { error: `${what} must be an absolute path (or start with ~/)` });

/**
 * TLS for tcp engines. `ca`/`cert`/`key` hold PEM text (as stored before files could be named);
 * the *File fields and `certDir` (DOCKER_CERT_PATH's layout: ca.pem, cert.pem, key.pem) name files
 * read when the engine is connected, so a renewed certificate is picked up by a refresh.
 */
export const TlsConfig = z
  .object({
    ca: z.string().optional(),
    cert: z.string().optional(),
    key: z.string().optional(),
    caFile: FilePath('CA certificate file').optional(),
    certFile: FilePath('Client certificate file').optional(),
    keyFile: FilePath('Client key file').optional(),
    certDir: FilePath('Certificate directory').optional(),
    /** false: encrypted, but the server's certificate is not checked (DOCKER_TLS_VERIFY unset). Unset: checked. */
    verify: z.boolean().optional(),
  })
  .strict();
export type TlsConfig = z.infer<typeof TlsConfig>;

/** ssh engines: the key from ssh-agent (SSH_AUTH_SOCK) and/or a file; known_hosts checked always. */
export const SshConfig = z
  .object({
    identityFile: FilePath('Private key file').optional(),
    /** Unset: ~/.ssh/known_hosts. */
    knownHostsFile: FilePath('known_hosts file').optional(),
    /** false: do not offer the agent's keys. Unset: the agent is used when SSH_AUTH_SOCK is set. */
    agent: z.boolean().optional(),
  })
  .strict();
export type SshConfig = z.infer<typeof SshConfig>;

/**
 * An engine as stored in settings. Its address is checked as strictly as Jobdeck ever checked it
 * when it was saved: a rule added later must never make a store unreadable (and set aside with the
 * user's templates in it). What a user adds now is checked by NewEngineConfig.
 */
export const EngineConfig = z
  .object({
    id: z
      .string({ error: 'Id is required' })
      .min(1, { error: 'Id is required' })
      .max(64, { error: 'Id must be at most 64 characters' })
      .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'Id uses lowercase letters, digits and dashes, and starts with a letter or digit' }),
    kind: EngineKind,
    host: z
      .string({ error: 'Engine address is required' })
      .min(1, { error: 'Engine address is required' })
      .refine((h) => /^(unix|npipe|tcp|ssh|http|https):\/\//.test(h) || h.startsWith('/') || h.startsWith('//./pipe/'), {
        error: `Engine address must be ${HOST_FORMS}`,
      }),
    tls: TlsConfig.optional(),
    /** Jobs may run here at most this many at once; unset means only the global limit applies. */
    concurrency: z
      .number({ error: 'Concurrent jobs on an engine must be a whole number from 1 to 64' })
      .int({ error: 'Concurrent jobs on an engine must be a whole number from 1 to 64' })
      .min(1, { error: 'Concurrent jobs on an engine must be a whole number from 1 to 64' })
      .max(64, { error: 'Concurrent jobs on an engine must be a whole number from 1 to 64' })
      .optional(),
    ssh: SshConfig.optional(),
  })
  .strict();
export type EngineConfig = z.infer<typeof EngineConfig>;

/** TLS settings belong to tcp addresses and ssh settings to ssh:// ones; a key file needs its certificate. */
function connectionProblems(c: { host: string; tls?: TlsConfig | undefined; ssh?: SshConfig | undefined }): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  const scheme = /^([a-z]+):\/\//.exec(c.host)?.[1];
  if (c.tls && !['tcp', 'https', 'http'].includes(scheme ?? '')) out.push({ path: ['tls'], message: 'TLS certificates apply to tcp:// addresses only' });
  if (c.ssh && scheme !== 'ssh') out.push({ path: ['ssh'], message: 'ssh keys apply to ssh:// addresses only' });
  const t = c.tls;
  if (t && Boolean(t.certFile) !== Boolean(t.keyFile)) {
    out.push({ path: ['tls', t.certFile ? 'keyFile' : 'certFile'], message: 'A client certificate and its key go together: give both files' });
  }
  if (t?.certDir && (t.caFile || t.certFile || t.keyFile)) out.push({ path: ['tls', 'certDir'], message: 'Give either a certificate directory or the three files, not both' });
  return out;
}

const NewEngineFields = EngineConfig.extend({ host: EngineHost });

/** An engine the user adds now: its address must be one the app can open. */
export const NewEngineConfig = NewEngineFields.superRefine((c, ctx) => {
  for (const p of connectionProblems(c)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
});
export type NewEngineConfig = z.infer<typeof NewEngineConfig>;

/** "Test connection" before saving: the same fields; the id may still be empty. */
export const EngineTestInput = NewEngineFields.extend({ id: z.string().optional() }).superRefine((c, ctx) => {
  for (const p of connectionProblems(c)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
});
export type EngineTestInput = z.infer<typeof EngineTestInput>;

/** What a test connection learned: the engine's version, or why it could not be reached, in words. */
export const EngineTestResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), kind: EngineInfoKind, version: z.string().optional(), apiVersion: z.string().optional() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type EngineTestResult = z.infer<typeof EngineTestResult>;

/** A Docker CLI context (~/.docker/contexts) offered for import as an engine. */
export const DockerContext = z.object({
  name: z.string(),
  description: z.string().optional(),
  host: z.string(),
  /** The id it would get here (lowercase, dashes). */
  suggestedId: z.string(),
  current: z.boolean(),
  tls: TlsConfig.optional(),
  /** Why it cannot be imported as it is (a unix socket on another machine's path is fine; a missing host is not). */
  problem: z.string().optional(),
});
export type DockerContext = z.infer<typeof DockerContext>;

// kubeconfig: a Kubernetes context read from the user's kubeconfig.
export const EngineSource = z.enum(['env', 'settings', 'socket', 'kubeconfig']);

/** A Kubernetes engine's context (as the kubeconfig names it) and the namespace its Jobs go to. */
export const KubernetesTarget = z.object({
  context: z.string(),
  namespace: z.string(),
  cluster: z.string().optional(),
  /** The kubeconfig's namespace for the context, where Jobdeck's settings choose another. */
  kubeconfigNamespace: z.string().optional(),
  /** The kubeconfig's current-context (what engineId 'kubernetes' runs on unless settings.kubernetes.context names another). */
  current: z.boolean().optional(),
});

const namespaceRule = 'Namespace must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
/** A namespace name as the API server takes it (RFC 1123 label). */
export const KubernetesNamespace = z
  .string({ error: namespaceRule })
  .max(63, { error: namespaceRule })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: namespaceRule });
export type KubernetesTarget = z.infer<typeof KubernetesTarget>;

/** The engine id of a kubeconfig context. */
export const kubernetesEngineId = (context: string): string => `kubernetes:${context}`;

export const EngineInfo = z.object({
  id: z.string(),
  kind: EngineInfoKind,
  host: z.string(),
  source: EngineSource,
  status: z.enum(['available', 'unavailable']),
  version: z.string().optional(),
  apiVersion: z.string().optional(),
  error: z.string().optional(),
  checkedAt: z.string(),
  running: z.number().int().min(0).default(0),
  /** Kind kubernetes: which context and namespace. */
  kubernetes: KubernetesTarget.optional(),
});
export type EngineInfo = z.infer<typeof EngineInfo>;

/** The Docker CLI's context file (~/.docker/contexts/meta/<sha256 of name>/meta.json), as far as Jobdeck reads it. */
export const DockerContextMeta = z.object({
  Name: z.string(),
  Metadata: z.object({ Description: z.string().optional() }).passthrough().optional().nullable(),
  Endpoints: z
    .record(z.string(), z.object({ Host: z.string().optional(), SkipTLSVerify: z.boolean().optional() }).passthrough())
    .optional()
    .nullable(),
});
export type DockerContextMeta = z.infer<typeof DockerContextMeta>;

/** The add-engine form's file fields, for the desktop's "Choose…" (a directory for certDir). */
export const EngineFileField = z.enum(['caFile', 'certFile', 'keyFile', 'certDir', 'identityFile', 'knownHostsFile']);
export type EngineFileField = z.infer<typeof EngineFileField>;
export const PickFileInput = z.object({ field: EngineFileField, current: z.string().max(4096).optional() }).strict();
export type PickFileInput = z.infer<typeof PickFileInput>;
/** The path chosen, or none when the user cancelled. */
export const PickFileResult = z.object({ path: z.string().optional() });
export type PickFileResult = z.infer<typeof PickFileResult>;
