import { z } from 'zod';
import { MemoryQuantity } from './quantity';

// The parts of a Kubernetes pod a Jobdeck attempt honours beside its main container: init
// containers (run in order, each to its end), sidecars (init containers with restartPolicy
// Always: beside the main container, stopped when it ends) and emptyDir volumes they share.
// A Jobdeck template says them with the same names a manifest uses.

/** Kubernetes names for containers and volumes: a DNS label. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsName = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .max(63, { error: `${label} must be at most 63 characters` })
    .regex(DNS_LABEL, { error: `${label} uses lower-case letters, digits and -, such as cache-dir` });

export const VolumeMount = z
  .object({
    name: dnsName('Volume mount name'),
    mountPath: z
      .string({ error: 'Mount path is required' })
      .refine((p) => p.startsWith('/'), { error: 'Mount path must be an absolute path such as /cache' }),
    readOnly: z.boolean({ error: 'Volume mount readOnly must be true or false' }).default(false),
  })
  .strict();
export type VolumeMount = z.infer<typeof VolumeMount>;

export const EmptyDir = z
  .object({
    /** Memory: a tmpfs, counted against memory, gone with the attempt. */
    medium: z.enum(['', 'Memory'], { error: 'emptyDir medium must be "" or Memory' }).optional(),
    sizeLimit: MemoryQuantity.optional(),
  })
  .strict();

/** A volume of one attempt: an engine volume made for it and removed with it. */
export const PodVolume = z
  .object({
    name: dnsName('Volume name'),
    emptyDir: EmptyDir,
  })
  .strict();
export type PodVolume = z.infer<typeof PodVolume>;

const StepEnv = z.object({
  name: z.string({ error: 'Variable name is required' }).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    error: 'Variable names use letters, digits and _, and do not start with a digit',
  }),
  value: z.string({ error: 'Variable value must be text' }),
}).strict();

export const InitContainer = z
  .object({
    name: dnsName('Init container name'),
    /** Empty or absent: the main container's image. */
    image: z.string({ error: 'Init container image must be text' }).regex(/^[^\s]*$/, { error: 'Image must not contain spaces' }).optional(),
    entrypoint: z.array(z.string({ error: 'Entrypoint arguments must be text' })).min(1, { error: 'Entrypoint must not be empty' }).optional(),
    command: z
      .union([z.string().min(1), z.array(z.string()).min(1)], { error: 'Command must be a shell line or a list of arguments' })
      .optional(),
    env: z.array(StepEnv, { error: 'Environment must be a list of name and value pairs' }).default([]),
    workingDir: z.string({ error: 'Working directory must be text' }).refine((p) => p.startsWith('/'), { error: 'Working directory must be an absolute path such as /work' }).optional(),
    /** Always: a sidecar (Kubernetes' own spelling of it). */
    restartPolicy: z.enum(['Always'], { error: 'Init container restartPolicy can only be Always (a sidecar)' }).optional(),
    volumeMounts: z.array(VolumeMount, { error: 'Volume mounts must be a list of name and mountPath' }).default([]),
  })
  .strict();
export type InitContainer = z.infer<typeof InitContainer>;

export const isSidecar = (c: InitContainer): boolean => c.restartPolicy === 'Always';

/** One container of an attempt besides the main one, as the attempt records it. */
export const AttemptStep = z.object({
  name: z.string(),
  kind: z.enum(['init', 'sidecar']),
  status: z.enum(['waiting', 'running', 'succeeded', 'failed', 'stopped']),
  exitCode: z.number().int().nullable().optional(),
  message: z.string().optional(),
  containerId: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});
export type AttemptStep = z.infer<typeof AttemptStep>;

interface PodFields {
  initContainers: InitContainer[];
  volumes: PodVolume[];
  volumeMounts: VolumeMount[];
}

/** Names that must agree across fields (a schema per field cannot see its siblings). */
export function podProblems(spec: PodFields): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const volumes = new Set<string>();
  spec.volumes.forEach((v, i) => {
    if (volumes.has(v.name)) out.push({ path: `volumes[${i}].name`, message: `Volume ${v.name} is declared twice` });
    volumes.add(v.name);
  });
  const checkMounts = (mounts: VolumeMount[], path: string) =>
    mounts.forEach((m, i) => {
      if (!volumes.has(m.name)) out.push({ path: `${path}[${i}].name`, message: `Volume mount ${m.name} names no volume of the template (declare it under volumes)` });
    });
  checkMounts(spec.volumeMounts, 'volumeMounts');
  const names = new Set<string>();
  spec.initContainers.forEach((c, i) => {
    if (names.has(c.name)) out.push({ path: `initContainers[${i}].name`, message: `Init container name ${c.name} is used twice` });
    names.add(c.name);
    checkMounts(c.volumeMounts, `initContainers[${i}].volumeMounts`);
  });
  return out;
}

/**
 * Values a cluster's downward API gives a pod, which Jobdeck gives too (EnvVar.valueFrom): the
 * pod's name (`<template>-<job id>-<attempt>`) and the completion index annotation.
 */
export const FIELD_POD_NAME = 'field metadata.name';
export const FIELD_COMPLETION_INDEX = "field metadata.annotations['batch.kubernetes.io/job-completion-index']";
export const FIELD_REFS: readonly string[] = [FIELD_POD_NAME, FIELD_COMPLETION_INDEX];

/**
 * Memory emptyDirs an init container (not a sidecar) mounts. An engine's tmpfs volume is mounted
 * only while a container using it runs, so what an init container writes is gone before the next
 * container starts: Jobdeck keeps such a volume on disk instead (its files kept, sizeLimit not
 * applied). Each with the first init container that writes to it.
 */
export function memoryVolumesOnDisk(spec: {
  initContainers: readonly { name: string; restartPolicy?: 'Always' | undefined; volumeMounts?: readonly { name: string }[] | undefined }[];
  volumes: readonly { name: string; emptyDir: { medium?: string | undefined } }[];
}): { volume: string; init: string }[] {
  return spec.volumes
    .filter((v) => v.emptyDir.medium === 'Memory')
    .flatMap((v) => {
      const init = spec.initContainers.find((c) => c.restartPolicy !== 'Always' && (c.volumeMounts ?? []).some((m) => m.name === v.name));
      return init ? [{ volume: v.name, init: init.name }] : [];
    });
}

/** What memoryVolumesOnDisk means for the user, one sentence per volume. */
export const memoryOnDiskMessage = (o: { volume: string; init: string }): string =>
  `volume ${o.volume}: medium Memory is kept on disk, because init container ${o.init} writes to it and a memory volume loses its files between containers that do not run at the same time (sizeLimit is not applied)`;

/**
 * What an attempt does before its main container runs, as the queue and the job page say it
 * ("Init: migrate running"); undefined once the main container runs or when there are no steps.
 */
export function attemptPhase(a: { status: string; steps?: readonly AttemptStep[] | undefined }): string | undefined {
  if (a.status !== 'starting' || !a.steps?.length) return undefined;
  const init = a.steps.find((s) => s.kind === 'init' && s.status === 'running');
  if (init) return `Init: ${init.name} running`;
  const next = a.steps.find((s) => s.status === 'waiting');
  if (next) return `${next.kind === 'sidecar' ? 'Sidecar' : 'Init'}: ${next.name} starting`;
  return 'Main container starting';
}
