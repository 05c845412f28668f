// The Templates view's logic, without a browser: the editor's form from what the list holds, the
// live "Last result", the filtered count, what the import toast says, and when errors show.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportOutcome, TemplateSummary } from '../../src/shared/ipc';
import { Template, TemplateSpec } from '../../src/shared/template';
import { outcomeSentence } from '../../src/renderer/src/views/importOutcome';
import { formFromTemplate, validate, visibleIssues } from '../../src/renderer/src/views/templateForm';
import { countLabel, filterTemplates, foldLastJob, nextRunOf, sortTemplates, type TemplateSort } from '../../src/renderer/src/views/templateList';
import { templateCore, type TemplateCore } from '../support/templateCore';

describe('editing a template that has run', () => {
  let core: TemplateCore;
  beforeEach(async () => {
    core = await templateCore();
  });
  afterEach(async () => {
    await core.close();
  });

  it('the list summary is not a template; the editor gets the template inside it and saves', async () => {
    const t = await core.call('templates.save', {
      spec: { name: 'nightly', image: 'busybox', command: 'echo one', schedule: { cron: '0 3 * * *', timeZone: 'UTC' } },
    });
    await core.call('jobs.create', { templateId: t.id });
    const [summary] = await core.call('templates.list', {});
    expect(summary!.lastJob).toBeDefined();
    // What the old list item was, a template with lastJob mixed in, cannot pass for one.
    expect(Template.safeParse(summary).success).toBe(false);
    expect(TemplateSpec.safeParse(summary).success).toBe(false);

    const form = { ...formFromTemplate(summary!.template), script: 'echo two', scheduleEnabled: false };
    const { spec, issues } = validate(form, summary!.template);
    expect(issues).toEqual({});
    const saved = await core.call('templates.save', { id: t.id, spec });
    expect(saved).toMatchObject({ id: t.id, command: 'echo two', schedule: { cron: '0 3 * * *', enabled: false, timeZone: 'UTC' } });
    expect(core.ctx.cron.nextRun(t.id)).toBeNull();
  });
});

const summary = (id: string, name: string, image = 'busybox', lastJob?: TemplateSummary['lastJob']): TemplateSummary => ({
  template: Template.parse({ id, name, image, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' }),
  ...(lastJob ? { lastJob } : {}),
});

describe('Templates list numbers', () => {
  it('"Last result" follows job.updated events of the newest job, not older ones', () => {
    let list = [summary('a', 'alpha'), summary('b', 'beta')];
    list = foldLastJob(list, { id: 'j1', seq: 1, status: 'running', templateId: 'a' });
    expect(list[0]!.lastJob).toEqual({ id: 'j1', seq: 1, status: 'running' });
    list = foldLastJob(list, { id: 'j1', seq: 1, status: 'completed', exitCode: 0, finishedAt: '2026-01-01T00:01:00Z', templateId: 'a' });
    expect(list[0]!.lastJob).toMatchObject({ status: 'completed', exitCode: 0 });
    list = foldLastJob(list, { id: 'j2', seq: 2, status: 'pending', templateId: 'a' });
    // An old job's retry does not take "last" back from a newer one.
    list = foldLastJob(list, { id: 'j1', seq: 1, status: 'pending', templateId: 'a' });
    expect(list[0]!.lastJob?.id).toBe('j2');
    expect(list[1]!.lastJob).toBeUndefined();
    expect(foldLastJob(list, { id: 'x', seq: 9, status: 'pending' })).toBe(list);
  });

  it('the count is what the filter shows, of the total', () => {
    const list = [summary('a', 'tpl-alpha'), summary('b', 'tpl-beta', 'alpine'), summary('c', 'other')];
    expect(filterTemplates(list, 'tpl').map((s) => s.template.name)).toEqual(['tpl-alpha', 'tpl-beta']);
    expect(filterTemplates(list, 'tpl alpine').map((s) => s.template.name)).toEqual(['tpl-beta']);
    expect(countLabel(filterTemplates(list, 'tpl').length, list.length)).toBe('2 of 3');
    expect(countLabel(filterTemplates(list, '').length, list.length)).toBe('3');
  });
});

describe('the import toast says what happened', () => {
  const o = (outcome: ImportOutcome['outcome'], name: string, extra: Partial<ImportOutcome> = {}): ImportOutcome => ({ file: `${name}.yaml`, name, outcome, ...extra });
  it.each([
    [[o('created', 'a')], 'success', 'Saved 1 new template'],
    [[o('replaced', 'a'), o('keptBoth', 'b', { savedAs: 'b (2)' })], 'success', 'Replaced a; kept both: saved "b (2)"'],
    [[o('skipped', 'a')], 'info', 'Skipped a'],
    [[o('created', 'a'), o('failed', 'b', { message: 'CPUs 64 is more than this machine has (2 CPUs)' })], 'error', 'Saved 1 new template; 1 failed: b (CPUs 64 is more than this machine has (2 CPUs))'],
  ] as const)('%j', (outcomes, tone, text) => {
    expect(outcomeSentence([...outcomes])).toEqual({ tone, text });
  });
});

describe('the editor shows an error only where the user typed, or all on Save', () => {
  it('a new, empty form shows nothing; typing in image shows image\'s error only', () => {
    const form = { ...formFromTemplate(undefined), image: 'BusyBox', memory: '1Mi' };
    const { issues } = validate(form, undefined);
    expect(Object.keys(issues).sort()).toEqual(['image', 'limits.memory', 'name']);
    expect(visibleIssues(issues, {}, new Set(), false)).toEqual({});
    expect(visibleIssues(issues, {}, new Set(['image']), false)).toEqual({ image: 'Image repository names must be lowercase: busybox, not BusyBox' });
    expect(Object.keys(visibleIssues(issues, {}, new Set(['image']), true)).sort()).toEqual(['image', 'limits.memory', 'name']);
  });
});

describe('Templates list: sort, scheduled only, next run', () => {
  const sched = (id: string, name: string, cron: string | undefined, enabled = true, seq?: number): TemplateSummary => ({
    template: Template.parse({ id, name, image: 'busybox', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ...(cron ? { schedule: { cron, timeZone: 'UTC', enabled } } : {}) }),
    ...(seq !== undefined ? { lastJob: { id: `j${seq}`, seq, status: 'completed' as const } } : {}),
  });
  const now = new Date('2026-03-02T10:00:00Z');
  const list = [sched('a', 'tl-daily', '0 3 * * *', true, 5), sched('b', 'tl-hourly', '30 * * * *', true), sched('c', 'tl-off', '* * * * *', false, 9), sched('d', 'tl-none', undefined, true, 1)];
  const next = new Map(list.map((s) => [s.template.id, nextRunOf(s.template, now)]));

  it('the next run is the schedule\'s next fire time; none when off or unscheduled', () => {
    expect(next.get('a')?.toISOString()).toBe('2026-03-03T03:00:00.000Z');
    expect(next.get('b')?.toISOString()).toBe('2026-03-02T10:30:00.000Z');
    expect(next.get('c')).toBeUndefined();
    expect(next.get('d')).toBeUndefined();
  });

  it('sorts by name, by last run (newest first), by next run (soonest first), the rest last by name', () => {
    const names = (sort: TemplateSort) => sortTemplates(list, sort, next).map((s) => s.template.name);
    expect(names('name')).toEqual(['tl-daily', 'tl-hourly', 'tl-none', 'tl-off']);
    expect(names('lastRun')).toEqual(['tl-off', 'tl-daily', 'tl-none', 'tl-hourly']);
    expect(names('nextRun')).toEqual(['tl-hourly', 'tl-daily', 'tl-none', 'tl-off']);
  });

  it('"scheduled only" keeps the templates whose schedule is on, with the text filter', () => {
    expect(filterTemplates(list, '', true).map((s) => s.template.name)).toEqual(['tl-daily', 'tl-hourly']);
    expect(filterTemplates(list, 'hour', true).map((s) => s.template.name)).toEqual(['tl-hourly']);
  });
});
