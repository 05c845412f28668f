// A run's overrides and dependencies on the real engines: pinned to one engine by id, with a
// memory limit of its own, after a running job; what queue.waits says at each step.
import { describe, expect, it } from 'vitest';
import type { TemplateSpecInput } from '../../src/shared/template';
import { useEngineCore } from '../support/core';
import { engineTargets, TEST_IMAGE } from '../support/engines';

const targets = await engineTargets();
const base = (name: string, over: Partial<TemplateSpecInput> = {}): TemplateSpecInput => ({ name, image: TEST_IMAGE, network: 'none', pullPolicy: 'Never', ...over });

describe.each(targets)('run overrides on $kind', (target) => {
  const t = useEngineCore(target, { settings: { concurrency: 4, stopGraceSeconds: 1 } });

  describe.skipIf(Boolean(target.missing))(`${target.kind} engine`, () => {
    it('a run pinned to the engine by id, with its own memory limit, after a running job', async () => {
      const tpl = await t.call('templates.save', { spec: base('ro-tpl', { command: 'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes' }) });
      const parent = await t.call('jobs.create', { spec: base('ro-parent', { command: 'sleep 2' }) });
      await t.waitFor(parent.id, (j) => j.status === 'running');
      const child = await t.call('jobs.create', { templateId: tpl.id, overrides: { engineId: target.kind, limits: { memory: '48Mi' } }, dependsOn: [parent.id] });
      expect(child.spec).toMatchObject({ engineId: target.kind, limits: { memory: '48Mi' } });
      const waits = await t.call('queue.waits', {});
      expect(waits.find((w) => w.id === child.id)?.reason).toMatchObject({ kind: 'upstream', jobs: [{ id: parent.id, templateName: 'ro-parent' }] });
      const done = await t.waitFor(child.id);
      expect(done).toMatchObject({ status: 'completed', exitCode: 0 });
      expect(done.attempts[0]!.engineId).toBe(target.kind);
      const out = await t.call('logs.read', { id: child.id });
      expect(out.chunks.map((c) => c.data).join('').trim()).toBe(String(48 * 1024 * 1024));
    });

    it('a run pinned to an engine that is not there waits for it, said so, until cancelled', async () => {
      const job = await t.call('jobs.create', { spec: base('ro-absent', { command: 'true' }), overrides: { engineId: 'absent-engine' } });
      await t.waitFor(job.id, (j) => j.waitingFor === 'engine absent-engine');
      expect((await t.call('queue.waits', {})).find((w) => w.id === job.id)?.reason).toEqual({ kind: 'engine', engine: 'engine absent-engine' });
      expect(await t.call('jobs.cancel', { id: job.id })).toMatchObject({ status: 'cancelled', attempts: [] });
    });
  });
});
