// The editor's form ⇄ document mapping over the whole template schema: every field a user can set
// comes back as it was after form → spec → form, and keys the form does not know pass through.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { specOf, TemplateSpec, TemplateSpecChecked } from '../../src/shared/template';
import { FORM_KEYS, KUBERNETES_FORM_KEYS, unshownFields } from '../../src/renderer/src/components/editor/unshown';
import { formFromTemplate, readForm, specFromForm, validate, type TemplateDoc, type TemplateForm } from '../../src/renderer/src/views/templateForm';
import { useFakeCore } from '../support/fakeCore';

/** Every field of TemplateSpec set to something other than its default. */
const FULL: TemplateDoc = {
  name: 'ed-full',
  description: 'every field',
  notifications: { rules: [{ id: 'r1', on: 'failure', attempts: 'last', channels: ['desktop'] }] },
  image: 'busybox:1.36',
  command: 'echo one\necho two',
  entrypoint: ['/bin/sh', '-e'],
  env: [
    { name: 'PLAIN', value: 'p', secret: false },
    { name: 'TOKEN', value: 's3cret', secret: true },
  ],
  workingDir: '/work',
  user: '1000:1000',
  mounts: [{ hostPath: '/srv/data', containerPath: '/data', readOnly: true }],
  outputDir: '/out',
  limits: { memory: '256Mi', cpus: 0.5 },
  network: 'host',
  tty: true,
  timeoutSeconds: 900,
  retry: { limit: 3, backoffInitialSeconds: 5, backoffFactor: 3, backoffMaxSeconds: 120, neverRetryExitCodes: [1, 2] },
  priority: 1,
  engine: 'podman',
  pullPolicy: 'Never',
  labels: { team: 'data', tier: 'batch' },
  parallelism: 4,
  completions: 8,
  completionMode: 'Indexed',
  keepContainer: true,
  schedule: { cron: '*/5 * * * *', timeZone: 'Europe/Paris', concurrencyPolicy: 'Forbid', missedRunPolicy: 'CatchUpOnce', enabled: false },
};

const formOf = (doc: TemplateDoc): TemplateForm => {
  const r = readForm(doc);
  if ('problem' in r) throw new Error(r.problem);
  return r.form;
};

describe('form ⇄ spec over the whole schema', () => {
  it('the full document is valid and every field survives form → spec', () => {
    expect(TemplateSpecChecked.safeParse(FULL).success).toBe(true);
    const back = specFromForm(formOf(FULL), FULL);
    expect(back).toEqual(FULL);
    expect(TemplateSpecChecked.parse(back)).toEqual(TemplateSpec.parse(FULL));
  });

  it('an argv command is a list one argument per line, and comes back a list', () => {
    const doc = { ...FULL, command: ['sh', '-c', 'echo "a b"'] };
    const form = formOf(doc);
    expect(form).toMatchObject({ commandMode: 'argv', argv: 'sh\n-c\necho "a b"', script: '' });
    expect(specFromForm(form, doc).command).toEqual(['sh', '-c', 'echo "a b"']);
    expect(specFromForm({ ...form, commandMode: 'script', script: 'echo hi' }, doc).command).toBe('echo hi');
  });

  it('keys the form does not show are kept as they are, nested ones too', () => {
    const doc = {
      ...FULL,
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] },
      retry: { ...(FULL.retry as object), retryOnExitCodes: [3] },
      schedule: { ...(FULL.schedule as object), startingDeadlineSeconds: 60 },
    };
    const back = specFromForm({ ...formOf(doc), image: 'busybox:1.37' }, doc);
    expect(back).toEqual({ ...doc, image: 'busybox:1.37' });
  });

  it('emptied optional boxes remove their keys instead of saving them empty', () => {
    const form = { ...formOf(FULL), description: '', workingDir: '', user: '', outputDir: '', timeoutSeconds: '', entrypoint: '', script: '', memory: '', cpus: '', cron: '' };
    const back = specFromForm(form, FULL);
    for (const k of ['description', 'workingDir', 'user', 'outputDir', 'timeoutSeconds', 'entrypoint', 'command', 'schedule']) expect(back).not.toHaveProperty(k);
    expect(back.limits).toEqual({});
  });

  it('values the form cannot show as they are are named, not changed', () => {
    expect(readForm({ ...FULL, command: ['echo', 'two\nlines'] })).toEqual({ problem: 'Command: an argument is empty or holds a line break' });
    expect(readForm({ ...FULL, priority: [1] })).toEqual({ problem: 'Priority: a list or mapping where the form has one value' });
    expect(readForm({ ...FULL, labels: { 'a=b': 'c' } })).toMatchObject({ problem: expect.stringContaining('Labels') });
  });

  it('bad boxes give the schema\'s message at their path', () => {
    const { issues } = validate({ ...formOf(FULL), backoffFactor: '20', neverRetry: '1, x', parallelism: '0', labels: 'nope' }, FULL);
    expect(issues).toMatchObject({
      'retry.backoffFactor': 'Backoff factor must be a number from 1 to 10',
      'retry.neverRetryExitCodes[1]': expect.stringContaining('Exit codes that never retry'),
      parallelism: 'Parallelism must be a whole number from 1 to 64',
      labels: 'Labels line 1: expected name=value',
    });
  });

  it('any valid template round-trips (generated)', () => {
    const text = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    const arb = fc.record({
      priority: fc.integer({ min: 1, max: 5 }),
      parallelism: fc.integer({ min: 1, max: 64 }),
      completions: fc.integer({ min: 1, max: 1000 }),
      limit: fc.integer({ min: 0, max: 100 }),
      factor: fc.double({ min: 1, max: 10, noNaN: true }),
      codes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 4 }),
      argv: fc.array(fc.stringMatching(/^[^\n]{1,6}$/), { minLength: 1, maxLength: 4 }),
      labels: fc.dictionary(text, fc.stringMatching(/^[^\n]{0,6}$/), { maxKeys: 3 }),
      tty: fc.boolean(),
      network: fc.constantFrom('none', 'bridge', 'host'),
      mode: fc.constantFrom('NonIndexed', 'Indexed'),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const doc: TemplateDoc = {
          ...FULL,
          priority: a.priority,
          parallelism: a.parallelism,
          completions: a.completions,
          retry: { ...(FULL.retry as object), limit: a.limit, backoffFactor: a.factor, neverRetryExitCodes: a.codes },
          command: a.argv,
          labels: a.labels,
          tty: a.tty,
          network: a.network,
          completionMode: a.mode,
        };
        expect(specFromForm(formOf(doc), doc)).toEqual(doc);
      }),
      { numRuns: 200 },
    );
  });
});

describe('fields the form does not have yet', () => {
  it('every schema field is either in the form or listed under Kubernetes policies', () => {
    const shape = Object.keys(TemplateSpec.shape);
    const doc = Object.fromEntries(shape.map((k) => [k, FULL[k] ?? { added: 'later' }]));
    const listed = Object.keys(unshownFields(doc));
    for (const k of shape) expect(FORM_KEYS.has(k) || KUBERNETES_FORM_KEYS.has(k) || listed.includes(k), k).toBe(true);
    // And the full document above sets every field the form has (engineId is the engine box's other way).
    for (const k of FORM_KEYS) if (k !== 'engineId') expect(FULL, k).toHaveProperty(k);
  });

  it('one engine by id is the engine box too: engineId, with the kind left open', () => {
    const spec = specFromForm({ ...formOf(FULL), engine: 'id:docker' }, FULL);
    expect(spec).toMatchObject({ engine: 'any', engineId: 'docker' });
    expect(formOf(spec).engine).toBe('id:docker');
    // Choosing a kind again drops the id, so the template is not pinned by a leftover.
    expect(specFromForm({ ...formOf(spec), engine: 'podman' }, spec)).not.toHaveProperty('engineId');
  });

  it('lists unknown top-level keys and unknown keys inside retry, limits and schedule', () => {
    expect(unshownFields({ ...FULL, containerName: 'app', retry: { limit: 1, retryOnExitCodes: [3] } })).toEqual({
      containerName: 'app',
      retry: { retryOnExitCodes: [3] },
    });
    expect(unshownFields(FULL)).toEqual({});
  });
});

describe('save → reopen through the core', () => {
  const core = useFakeCore();
  it('a template saved from the form reopens with the same form, and saves back unchanged', async () => {
    const h = core();
    const spec = TemplateSpecChecked.parse(specFromForm(formOf(FULL), FULL));
    const saved = await h.call('templates.save', { spec });
    const form = formFromTemplate(saved);
    expect({ ...form, env: form.env.map((e) => ({ ...e, value: e.secret ? '' : e.value })) }).toEqual({
      ...formOf(FULL),
      env: formOf(FULL).env.map((e) => ({ ...e, value: e.secret ? '' : e.value })),
    });
    // Sent back as the form has it (secret masked): stored the same.
    const again = await h.call('templates.save', { id: saved.id, spec: TemplateSpecChecked.parse(specFromForm(form, saved)) });
    // (That a masked secret sent back keeps the stored one is the templates.save handler test's.)
    expect(specOf(again)).toEqual(specOf(saved));
  });
});
