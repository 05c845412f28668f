// What the engine is asked to create for an attempt's main container, from its template.
import type Docker from 'dockerode';
import { containerName } from '../../../shared/containerName';
import { parseCpus, parseMemory } from '../../../shared/quantity';
import { statusOf } from './errors';
import type { AttemptRequest } from './types';

/** Docker CLI semantics for a command: a string runs as `sh -c`. */
export function toCmd(command: string | string[] | undefined): string[] | undefined {
  if (command === undefined) return undefined;
  return typeof command === 'string' ? ['sh', '-c', command] : command;
}

export function createOptions(req: AttemptRequest): Docker.ContainerCreateOptions {
  const s = req.spec;
  const cmd = toCmd(s.command);
  return {
    // What `docker ps` shows: which job this is (reconcile finds containers by labels, not names).
    name: containerName(s.name, req.jobId, req.attempt),
    Image: s.image,
    ...(cmd ? { Cmd: cmd } : {}),
    ...(s.entrypoint ? { Entrypoint: s.entrypoint } : {}),
    Env: req.env,
    ...(s.workingDir ? { WorkingDir: s.workingDir } : {}),
    ...(s.user ? { User: s.user } : {}),
    Tty: s.tty,
    AttachStdout: false,
    AttachStderr: false,
    OpenStdin: false,
    Labels: { ...s.labels, ...req.labels },
    HostConfig: {
      // An init as PID 1 forwards SIGTERM, so cancel and timeouts are prompt.
      Init: true,
      NetworkMode: s.network,
      Binds: s.mounts.map((m) => `${m.hostPath}:${m.containerPath}${m.readOnly ? ':ro' : ''}`),
      ...engineLimits(s.limits),
    },
  };
}

/** A name already taken (a kept container of another data dir's job with the same short id) is no reason to fail: create it unnamed. */
export async function createNamed(docker: Docker, options: Docker.ContainerCreateOptions): Promise<Docker.Container> {
  try {
    return await docker.createContainer(options);
  } catch (error) {
    if (statusOf(error) !== 409 || !options.name) throw error;
    const { name: _taken, ...unnamed } = options;
    return docker.createContainer(unnamed);
  }
}

/** The template keeps limits as the user wrote them ("64Mi", "500m"); the engine wants bytes and nano-CPUs. */
export function engineLimits(limits: AttemptRequest['spec']['limits']): { Memory?: number; MemorySwap?: number; NanoCpus?: number } {
  const memory = limits.memory === undefined ? null : parseMemory(limits.memory);
  const cpus = limits.cpus === undefined ? null : parseCpus(limits.cpus);
  return {
    ...(memory ? { Memory: memory, MemorySwap: memory } : {}),
    ...(cpus ? { NanoCpus: Math.round(cpus * 1e9) } : {}),
  };
}
