import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DockerContextMeta, engineHostProblem, type DockerContext } from '../../../shared/engine';

/** The Docker CLI's config directory: DOCKER_CONFIG, else ~/.docker. */
export const dockerConfigDir = (env: Record<string, string | undefined>, home = homedir()): string => env.DOCKER_CONFIG?.trim() || join(home, '.docker');

/** A context name as an engine id here: lowercase letters, digits and dashes. */
export function contextEngineId(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return id || 'context';
}

function currentContext(dir: string, env: Record<string, string | undefined>): string | undefined {
  if (env.DOCKER_CONTEXT) return env.DOCKER_CONTEXT;
  try {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' ? config.currentContext : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The contexts `docker context ls` shows (but "default", which is DOCKER_HOST or the local socket
 * that Jobdeck finds by itself), each with its TLS directory (contexts/tls/<id>/docker: ca.pem,
 * cert.pem, key.pem) when it has one. Read only; a damaged meta.json is listed with its problem.
 */
export function listDockerContexts(env: Record<string, string | undefined>, home = homedir()): DockerContext[] {
  const dir = dockerConfigDir(env, home);
  const metaDir = join(dir, 'contexts', 'meta');
  if (!existsSync(metaDir)) return [];
  const current = currentContext(dir, env);
  const out: DockerContext[] = [];
  for (const entry of readdirSync(metaDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = join(metaDir, entry.name, 'meta.json');
    let meta: DockerContextMeta;
    try {
      meta = DockerContextMeta.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (error) {
      out.push({ name: entry.name, host: '', suggestedId: contextEngineId(entry.name), current: false, problem: `${file} cannot be read as a Docker context (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` });
      continue;
    }
    const endpoint = meta.Endpoints?.docker;
    const host = endpoint?.Host ?? '';
    // The TLS directory is named like the meta one: the sha256 of the context's name.
    const tlsDir = join(dir, 'contexts', 'tls', createHash('sha256').update(meta.Name).digest('hex'), 'docker');
    const hasTls = existsSync(join(tlsDir, 'ca.pem')) || existsSync(join(tlsDir, 'cert.pem'));
    const problem = !host ? 'This context has no Docker endpoint' : engineHostProblem(host);
    const description = meta.Metadata?.Description;
    out.push({
      name: meta.Name,
      ...(description ? { description } : {}),
      host,
      suggestedId: contextEngineId(meta.Name),
      current: current === meta.Name,
      ...(hasTls && /^(tcp|https):/.test(host) ? { tls: { certDir: tlsDir, ...(endpoint?.SkipTLSVerify ? { verify: false } : {}) } } : {}),
      ...(problem ? { problem } : {}),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
