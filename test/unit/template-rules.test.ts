import { describe, expect, it } from 'vitest';
import { engineLimits } from '../../src/main/core/engines/createOptions';
import { EngineHost, NewEngineConfig } from '../../src/shared/engine';
import { Settings } from '../../src/shared/settings';
import { formatPath } from '../../src/shared/errors';
import { imageReferenceProblem, outputDirProblem } from '../../src/shared/references';
import { TemplateSpec, TemplateSpecChecked, JobOverrides } from '../../src/shared/template';

/** The first message the checked schema gives for a field, as the editor and the core show it. */
function messageFor(input: Record<string, unknown>, path: string): string | undefined {
  const r = TemplateSpecChecked.safeParse({ name: 'n', image: 'busybox', ...input });
  return r.success ? undefined : r.error.issues.find((i) => formatPath(i.path) === path)?.message;
}

describe('image references, as the engines parse them', () => {
  it.each([
    ['busybox', undefined],
    ['busybox:1.36', undefined],
    ['library/busybox:latest', undefined],
    ['localhost:5000/team/tool:v1.2-rc_3', undefined],
    ['registry.example.com/a/b@sha256:' + 'a'.repeat(64), undefined],
    ['busybox:1.36@sha256:' + 'b'.repeat(64), undefined],
    ['BusyBox', /must be lowercase: busybox, not BusyBox/],
    ['team/MyTool:1', /must be lowercase: team\/mytool/],
    ['busybox:', /":" with no tag after it/],
    ['busybox:-x', /tag "-x" is not valid/],
    ['busybox@sha256:xyz', /digest "sha256:xyz" is not a digest/],
    ['a//b', /empty part/],
    ['busy box', /must not contain spaces/],
    ['bad_registry.com:port/x', /registry "bad_registry.com:port"/],
    ['-x', /name part "-x" is not valid/],
  ])('%s', (ref, problem) => {
    const p = imageReferenceProblem(ref);
    if (problem === undefined) expect(p).toBeUndefined();
    else expect(p).toMatch(problem);
  });
});

describe('artifacts dir', () => {
  it.each([
    ['/out', undefined],
    ['/work/proc', undefined],
    ['/', /cannot be \//],
    ['//', /cannot be \//],
    ['/proc', /cannot be in \/proc/],
    ['/proc/self', /cannot be in \/proc/],
    ['/sys/', /cannot be in \/sys/],
    ['/dev', /cannot be in \/dev/],
  ])('%s', (dir, problem) => {
    const p = outputDirProblem(dir);
    if (problem === undefined) expect(p).toBeUndefined();
    else expect(p).toMatch(problem);
  });
});

describe('engine addresses the app can use', () => {
  it.each([
    ['unix:///var/run/docker.sock', true],
    ['/run/podman/podman.sock', true],
    ['npipe:////./pipe/docker_engine', true],
    ['tcp://127.0.0.1:2376', true],
    ['https://docker.example.com:2376', true],
    ['ssh://me@build-box', true],
    ['fd://', false],
    ['ws://127.0.0.1:2375', false],
    ['tcp://', false],
    ['127.0.0.1:2375', false],
    ['unix://relative.sock', false],
  ])('%s', (host, ok) => {
    const r = EngineHost.safeParse(host);
    expect(r.success).toBe(ok);
    if (!ok) expect(r.error!.issues[0]!.message).toMatch(/^Engine|Jobdeck cannot reach/);
  });

  it('an engine saved under the older rule still loads: a new rule never makes settings unreadable', () => {
    const stored = { engines: [{ id: 'old', kind: 'docker', host: 'tcp://' }] };
    expect(Settings.safeParse(stored).success).toBe(true);
    expect(NewEngineConfig.safeParse(stored.engines[0]).success).toBe(false);
  });

  it('names the scheme it cannot use', () => {
    expect(EngineHost.safeParse('fd://').error!.issues[0]!.message).toBe(
      'Jobdeck cannot reach an engine over fd://: use unix:///path/to/socket, npipe:////./pipe/name, tcp://host:port or ssh://user@host',
    );
  });
});

describe('limits keep the units the user typed; the executor converts', () => {
  it('64Mi stays 64Mi, 500m stays 500m; the engine gets bytes and nano-CPUs', () => {
    const spec = TemplateSpecChecked.parse({ name: 'n', image: 'busybox', limits: { memory: '64Mi', cpus: '500m' } });
    expect(spec.limits).toEqual({ memory: '64Mi', cpus: '500m' });
    expect(engineLimits(spec.limits)).toEqual({ Memory: 64 * 1024 ** 2, MemorySwap: 64 * 1024 ** 2, NanoCpus: 500_000_000 });
    // Stored templates from before hold byte counts: still read, still converted.
    expect(engineLimits(TemplateSpec.parse({ name: 'n', image: 'b', limits: { memory: 67108864, cpus: 2 } }).limits)).toEqual({
      Memory: 67108864,
      MemorySwap: 67108864,
      NanoCpus: 2e9,
    });
  });

  it('refuses a memory limit under the engines\' 6 MiB minimum, in the unit the user wrote', () => {
    expect(messageFor({ limits: { memory: '4Mi' } }, 'limits.memory')).toBe("Memory limit 4Mi is below the engines' minimum of 6Mi");
    expect(messageFor({ limits: { memory: '6Mi' } }, 'limits.memory')).toBeUndefined();
    expect(messageFor({ limits: { memory: 'lots' } }, 'limits.memory')).toMatch(/^Memory limit must be a size such as 256Mi/);
    // A run's overrides meet the same rule.
    expect(JobOverrides.safeParse({ limits: { memory: '1m' } }).success).toBe(false);
  });
});

describe('messages in the user\'s words, never raw schema text', () => {
  it.each([
    [{ name: '' }, 'name', 'Name is required'],
    [{ image: '' }, 'image', 'Image is required'],
    [{ outputDir: 'out' }, 'outputDir', 'Artifacts dir must be an absolute path such as /out'],
    [{ outputDir: '/' }, 'outputDir', 'Artifacts dir cannot be / (that would copy the whole container): use a directory such as /out'],
    [{ timeoutSeconds: 0 }, 'timeoutSeconds', 'Timeout must be a whole number of seconds from 1 to 2592000 (30 days)'],
    [{ timeoutSeconds: 'soon' }, 'timeoutSeconds', 'Timeout must be a whole number of seconds from 1 to 2592000 (30 days)'],
    [{ priority: 9 }, 'priority', 'Priority must be 1 (highest) to 5 (lowest)'],
    [{ retry: { limit: -1 } }, 'retry.limit', 'Retries must be a whole number from 0 to 100'],
    [{ env: [{ name: '1X', value: '' }] }, 'env[0].name', 'Variable names use letters, digits and _, and do not start with a digit'],
    [{ mounts: [{ hostPath: 'data', containerPath: '/data' }] }, 'mounts[0].hostPath', 'Host path must be an absolute path such as /srv/data'],
    [{ schedule: { cron: '* * * * * * *' } }, 'schedule.cron', 'Schedule: expected 5 fields (minute hour day-of-month month day-of-week), got 7'],
  ])('%j → %s', (input, path, message) => {
    expect(messageFor(input, path)).toBe(message);
  });

  it('no message anywhere reads like zod\'s defaults', () => {
    const r = TemplateSpecChecked.safeParse({ name: '', image: '', command: '', timeoutSeconds: -1, parallelism: 0, completions: 0, engine: 'x', network: 'y' });
    for (const i of r.error!.issues) expect(i.message).not.toMatch(/^(Too small|Too big|Invalid input|Expected|expected)/);
  });
});
