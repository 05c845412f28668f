import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportTemplate, importTemplateFile, scheduleProblem } from '../../src/main/core/templates/templateFiles';

const fixture = (name: string) => ({ name, content: readFileSync(join(__dirname, '../fixtures/templates', name), 'utf8') });

/** Runs an import and checks it finished quickly: hostile files must fail fast. */
function timed(file: { name: string; content: string }) {
  const t0 = performance.now();
  const r = importTemplateFile(file);
  return { r, ms: performance.now() - t0 };
}

describe('templates: Jobdeck format', () => {
  it('reads YAML with env as a map, secrets, quantities and defaults', () => {
    const r = importTemplateFile(fixture('hello.yaml'));
    expect(r).toMatchObject({ ok: true, errors: [], warnings: [] });
    const t = r.templates[0]!;
    expect(t).toMatchObject({ name: 'hello', priority: 2, network: 'none', engine: 'any', pullPolicy: 'IfNotPresent' });
    expect(t.env).toEqual([
      { name: 'GREETING', value: 'hi', secret: false },
      { name: 'TOKEN', value: 'abc', secret: true },
    ]);
    expect(t.limits).toEqual({ memory: '64Mi', cpus: 0.5 });
    expect(t.retry).toMatchObject({ limit: 2, backoffInitialSeconds: 1, neverRetryExitCodes: [125, 126, 127] });
  });

  it('reads several templates from one multi-document file', () => {
    const r = importTemplateFile(fixture('two-templates.yaml'));
    expect(r.ok).toBe(true);
    expect(r.templates.map((t) => t.name)).toEqual(['first', 'second']);
  });

  it('round-trips through export, in YAML and JSON, without secret values', () => {
    const original = importTemplateFile(fixture('hello.yaml')).templates[0]!;
    for (const format of ['yaml', 'json'] as const) {
      const out = exportTemplate(original, format);
      expect(out.filename).toBe(`hello.${format}`);
      expect(out.content).not.toContain('abc');
      const back = importTemplateFile({ name: out.filename, content: out.content });
      expect(back.ok).toBe(true);
      expect(back.templates[0]).toEqual({ ...original, env: [original.env[0], { name: 'TOKEN', value: '', secret: true }] });
    }
  });
});

describe('templates: Kubernetes manifests', () => {
  it('maps a batch/v1 CronJob with concurrencyPolicy Forbid, Indexed completions and limits', () => {
    const r = importTemplateFile(fixture('cronjob.yaml'));
    expect(r.errors).toEqual([]);
    const t = r.templates[0]!;
    expect(t).toMatchObject({
      name: 'nightly',
      image: 'busybox:1.36',
      entrypoint: ['sh', '-c'],
      command: ['echo $MODE; date'],
      timeoutSeconds: 600,
      parallelism: 2,
      completions: 4,
      completionMode: 'Indexed',
      pullPolicy: 'IfNotPresent',
      labels: { team: 'data' },
      schedule: { cron: '0 3 * * *', timeZone: 'Europe/Paris', concurrencyPolicy: 'Forbid', enabled: true, startingDeadlineSeconds: 200, successfulJobsHistoryLimit: 3 },
      volumes: [{ name: 'scratch', emptyDir: {} }],
      mounts: [{ hostPath: '/srv/data', containerPath: '/data', readOnly: true }],
    });
    expect(t.retry.limit).toBe(2);
    expect(t.limits).toEqual({ memory: '128Mi', cpus: '500m' });
    // A value from a secret is a secret variable the user still has to give (issue 10).
    expect(t.env).toEqual([
      { name: 'MODE', value: 'nightly', secret: false },
      { name: 'PASSWORD', value: '', secret: true, valueFrom: 'secret db, key password' },
    ]);
  });

  it('reports what it cannot honour as warnings naming the field, never silently', () => {
    const { warnings } = importTemplateFile(fixture('cronjob.yaml'));
    const expected = [
      'metadata.namespace',
      'spec: a run missed while Jobdeck was closed follows the missed-run policy CatchUpOnce',
      'spec.failedJobsHistoryLimit: not set',
      'spec.jobTemplate.spec.template.spec.nodeSelector',
      'spec.jobTemplate.spec.template.spec.containers: Jobdeck runs one main container',
      'spec.jobTemplate.spec.template.spec.containers[0].resources.requests',
    ];
    for (const w of expected) expect(warnings.some((x) => x.startsWith(w)), w).toBe(true);
  });

  it('a CronJob schedule has five fields, as a cluster reads it: six (seconds) are refused', () => {
    const content = fixture('cronjob.yaml').content.replace('"0 3 * * *"', '"*/10 * * * * *"');
    expect(content).toContain('*/10 * * * * *');
    const r = importTemplateFile({ name: 'c.yaml', content });
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([
      {
        path: 'spec.schedule (as schedule.cron)',
        message: 'Schedule: expected 5 fields (minute hour day-of-month month day-of-week), got 6: a CronJob schedule has five fields, as in a cluster',
      },
    ]);
  });

  it('a Jobdeck file says seconds and the sub-minute confirmation with fields, and is told so', () => {
    const f = (schedule: string) =>
      importTemplateFile({ name: 's.yaml', content: `apiVersion: jobdeck/v1\nkind: Template\nname: s\nimage: busybox\nschedule: ${schedule}\n` });
    expect(f('{ cron: "*/10 * * * * *" }').errors[0]!.message).toMatch(/got 6; to fire at given seconds, add seconds: true to the schedule$/);
    expect(f('{ cron: "*/10 * * * * *", seconds: true }').errors[0]!.message).toMatch(/more often than once a minute; to allow it, add allowFrequent: true to the schedule$/);
    expect(f('{ cron: "*/10 * * * * *", seconds: true, allowFrequent: true }').ok).toBe(true);
  });

  it('a hostPath volume becomes a read-write mount unless the volumeMount says readOnly', () => {
    const content = [
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata: { name: hp }',
      'spec:',
      '  template:',
      '    spec:',
      '      volumes: [ { name: a, hostPath: { path: /srv/a } }, { name: b, hostPath: { path: /srv/b } } ]',
      '      containers: [ { name: c, image: busybox, volumeMounts: [ { name: a, mountPath: /a }, { name: b, mountPath: /b, readOnly: true } ] } ]',
    ].join('\n');
    expect(importTemplateFile({ name: 'hp.yaml', content }).templates[0]!.mounts).toEqual([
      { hostPath: '/srv/a', containerPath: '/a', readOnly: false },
      { hostPath: '/srv/b', containerPath: '/b', readOnly: true },
    ]);
  });

  it('maps a Job in JSON with the Kubernetes default backoffLimit of 6', () => {
    const r = importTemplateFile(fixture('job.json'));
    expect(r.ok).toBe(true);
    expect(r.templates[0]).toMatchObject({ name: 'pi', image: 'perl:5.34', entrypoint: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(200)'] });
    expect(r.templates[0]!.retry.limit).toBe(6);
    expect(r.templates[0]!.command).toBeUndefined();
  });
});

describe('templates: bad files get a clear error, and nothing is stored', () => {
  it('points a Kubernetes value that does not fit at the manifest field it came from', () => {
    const content = [
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata: { name: x }',
      'spec:',
      '  parallelism: -1',
      '  template: { spec: { containers: [ { name: a, image: b, resources: { limits: { cpu: "-1" } } } ] } }',
    ].join('\n');
    const r = importTemplateFile({ name: 'k.yaml', content });
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.path)).toEqual([
      'spec.template.spec.containers[0].resources.limits.cpu (as limits.cpus)',
      'spec.parallelism (as parallelism)',
    ]);
  });

  it.each([
    ['bad-negative-limit.yaml', 'limits.memory', /Memory limit must be a size/],
    ['bad-unknown-field.yaml', '(root)', /comand.*not a Jobdeck template field/],
    ['bad-kind.yaml', 'kind', /apps\/v1 Deployment is not a template.*batch\/v1/],
    ['bad-cron-never.yaml', 'schedule.cron', /never fires/],
    ['bad-second-doc.yaml', 'documents[1].image', /Image is required/],
  ])('%s: %s', (name, path, message) => {
    const r = importTemplateFile(fixture(name));
    expect(r.ok).toBe(false);
    expect(r.file).toBe(name);
    expect(r.templates).toEqual([]);
    const e = r.errors.find((x) => x.path === path);
    expect(e, JSON.stringify(r.errors)).toBeDefined();
    expect(e!.message).toMatch(message);
  });

  it('refuses a YAML alias bomb quickly', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const { r, ms } = timed({ name: 'bomb.yaml', content: lines.join('\n') });
    expect(r.ok).toBe(false);
    expect(r.errors[0]!.message).toMatch(/alias/i);
    expect(ms).toBeLessThan(2000);
  });

  it('refuses a file over 5 MiB before parsing it', () => {
    const { r, ms } = timed({ name: 'big.yaml', content: `name: x\n${'# padding\n'.repeat(600_000)}` });
    expect(r.errors[0]!.message).toMatch(/larger than 5 MiB/);
    expect(ms).toBeLessThan(2000);
  });

  it('refuses binary data', () => {
    const r = importTemplateFile({ name: 'image.png', content: '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR' });
    expect(r.errors[0]!.message).toMatch(/not a text file/);
  });

  it('refuses deep nesting without overflowing the stack', () => {
    for (const content of ['['.repeat(100_000) + ']'.repeat(100_000), `a: ${'['.repeat(5_000)}${']'.repeat(5_000)}`]) {
      const { r, ms } = timed({ name: 'deep', content });
      expect(r.ok).toBe(false);
      expect(r.errors[0]!.message).toMatch(/nested too deeply|invalid/);
      expect(ms).toBeLessThan(2000);
    }
  });

  it('refuses empty files, scalars, and files without apiVersion', () => {
    expect(importTemplateFile({ name: 'e.yaml', content: '  \n' }).errors[0]!.message).toMatch(/empty/);
    expect(importTemplateFile({ name: 's.yaml', content: '42' }).errors[0]!.message).toMatch(/expected a mapping/);
    expect(importTemplateFile({ name: 'n.yaml', content: 'name: x\nimage: y' }).errors[0]).toMatchObject({ path: 'apiVersion' });
  });

  it('reports a YAML syntax error with its line', () => {
    const r = importTemplateFile({ name: 'broken.yaml', content: 'apiVersion: jobdeck/v1\nkind: Template\nname: [unclosed\n' });
    expect(r.ok).toBe(false);
    expect(r.errors[0]!.message).toMatch(/line \d+/);
  });
});

describe('templates: cron validation', () => {
  it('accepts a schedule that fires and rejects bad syntax, a bad zone and one that never fires', () => {
    expect(scheduleProblem({ cron: '*/5 * * * *' })).toBeNull();
    expect(scheduleProblem({ cron: '0 9 * * 1-5', timeZone: 'Asia/Tokyo' })).toBeNull();
    expect(scheduleProblem({ cron: '61 * * * *' })).toMatch(/not a cron schedule/);
    expect(scheduleProblem({ cron: '0 0 * * *', timeZone: 'Mars/Olympus' })).toMatch(/unknown time zone/);
    expect(scheduleProblem({ cron: '0 0 30 2 *' })).toMatch(/never fires/);
  });
});
