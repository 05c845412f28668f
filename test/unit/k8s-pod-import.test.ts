import { afterEach, describe, expect, it } from 'vitest';
import { CronLauncher, pastStartingDeadline, type CronHost } from '../../src/main/core/scheduler/cronLauncher';
import { applyHistoryLimits, assertValuesGiven, fieldValues, missingValues, recordMissedRun } from '../../src/main/core/service/scheduledRuns';
import { importTemplateFile } from '../../src/main/core/templates/templateFiles';
import { AppError } from '../../src/shared/errors';
import { FIELD_COMPLETION_INDEX, FIELD_POD_NAME } from '../../src/shared/pod';
import { Template as TemplateSchema, TemplateSpec, type Template } from '../../src/shared/template';
import { templateCore, type TemplateCore } from '../support/templateCore';

const load = (yaml: string) => importTemplateFile({ name: 'm.yaml', content: yaml });

const job = (pod: string, extra = '') => `apiVersion: batch/v1
kind: Job
metadata: { name: pod-job }
spec:
${extra}  template:
    spec:
${pod}`;

describe('Kubernetes import: init containers, sidecars, volumes', () => {
  it('maps init containers in order, a restartPolicy Always one as a sidecar, emptyDir volumes and their mounts', () => {
    const r = load(
      job(`      restartPolicy: Never
      volumes:
        - { name: work, emptyDir: {} }
        - { name: cache, emptyDir: { medium: Memory, sizeLimit: 64Mi } }
      initContainers:
        - name: fetch
          image: busybox:1.36
          command: [sh, -c]
          args: ["echo fetched > /work/data"]
          env: [{ name: MODE, value: fast }]
          volumeMounts: [{ name: work, mountPath: /work }]
        - name: proxy
          image: busybox:1.36
          restartPolicy: Always
          args: ["sleep 3600"]
      containers:
        - name: main
          image: busybox:1.36
          args: [cat, /work/data]
          volumeMounts:
            - { name: work, mountPath: /work, readOnly: true }
            - { name: cache, mountPath: /cache }
`),
    );
    expect(r.errors).toEqual([]);
    const spec = r.templates[0]!;
    expect(spec.initContainers).toEqual([
      { name: 'fetch', image: 'busybox:1.36', entrypoint: ['sh', '-c'], command: ['echo fetched > /work/data'], env: [{ name: 'MODE', value: 'fast' }], volumeMounts: [{ name: 'work', mountPath: '/work', readOnly: false }] },
      { name: 'proxy', image: 'busybox:1.36', command: ['sleep 3600'], restartPolicy: 'Always', env: [], volumeMounts: [] },
    ]);
    expect(spec.volumes).toEqual([
      { name: 'work', emptyDir: {} },
      { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    ]);
    expect(spec.volumeMounts).toEqual([
      { name: 'work', mountPath: '/work', readOnly: true },
      { name: 'cache', mountPath: '/cache', readOnly: false },
    ]);
    expect(r.warnings.join('\n')).not.toMatch(/initContainers|emptyDir/);
  });

  it('refuses configMap, secret and persistentVolumeClaim volumes with what to do instead, and keeps hostPath a bind mount', () => {
    const r = load(
      job(`      volumes:
        - { name: conf, configMap: { name: app-conf } }
        - { name: creds, secret: { secretName: db } }
        - { name: data, persistentVolumeClaim: { claimName: pvc } }
        - { name: host, hostPath: { path: /srv/data } }
      containers:
        - name: main
          image: busybox:1.36
          volumeMounts:
            - { name: conf, mountPath: /etc/app }
            - { name: creds, mountPath: /secrets }
            - { name: data, mountPath: /data }
            - { name: host, mountPath: /host }
`),
    );
    expect(r.errors).toEqual([]);
    expect(r.templates[0]!.mounts).toEqual([{ hostPath: '/srv/data', containerPath: '/host', readOnly: false }]);
    expect(r.templates[0]!.volumeMounts).toEqual([]);
    const w = r.warnings.join('\n');
    expect(w).toMatch(/volumes\[0\] \(conf\): configMap volumes are not mounted by Jobdeck \(.*hostPath volume.*environment variables\)/);
    expect(w).toMatch(/volumes\[1\] \(creds\): secret volumes are not mounted .*secret environment variables/);
    expect(w).toMatch(/volumes\[2\] \(data\): persistentVolumeClaim volumes are not mounted .*hostPath volume instead/);
  });

  it('a mount naming no volume is an error at the field it came from', () => {
    const r = load(`apiVersion: jobdeck/v1
kind: Template
name: bad-mount
image: busybox:1.36
volumeMounts: [{ name: nowhere, mountPath: /x }]
`);
    expect(r.errors).toEqual([expect.objectContaining({ path: 'volumeMounts[0].name', message: expect.stringMatching(/nowhere names no volume/) })]);
  });

  it('warns, naming field, value and consequence, for what is still not honoured', () => {
    const r = load(
      job(`      initContainers:
        - name: probe
          image: busybox:1.36
          restartPolicy: OnFailure
          livenessProbe: { exec: { command: [true] } }
      containers:
        - name: main
          image: busybox:1.36
          env:
            - name: CPU
              valueFrom: { resourceFieldRef: { resource: limits.cpu } }
            - name: NODE
              valueFrom: { fieldRef: { fieldPath: spec.nodeName } }
        - name: second
          image: busybox:1.36
`),
    );
    const w = r.warnings.join('\n');
    expect(w).toContain('initContainers[0].restartPolicy: OnFailure is not valid for an init container (only Always, a sidecar); it runs as an init container');
    expect(w).toContain('initContainers[0].livenessProbe: probes are not run by Jobdeck, ignored ({"exec":{"command":[true]}})');
    expect(w).toContain('env[0].valueFrom.resourceFieldRef: container resources are not given to the container as values, ignored ({"resource":"limits.cpu"})');
    expect(w).toContain('env[1].valueFrom.fieldRef.fieldPath: spec.nodeName has no value outside a cluster');
    expect(w).toMatch(/containers: Jobdeck runs one main container per job; only the first \(main\) is used/);
  });
});

describe('Kubernetes import: values from a cluster', () => {
  const r = load(
    job(`      containers:
        - name: main
          image: busybox:1.36
          env:
            - { name: PLAIN, value: x }
            - name: DB_PASSWORD
              valueFrom: { secretKeyRef: { name: db-creds, key: password } }
            - name: MODE
              valueFrom: { configMapKeyRef: { name: app-config, key: mode } }
            - name: POD
              valueFrom: { fieldRef: { fieldPath: metadata.name } }
            - name: IDX
              valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } }
`),
  );

  it('secretKeyRef and configMapKeyRef become variables with no value, secret or plain; fieldRef becomes a Jobdeck value', () => {
    expect(r.errors).toEqual([]);
    expect(r.warnings.join('\n')).not.toMatch(/valueFrom/);
    expect(r.templates[0]!.env).toEqual([
      { name: 'PLAIN', value: 'x', secret: false },
      { name: 'DB_PASSWORD', value: '', secret: true, valueFrom: 'secret db-creds, key password' },
      { name: 'MODE', value: '', secret: false, valueFrom: 'config map app-config, key mode' },
      { name: 'POD', value: '', secret: false, valueFrom: FIELD_POD_NAME },
      { name: 'IDX', value: '', secret: false, valueFrom: FIELD_COMPLETION_INDEX },
    ]);
  });

  it('a job cannot start while one is missing: the error names each variable and where it came from', () => {
    const spec = r.templates[0]!;
    expect(missingValues(spec).map((e) => e.name)).toEqual(['DB_PASSWORD', 'MODE']);
    const e = (() => {
      try {
        assertValuesGiven(spec);
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).message).toBe(
      'Variables DB_PASSWORD (from secret db-creds, key password), MODE (from config map app-config, key mode) have no value: give them values in the template (Environment) or in the run',
    );
    const filled = { ...spec, env: spec.env.map((v) => (v.valueFrom && !v.valueFrom.startsWith('field') ? { ...v, value: 'given' } : v)) };
    expect(() => assertValuesGiven(filled)).not.toThrow();
  });

  it('fieldRef values: the pod name per attempt and the completion index', () => {
    const spec = TemplateSpec.parse({ name: 'Nightly Report', image: 'x', env: r.templates[0]!.env });
    expect(fieldValues({ id: 'abcdef1234567', templateName: spec.name, spec }, 2, 3)).toEqual(['POD=nightly-report-abcdef12-2', 'IDX=3']);
  });
});

describe('Kubernetes import: CronJob', () => {
  const cron = (apiVersion: string, extra: string) => `apiVersion: ${apiVersion}
kind: CronJob
metadata: { name: nightly }
spec:
  schedule: "0 3 * * *"
${extra}  jobTemplate:
    spec:
      template:
        spec:
          containers: [{ name: main, image: busybox:1.36 }]
`;

  it('maps startingDeadlineSeconds, the history limits and suspend; says the >100 missed rule is replaced', () => {
    const r = load(cron('batch/v1', '  startingDeadlineSeconds: 120\n  successfulJobsHistoryLimit: 2\n  failedJobsHistoryLimit: 1\n  suspend: true\n'));
    expect(r.errors).toEqual([]);
    expect(r.templates[0]!.schedule).toMatchObject({
      cron: '0 3 * * *',
      enabled: false,
      missedRunPolicy: 'CatchUpOnce',
      startingDeadlineSeconds: 120,
      successfulJobsHistoryLimit: 2,
      failedJobsHistoryLimit: 1,
    });
    const w = r.warnings.join('\n');
    expect(w).toContain('follows the missed-run policy CatchUpOnce (the most recent missed run starts once, unless more than 120 s late)');
    expect(w).toContain("Kubernetes' rule that more than 100 missed schedules start none does not apply");
    expect(w).toContain('spec.suspend: true: the schedule is imported turned off');
    expect(w).not.toMatch(/HistoryLimit: not set/);
  });

  it('unset history limits: says Jobdeck keeps them by retention where Kubernetes would keep 3 and 1', () => {
    const r = load(cron('batch/v1', ''));
    expect(r.warnings.join('\n')).toContain('Kubernetes would keep 3 successful and 1 failed');
  });

  it('reads batch/v1beta1 CronJob and Job as batch/v1 with a deprecation warning', () => {
    const c = load(cron('batch/v1beta1', ''));
    expect(c.errors).toEqual([]);
    expect(c.warnings[0]).toBe('apiVersion: batch/v1beta1 CronJob is deprecated (removed in Kubernetes 1.25); read as batch/v1 — change the file to apiVersion: batch/v1');
    const j = load(job('      containers: [{ name: main, image: busybox:1.36 }]\n').replace('batch/v1', 'batch/v1beta1'));
    expect(j.errors).toEqual([]);
    expect(j.warnings[0]).toMatch(/batch\/v1beta1 Job is deprecated/);
  });
});

describe('cron rules (fake clock): startingDeadlineSeconds and refused runs', () => {
  it.each([
    ['on time', '2026-03-01T03:00:00Z', 60, undefined],
    ['at the deadline', '2026-03-01T03:01:00Z', 60, undefined],
    ['past it', '2026-03-01T03:01:01Z', 60, 'missed: the run for 2026-03-01T03:00:00.000Z would start 61 s late, past its starting deadline of 60 s'],
    ['no deadline', '2026-03-02T03:00:00Z', undefined, undefined],
  ] as const)('%s', (_name, now, deadline, expected) => {
    expect(pastStartingDeadline(new Date('2026-03-01T03:00:00Z'), new Date(now), deadline)).toBe(expected);
  });

  let live: CronLauncher | undefined;
  afterEach(() => live?.stop());
  const boot = (template: Template, lastRun: string, now: string, run: CronHost['run'] = () => undefined) => {
    const runs: string[] = [];
    const missed: string[] = [];
    const host: CronHost = {
      templates: () => [template],
      lastRun: () => lastRun,
      setLastRun: () => undefined,
      unfinishedScheduled: () => [],
      run: (t, at) => {
        run(t, at);
        runs.push(at.toISOString());
      },
      cancel: () => undefined,
      missed: (_t, at, message) => missed.push(`${at.toISOString()} ${message}`),
    };
    live = new CronLauncher(host);
    live.start(new Date(now));
    return { runs, missed };
  };
  const tpl = (schedule: Record<string, unknown>, env: unknown[] = []) =>
    TemplateSchema.parse({ id: 't', name: 'nightly', image: 'img', env, schedule: { cron: '0 3 * * *', timeZone: 'UTC', missedRunPolicy: 'CatchUpOnce', ...schedule }, createdAt: 'x', updatedAt: 'x' });

  it('a catch-up within the deadline runs; one past it is recorded as missed, not run', () => {
    expect(boot(tpl({ startingDeadlineSeconds: 600 }), '2026-03-01T00:00:00Z', '2026-03-01T03:05:00Z').runs).toEqual(['2026-03-01T03:00:00.000Z']);
    const late = boot(tpl({ startingDeadlineSeconds: 60 }), '2026-03-01T00:00:00Z', '2026-03-01T03:05:00Z');
    expect(late.runs).toEqual([]);
    expect(late.missed).toEqual(['2026-03-01T03:00:00.000Z missed: the run for 2026-03-01T03:00:00.000Z would start 300 s late, past its starting deadline of 60 s']);
  });

  it('more than 100 missed schedules still catch up once (the missed-run policy, not the Kubernetes rule)', () => {
    const every = tpl({ cron: '* * * * *' });
    expect(boot(every, '2026-03-01T00:00:00Z', '2026-03-01T03:00:30Z').runs).toEqual(['2026-03-01T03:00:00.000Z']);
  });

  it('a scheduled run refused for a missing value is recorded as missed, naming the variable', () => {
    const t = tpl({}, [{ name: 'DB_PASSWORD', value: '', secret: true, valueFrom: 'secret db, key pw' }]);
    const r = boot(t, '2026-03-01T00:00:00Z', '2026-03-01T03:05:00Z', (x) => assertValuesGiven(x));
    expect(r.runs).toEqual([]);
    expect(r.missed).toEqual(['2026-03-01T03:00:00.000Z not started: Variable DB_PASSWORD (from secret db, key pw) has no value: give it a value in the template (Environment) or in the run']);
  });
});

describe('import preview → save with the values the user gave (real core, fake engine)', () => {
  let core: TemplateCore;
  afterEach(async () => core?.close());
  const manifest = (name: string) => ({
    name: `${name}.yaml`,
    content: job(`      containers:
        - name: main
          image: busybox:1.36
          env:
            - name: DB_PASSWORD
              valueFrom: { secretKeyRef: { name: db-creds, key: password } }
`).replace('pod-job', name),
  });

  it('the value given reaches the container; without it, jobs.create names the variable; a value for no such variable is refused', async () => {
    core = await templateCore();
    const [preview] = await core.call('templates.import', { files: [manifest('with-value')] });
    expect(preview!.templates[0]!.spec.env).toEqual([{ name: 'DB_PASSWORD', value: '', secret: true, valueFrom: 'secret db-creds, key password' }]);
    const [saved] = await core.call('templates.importSave', { files: [manifest('with-value')], values: [{ file: 0, index: 0, name: 'DB_PASSWORD', value: 'pw-given' }] });
    await core.call('jobs.create', { templateId: saved!.id });
    expect(core.docker.runs[0]!.req.env).toContain('DB_PASSWORD=pw-given');

    const [bare] = await core.call('templates.importSave', { files: [manifest('without-value')] });
    await expect(core.call('jobs.create', { templateId: bare!.id })).rejects.toThrow(
      'Variable DB_PASSWORD (from secret db-creds, key password) has no value: give it a value in the template (Environment) or in the run',
    );
    expect(core.docker.runs).toHaveLength(1);
    await expect(
      core.call('templates.importSave', { files: [manifest('typo')], values: [{ file: 0, index: 0, name: 'DB_PASWORD', value: 'x' }] }),
    ).rejects.toThrow('typo: DB_PASWORD is not a variable that needs a value');
  });
});

describe('CronJob history limits: finished scheduled runs kept per template by count', () => {
  let core: TemplateCore;
  afterEach(async () => core?.close());

  it('keeps the newest N completed and M failed scheduled runs of the template; manual runs, other templates and cancelled ones stay', async () => {
    core = await templateCore();
    const t = await core.call('templates.save', {
      spec: { name: 'limited', image: 'busybox', schedule: { cron: '0 3 * * *', enabled: false, successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 } },
    });
    const other = await core.call('templates.save', { spec: { name: 'other', image: 'busybox' } });
    const base = { spec: TemplateSpec.parse({ name: 'limited', image: 'busybox' }), templateName: 'limited', priority: 3, dependsOn: [], failures: 0, succeededIndexes: [], attempts: [] };
    const put = (id: string, status: 'completed' | 'failed' | 'cancelled', minute: number, over: Record<string, unknown> = {}) =>
      core.ctx.store.putJob({
        ...base,
        id,
        templateId: t.id,
        status,
        seq: minute,
        origin: 'schedule',
        createdAt: `2026-03-01T03:${String(minute).padStart(2, '0')}:00.000Z`,
        finishedAt: `2026-03-01T03:${String(minute).padStart(2, '0')}:30.000Z`,
        ...over,
      });
    put('ok-1', 'completed', 1);
    put('ok-2', 'completed', 2);
    put('ok-3', 'completed', 3);
    put('bad-1', 'failed', 4);
    put('bad-2', 'failed', 5);
    put('missed', 'cancelled', 6);
    put('manual-ok', 'completed', 0, { origin: 'manual' });
    put('other-ok', 'completed', 0, { templateId: other.id });
    const removed = await applyHistoryLimits(core.ctx, t.id);
    expect(removed.sort()).toEqual(['bad-1', 'ok-1']);
    expect([...core.ctx.store.allJobs()].map((j) => j.id).sort()).toEqual(['bad-2', 'manual-ok', 'missed', 'ok-2', 'ok-3', 'other-ok']);
  });

  it('without limits nothing is removed (Jobdeck\'s retention settings apply)', async () => {
    core = await templateCore();
    const t = await core.call('templates.save', { spec: { name: 'unlimited', image: 'busybox', schedule: { cron: '0 3 * * *', enabled: false } } });
    expect(await applyHistoryLimits(core.ctx, t.id)).toEqual([]);
  });
});

describe('a missed scheduled run is kept in the history', () => {
  let core: TemplateCore;
  afterEach(async () => core?.close());
  it('as a cancelled scheduled job of the template, saying why, with no attempt and no secret in clear', async () => {
    core = await templateCore();
    const t = await core.call('templates.save', {
      spec: { name: 'late', image: 'busybox', env: [{ name: 'TOKEN', value: 'tok-value', secret: true }], schedule: { cron: '0 3 * * *', enabled: false, startingDeadlineSeconds: 60 } },
    });
    const job = recordMissedRun(core.ctx, core.ctx.store.getTemplate(t.id)!, new Date('2026-03-01T03:00:00Z'), 'missed: too late');
    expect(core.ctx.store.getJob(job.id)).toMatchObject({ status: 'cancelled', origin: 'schedule', templateId: t.id, message: 'missed: too late', scheduledFor: '2026-03-01T03:00:00.000Z', attempts: [] });
    expect(JSON.stringify(core.ctx.store.getJob(job.id))).not.toContain('tok-value');
    expect(core.docker.runs).toHaveLength(0);
  });
});
