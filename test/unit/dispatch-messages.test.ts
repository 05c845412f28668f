import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/ipc/dispatch';
import type { Handlers } from '../../src/shared/ipc';

// What a toast shows for a refused input is the dispatcher's message: it must be the field's own
// words from the schemas in src/shared, never zod's default phrasing or the command's name.
const called: string[] = [];
const handlers = new Proxy({} as Handlers, {
  get: (_t, name) => async () => {
    called.push(String(name));
    return {};
  },
});
const dispatch = createDispatcher(handlers);

/** zod's own wording, which a person should never read. */
const RAW = [/too small/i, /too big/i, /invalid input/i, /invalid option/i, /expected (string|number|boolean|object|array)/i, />=|<=/, /input to /i, /nan/i];

const spec = { name: 'msg-test', image: 'busybox:latest' };
const engine = { id: 'build-box', kind: 'docker', host: 'tcp://127.0.0.1:2375' };

// [command, input, words the message must carry]
const BAD: [string, unknown, RegExp][] = [
  ['jobs.create', { spec: { ...spec, image: 'Busybox' } }, /^Image repository names must be lowercase/],
  ['jobs.create', { spec: { ...spec, image: 'busybox:' } }, /^Image has a ":" with no tag/],
  ['jobs.create', { spec: { ...spec, image: '' } }, /^Image is required/],
  ['jobs.create', { spec: { ...spec, limits: { memory: '1Mi' } } }, /^Memory limit 1Mi is below the engines' minimum of 6Mi/],
  ['jobs.create', { spec: { ...spec, outputDir: '/' } }, /^Artifacts dir cannot be \//],
  ['jobs.create', { spec: { ...spec, name: '' } }, /^Name is required/],
  ['jobs.create', { spec: { ...spec, priority: 0 } }, /^Priority must be 1/],
  ['jobs.create', { spec: { ...spec, env: [{ name: '1X', value: '' }] } }, /^Variable names use letters/],
  ['jobs.create', { spec: { ...spec, env: [{ name: 'X', value: 'v', secret: 'yes' }] } }, /^Variable secret must be true or false/],
  ['jobs.create', { spec: { ...spec, schedule: { cron: '* * * * * * *' } } }, /^Schedule: /],
  ['jobs.create', { spec: { ...spec, schedule: { cron: '0 * * * *', concurrencyPolicy: 'Sometimes' } } }, /^Concurrency policy must be Allow, Forbid or Replace/],
  ['jobs.create', { templateId: 't', overrides: { limits: { memory: '2m0' } } }, /^Memory limit must be a size/],
  ['jobs.create', { templateId: 't', overrides: { timeoutSeconds: 0 } }, /^Timeout must be a whole number of seconds/],
  ['jobs.create', { templateId: 't', overrides: { limits: { cpus: 'lots' } } }, /^CPUs must be a positive number/],
  ['jobs.clone', { id: 'j', overrides: { priority: 9 } }, /^Priority must be 1/],
  ['templates.save', { spec: { ...spec, limits: { memory: '5Mi' } } }, /^Memory limit 5Mi is below/],
  ['templates.save', { spec: { ...spec, command: [] } }, /^Command must not be empty/],
  ['settings.update', { concurrency: 0 }, /^Concurrent jobs must be a whole number from 1 to 64/],
  ['settings.update', { concurrency: Number.NaN }, /^Concurrent jobs must be a whole number/],
  ['settings.update', { stopGraceSeconds: 301 }, /^Stop grace must be a whole number of seconds from 0 to 300/],
  ['settings.update', { logCapBytes: 0 }, /^Log cap per attempt must be a whole number of MiB/],
  ['settings.update', { retention: { days: 0 } }, /^Remove finished jobs after must be a whole number of days/],
  ['engines.add', { ...engine, id: '' }, /^Id is required/],
  ['engines.add', { ...engine, id: 'Build Box' }, /^Id uses lowercase letters, digits and dashes/],
  ['engines.add', { ...engine, host: 'ftp://x' }, /^Jobdeck cannot reach an engine over ftp:\/\//],
  ['engines.add', { ...engine, host: '' }, /^Engine address is required/],
  ['engines.add', { ...engine, kind: 'lxc' }, /^Kind must be docker or podman/],
];

describe('dispatcher: a refused input reads in the user’s words', () => {
  it.each(BAD)('%s %j', async (command, input, words) => {
    const result = await dispatch(command, input, { clientId: 'test' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.message).toMatch(words);
    for (const raw of RAW) expect(result.error.message).not.toMatch(raw);
    // Forms still get every issue with the field's path.
    expect(result.error.issues?.[0]?.message).toBe(result.error.message);
    expect(result.error.issues?.[0]?.path).toMatch(/\S/);
  });

  it('never reaches a handler with refused input', () => {
    expect(called).toEqual([]);
  });

  it('keeps the path of each issue for the forms', async () => {
    const result = await dispatch('templates.save', { spec: { ...spec, image: 'A', limits: { memory: '1Mi' } } }, { clientId: 'test' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.issues?.map((i) => i.path)).toEqual(['spec.image', 'spec.limits.memory']);
  });
});
