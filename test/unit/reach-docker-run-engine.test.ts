// A pasted command line does not say which engine: the user picks it beside the line, and the
// template made from it runs there (issue 15: every first path on Podman too).
import { expect, it } from 'vitest';
import { describeCommand, useFakeCore } from '../support/fakeCore';

const core = useFakeCore();

describeCommand('templates.fromDockerRun', () => {
  it('the engine chosen goes into the preview and the saved template; without one the template says any', async () => {
    const h = core();
    const line = 'podman run --name dr-on-podman busybox:1.36 echo hi';
    expect((await h.call('templates.fromDockerRun', { commandLine: line })).spec).toMatchObject({ engine: 'any' });
    expect((await h.call('templates.fromDockerRun', { commandLine: line, engine: 'podman' })).spec).toMatchObject({ engine: 'podman' });
    const saved = await h.call('templates.fromDockerRun', { commandLine: line, engine: 'podman', save: true });
    expect(saved.template).toMatchObject({ name: 'dr-on-podman', engine: 'podman' });
    expect(await h.fail('templates.fromDockerRun', { commandLine: line, engine: 'kubernetes' })).toMatchObject({ code: 'VALIDATION' });
  });
});
