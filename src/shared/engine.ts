import { z } from 'zod';

export const EngineKind = z.enum(['docker', 'podman']);
export type EngineKind = z.infer<typeof EngineKind>;

/** Where an engine is reached: a unix socket, a Windows named pipe, tcp (optionally TLS) or ssh. */
export const EngineHost = z
  .string()
  .min(1)
  .refine(
    (h) => /^(unix|npipe|tcp|ssh|http|https):\/\//.test(h) || h.startsWith('/') || h.startsWith('//./pipe/'),
    'expected unix:///path, npipe:////./pipe/name, tcp://host:port or ssh://user@host',
  );

export const TlsConfig = z
  .object({ ca: z.string().optional(), cert: z.string().optional(), key: z.string().optional() })
  .strict();

export const EngineConfig = z
  .object({
    id: z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lowercase letters, digits and dashes'),
    kind: EngineKind,
    host: EngineHost,
    tls: TlsConfig.optional(),
    /** Jobs may run here at most this many at once; unset means only the global limit applies. */
    concurrency: z.number().int().min(1).max(64).optional(),
  })
  .strict();
export type EngineConfig = z.infer<typeof EngineConfig>;

export const EngineSource = z.enum(['env', 'settings', 'socket']);

export const EngineInfo = z.object({
  id: z.string(),
  kind: EngineKind,
  host: z.string(),
  source: EngineSource,
  status: z.enum(['available', 'unavailable']),
  version: z.string().optional(),
  apiVersion: z.string().optional(),
  error: z.string().optional(),
  checkedAt: z.string(),
  running: z.number().int().min(0).default(0),
});
export type EngineInfo = z.infer<typeof EngineInfo>;
