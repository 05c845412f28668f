// The user's kubeconfig, as kubectl reads it: KUBECONFIG's ':'-separated list of files (the first
// file to name a context, cluster or user wins; the first current-context wins), else
// ~/.kube/config. Only ever read; watched so that contexts added or removed appear as engines.
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export interface KubeContext {
  /** The context's name in the kubeconfig. */
  name: string;
  cluster: string;
  /** The API server's URL. */
  server: string;
  user: string;
  /** The context's namespace, or 'default'. */
  namespace: string;
}

export interface KubeconfigRead {
  files: string[];
  contexts: KubeContext[];
  currentContext?: string;
  /** Files named but not readable, with why: shown, never fatal. */
  problems: string[];
  /** The merged config, from which each context's client is made. */
  config: KubeConfig;
}

export interface KubeconfigInput {
  env: Record<string, string | undefined>;
  /** Where ~/.kube/config is looked for (default the user's home); null: nowhere. */
  home?: string | null;
}

/** The files kubectl would read, in order. */
export function kubeconfigFiles(input: KubeconfigInput): string[] {
  const list = input.env.KUBECONFIG?.split(delimiter).filter(Boolean);
  if (list?.length) return [...new Set(list)];
  if (input.home === null) return [];
  return [join(input.home ?? homedir(), '.kube', 'config')];
}

export function readKubeconfig(input: KubeconfigInput): KubeconfigRead {
  const files = kubeconfigFiles(input);
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  const problems: string[] = [];
  let currentContext: string | undefined;
  for (const file of files) {
    if (!existsSync(file)) continue;
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (error) {
      problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    currentContext ||= kc.getCurrentContext() || undefined;
  }
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    ...(currentContext ? { currentContext } : {}),
  });
  const out: KubeContext[] = [];
  for (const c of contexts.values()) {
    const cluster = clusters.get(c.cluster);
    if (!cluster) {
      problems.push(`context ${c.name}: its cluster ${c.cluster} is not in ${files.join(delimiter)}`);
      continue;
    }
    out.push({ name: c.name, cluster: c.cluster, server: cluster.server, user: c.user, namespace: c.namespace || 'default' });
  }
  return { files, contexts: out, ...(currentContext ? { currentContext } : {}), problems, config };
}

/** A client config for one context of what was read (a copy: the merged one is shared). */
export function configFor(read: KubeconfigRead, context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: read.config.getClusters(),
    users: read.config.getUsers(),
    contexts: read.config.getContexts(),
    currentContext: context,
  });
  return kc;
}

/**
 * Calls `changed` (debounced) when a kubeconfig file is written, created or removed. Each file's
 * directory is watched, not the file: editors and `kubectl config` replace the file by rename.
 */
export function watchKubeconfig(input: KubeconfigInput, changed: () => void, debounceMs = 200): () => void {
  const files = new Set(kubeconfigFiles(input));
  const watchers: FSWatcher[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(changed, debounceMs);
    timer.unref?.();
  };
  for (const dir of new Set([...files].map((f) => dirname(f)))) {
    if (!existsSync(dir)) continue;
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        if (!name || files.has(join(dir, name.toString()))) fire();
      });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch {
      // A directory that cannot be watched: the contexts are read again on engines.refresh.
    }
  }
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
