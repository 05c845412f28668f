// `docker run …` / `podman run …` pasted by a user, turned into a template. Tokenised as a shell
// would (shell-quote); the flag mapping is ours. Pure: the CLI and the core both call it, and the
// --env-file contents are read by whoever calls it (see parseEnvFile).
import { parse, type ParseEntry } from 'shell-quote';
import type { EnvVar, Mount, TemplateSpecInput } from './template';

export interface DockerRunParse {
  /** What the line becomes; undefined when it is not a run command Jobdeck can read (see errors). */
  spec: TemplateSpecInput | undefined;
  /** --env-file paths in order, to read and merge under the -e values (as docker does). */
  envFiles: string[];
  /** Each thing the line asks for that Jobdeck does not do, named in the user's terms. */
  warnings: string[];
  errors: string[];
}

/** Flags that take no value (docker run and podman run); everything else named below takes one. */
const BOOLEAN = new Set([
  '-d', '--detach', '-i', '--interactive', '-t', '--tty', '--rm', '--privileged', '--init', '--read-only',
  '-P', '--publish-all', '--no-healthcheck', '--oom-kill-disable', '--disable-content-trust', '-q', '--quiet',
  '--replace', '--rmi', '--sig-proxy', '--help',
]);
/** Flags Jobdeck reads. Short spellings map to long ones. */
const SHORT: Record<string, string> = {
  '-e': '--env', '-v': '--volume', '-w': '--workdir', '-u': '--user', '-m': '--memory', '-l': '--label',
  '-t': '--tty', '-i': '--interactive', '-d': '--detach', '-p': '--publish', '-h': '--hostname', '-a': '--attach',
  '-c': '--cpu-shares', '-P': '--publish-all', '-q': '--quiet',
};
const VALUE = new Set([
  '--env', '--env-file', '--volume', '--mount', '--workdir', '--user', '--entrypoint', '--network', '--net',
  '--memory', '--cpus', '--name', '--label', '--pull', '--restart',
  // Known to take a value, not honoured (each one a warning).
  '--add-host', '--annotation', '--attach', '--blkio-weight', '--cap-add', '--cap-drop', '--cgroup-parent', '--cgroupns',
  '--cidfile', '--cpu-period', '--cpu-quota', '--cpu-shares', '--cpuset-cpus', '--cpuset-mems', '--device',
  '--device-cgroup-rule', '--dns', '--dns-option', '--dns-search', '--domainname', '--expose', '--gpus', '--group-add',
  '--health-cmd', '--health-interval', '--health-retries', '--health-start-period', '--health-timeout', '--hostname',
  '--ip', '--ip6', '--ipc', '--isolation', '--label-file', '--link', '--log-driver', '--log-opt', '--mac-address',
  '--memory-reservation', '--memory-swap', '--memory-swappiness', '--network-alias', '--oom-score-adj', '--pid',
  '--pids-limit', '--platform', '--publish', '--runtime', '--security-opt', '--shm-size', '--stop-signal',
  '--stop-timeout', '--storage-opt', '--sysctl', '--tmpfs', '--ulimit', '--userns', '--uts', '--volumes-from',
  '--detach-keys', '--pod', '--arch', '--os', '--variant', '--secret',
]);
/** Flags whose effect Jobdeck has anyway, or that only matter at a terminal: no warning. */
const SILENT = new Set(['--detach', '--sig-proxy', '--quiet', '--detach-keys', '--attach']);

const NETWORKS = new Set(['none', 'bridge', 'host']);
const PULL: Record<string, 'Always' | 'IfNotPresent' | 'Never'> = { always: 'Always', missing: 'IfNotPresent', never: 'Never', newer: 'Always' };
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where the user marks a variable secret, this guess marks it first. */
export const looksSecret = (name: string): boolean => /pass|secret|token|key|credential|auth/i.test(name);

/** The line as a shell reads it: continuations joined, variables kept as written, shell operators kept. */
function tokens(line: string): ParseEntry[] {
  const joined = line.replace(/\\\r?\n/g, ' ');
  return parse(joined, (name) => `$${name}`);
}

/** Read one -e value: NAME=VALUE, or NAME alone (docker passes the caller's own value). */
function envVar(text: string, warnings: string[]): EnvVar | undefined {
  const eq = text.indexOf('=');
  const name = eq === -1 ? text : text.slice(0, eq);
  if (!ENV_NAME.test(name)) {
    warnings.push(`-e ${text}: "${name}" is not a variable name Jobdeck can set (letters, digits and _): left out`);
    return undefined;
  }
  if (eq === -1) {
    warnings.push(`-e ${name} takes its value from your shell, which Jobdeck cannot see: set its value in the template`);
    return { name, value: '', secret: false };
  }
  return { name, value: text.slice(eq + 1), secret: false };
}

const absolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

/** -v host:container[:ro|rw|z…]. Named and anonymous volumes are not host mounts. */
function volume(text: string, warnings: string[]): Mount | undefined {
  // A Windows host path (C:\x:/data) keeps its drive colon.
  const m = /^((?:[A-Za-z]:)?[^:]*)(?::([^:]*))?(?::([^:]*))?$/.exec(text);
  const [host, container, opts] = m ? [m[1] ?? '', m[2], m[3]] : [text, undefined, undefined];
  if (container === undefined) {
    warnings.push(`-v ${text}: an anonymous volume is not supported (Jobdeck mounts host directories): left out`);
    return undefined;
  }
  if (!absolute(host)) {
    warnings.push(`-v ${text}: named volume "${host}" is not supported (Jobdeck mounts host directories): left out`);
    return undefined;
  }
  const options = (opts ?? '').split(',').filter(Boolean);
  const unknown = options.filter((o) => o !== 'ro' && o !== 'rw');
  if (unknown.length) warnings.push(`-v ${text}: mount options ${unknown.join(', ')} are not supported: ignored`);
  return { hostPath: host, containerPath: container, readOnly: options.includes('ro') };
}

/** --mount type=bind,source=…,target=…[,readonly]. */
function mountFlag(text: string, warnings: string[]): Mount | undefined {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    fields.set(eq === -1 ? part : part.slice(0, eq), eq === -1 ? 'true' : part.slice(eq + 1));
  }
  const type = fields.get('type') ?? 'volume';
  if (type !== 'bind') {
    warnings.push(`--mount ${text}: ${type} mounts are not supported (Jobdeck mounts host directories): left out`);
    return undefined;
  }
  const source = fields.get('source') ?? fields.get('src');
  const target = fields.get('target') ?? fields.get('destination') ?? fields.get('dst');
  if (!source || !target) {
    warnings.push(`--mount ${text}: a bind mount needs source and target: left out`);
    return undefined;
  }
  const ro = fields.get('readonly') ?? fields.get('ro');
  return { hostPath: source, containerPath: target, readOnly: ro !== undefined && ro !== 'false' && ro !== '0' };
}

interface Flag {
  name: string;
  /** How the user wrote it (-e, --env=…), for warnings. */
  written: string;
  value?: string;
}

/**
 * Split the flags before the image: `--name=x`, `--name x`, `-e A=1`, `-eA=1`, `-it`, and the
 * image after them (or after `--`). Returns the index of the image token.
 */
function readFlags(words: string[], start: number, warnings: string[]): { flags: Flag[]; image: number; errors: string[] } {
  const flags: Flag[] = [];
  const errors: string[] = [];
  let i = start;
  const takeValue = (written: string): string | undefined => {
    const v = words[i + 1];
    if (v === undefined) {
      errors.push(`${written} needs a value`);
      return undefined;
    }
    i++;
    return v;
  };
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') return { flags, image: i + 1, errors };
    if (!w.startsWith('-') || w === '-') return { flags, image: i, errors };
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq === -1 ? w : w.slice(0, eq);
      if (eq !== -1) flags.push({ name, written: name, value: w.slice(eq + 1) });
      else if (BOOLEAN.has(name)) flags.push({ name, written: name });
      else if (VALUE.has(name)) {
        const value = takeValue(name);
        if (value !== undefined) flags.push({ name, written: name, value });
      } else {
        // Unknown and no "=": taken as a switch, so the image after it is not swallowed.
        warnings.push(`${name} is not a docker run flag Jobdeck knows: ignored`);
      }
      continue;
    }
    // Short flags, possibly combined (-it) or with the value attached (-eA=1, -m512m).
    for (let k = 1; k < w.length; k++) {
      const short = `-${w[k]}`;
      const name = SHORT[short];
      if (name === undefined) {
        warnings.push(`${short} is not a docker run flag Jobdeck knows: ignored`);
        continue;
      }
      if (BOOLEAN.has(short)) {
        flags.push({ name, written: short });
        continue;
      }
      const rest = w.slice(k + 1).replace(/^=/, '');
      const value = rest !== '' ? rest : takeValue(short);
      if (value !== undefined) flags.push({ name, written: short, value });
      break;
    }
  }
  return { flags, image: i, errors };
}

/** The words of the run command: after `docker run`, `podman run`, `docker container run`, sudo. */
function runWords(line: string): { words: string[]; start: number; warnings: string[] } | string {
  const warnings: string[] = [];
  const words: string[] = [];
  for (const t of tokens(line)) {
    if (typeof t === 'string') {
      words.push(t);
      continue;
    }
    if ('comment' in t) break;
    if ('op' in t && t.op === 'glob') {
      words.push(t.pattern);
      continue;
    }
    warnings.push(`the line goes on after "${'op' in t ? t.op : ''}": only the run command before it is read`);
    break;
  }
  let i = 0;
  while (words[i] === 'sudo' || /^\w+=/.test(words[i] ?? '')) i++;
  const tool = words[i]?.split('/').pop();
  if (tool !== 'docker' && tool !== 'podman') return 'paste a command line that starts with docker run or podman run';
  i++;
  // Global options before the subcommand (--context, -H, --remote): not what this template runs on.
  while (words[i]?.startsWith('-')) {
    warnings.push(`${words[i]} (an option of ${tool} itself) is ignored: Jobdeck runs on the engine the template chooses`);
    i += words[i]!.includes('=') || !['-H', '--host', '--context', '-c', '--connection', '--url'].includes(words[i]!) ? 1 : 2;
  }
  if (words[i] === 'container') i++;
  if (words[i] !== 'run') return `this is ${tool} ${words[i] ?? ''}, not ${tool} run: paste a ${tool} run command line`.replace(/ +:/, ':');
  return { words, start: i + 1, warnings };
}

/** Read a pasted `docker run` / `podman run` command line. */
export function parseDockerRun(line: string): DockerRunParse {
  const run = runWords(line.trim());
  if (typeof run === 'string') return { spec: undefined, envFiles: [], warnings: [], errors: [run] };
  const { words, start, warnings } = run;
  const { flags, image: at, errors } = readFlags(words, start, warnings);
  const image = words[at];
  if (!image) errors.push('no image: the image goes after the flags, as in docker run busybox:1.36 echo hello');
  if (errors.length || !image) return { spec: undefined, envFiles: [], warnings, errors };

  const env: EnvVar[] = [];
  const mounts: Mount[] = [];
  const labels: Record<string, string> = {};
  const envFiles: string[] = [];
  const spec: TemplateSpecInput = { name: '', image };
  const limits: { memory?: string; cpus?: string } = {};
  for (const f of flags) {
    const v = f.value ?? '';
    switch (f.name) {
      case '--env': {
        const e = envVar(v, warnings);
        // Repeated: the last one wins, as in docker.
        if (e) env.splice(0, env.length, ...env.filter((x) => x.name !== e.name), e);
        break;
      }
      case '--env-file':
        envFiles.push(v);
        break;
      case '--volume': {
        const m = volume(v, warnings);
        if (m) mounts.push(m);
        break;
      }
      case '--mount': {
        const m = mountFlag(v, warnings);
        if (m) mounts.push(m);
        break;
      }
      case '--workdir':
        spec.workingDir = v;
        break;
      case '--user':
        spec.user = v;
        break;
      case '--entrypoint':
        if (v === '') warnings.push('--entrypoint "" (no entrypoint) is not supported: the image\'s entrypoint is kept');
        else spec.entrypoint = [v];
        break;
      case '--network':
      case '--net':
        if (NETWORKS.has(v)) spec.network = v as 'none' | 'bridge' | 'host';
        else warnings.push(`${f.written} ${v}: Jobdeck runs jobs on the none, bridge or host network only: bridge is used`);
        break;
      case '--memory':
        limits.memory = v;
        break;
      case '--cpus':
        limits.cpus = v;
        break;
      case '--name':
        spec.name = v;
        break;
      case '--label': {
        const eq = v.indexOf('=');
        labels[eq === -1 ? v : v.slice(0, eq)] = eq === -1 ? '' : v.slice(eq + 1);
        break;
      }
      case '--pull': {
        const policy = PULL[v.toLowerCase()];
        if (policy) spec.pullPolicy = policy;
        else warnings.push(`--pull ${v}: use always, missing or never: the template pulls if not present`);
        break;
      }
      case '--tty':
        spec.tty = true;
        break;
      case '--rm':
        spec.keepContainer = false;
        break;
      case '--interactive':
        warnings.push(`${f.written} (keep stdin open) is ignored: jobs get no input`);
        break;
      case '--restart': {
        const m = /^on-failure(?::(\d+))?$/.exec(v);
        if (m) spec.retry = { limit: Number(m[1] ?? 3) };
        if (m && m[1] === undefined) warnings.push('--restart on-failure without a count: read as 3 retries');
        else if (v !== 'no') warnings.push(`--restart ${v}: a job runs to its end; use retries for failures (on-failure is read as retries)`);
        break;
      }
      default:
        if (!SILENT.has(f.name)) warnings.push(`${f.written}${f.value !== undefined ? ` ${f.value}` : ''} is not supported by Jobdeck: ignored`);
    }
  }
  const command = words.slice(at + 1);
  if (command.length) spec.command = command;
  if (env.length) spec.env = env;
  if (mounts.length) spec.mounts = mounts;
  if (Object.keys(labels).length) spec.labels = labels;
  if (limits.memory !== undefined || limits.cpus !== undefined) spec.limits = limits;
  if (!spec.name) spec.name = nameFromImage(image);
  return { spec, envFiles, warnings, errors: [] };
}

/** busybox:1.36 → busybox; ghcr.io/org/tool@sha256:… → tool. */
export function nameFromImage(image: string): string {
  const last = image.split('/').pop() ?? image;
  return last.replace(/@.*$/, '').replace(/:.*$/, '') || image;
}

/** An --env-file: NAME=VALUE lines, # comments, blank lines; a bare NAME comes from the shell. */
export function parseEnvFile(content: string, file: string): { env: EnvVar[]; warnings: string[] } {
  const env: EnvVar[] = [];
  const warnings: string[] = [];
  content.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\s+/, '');
    if (!line || line.startsWith('#')) return;
    const e = envVar(line, []);
    if (!e) warnings.push(`${file} line ${i + 1}: "${line.split('=')[0]}" is not a variable name: left out`);
    else if (!line.includes('=')) warnings.push(`${file} line ${i + 1}: ${e.name} takes its value from your shell: set it in the template`);
    if (e) env.push(e);
  });
  return { env, warnings };
}

/** Env-file variables under the -e ones: a name given both ways keeps its -e value. */
export function mergeEnv(fromFiles: EnvVar[], fromFlags: EnvVar[]): EnvVar[] {
  const byName = new Map<string, EnvVar>();
  for (const e of [...fromFiles, ...fromFlags]) {
    byName.delete(e.name);
    byName.set(e.name, e);
  }
  return [...byName.values()];
}
