// A cluster that goes away while an attempt runs: the attempt ends as EngineLost past a grace
// (not waited on for ever), its retry waits for the engine saying why, and once the API server is
// back the lost attempt's Job is swept and the retry runs, as on Docker after an outage.
// Against the test API server (test/support/k8sApiServer.ts), whose pods are real Docker containers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobdeck } from '../../src/main/core/jobdeck';
import { commands, type CommandArgs, type CommandName, type CommandOutput } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import { waitText } from '../../src/shared/wait';
import { clientFor, ensureTestImage, TEST_IMAGE } from '../support/engines';
import { startK8sApiServer, type K8sApiServer } from '../support/k8sApiServer';

const DOCKER = 'unix:///var/run/docker.sock';
const ENGINE = 'kubernetes:test';

let server: K8sApiServer;
let dir: string;
let core: Awaited<ReturnType<typeof createJobdeck>>;

const call = <C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> => {
  const args = commands[command].input.parse(input) as CommandArgs<C>;
  const handler = core.handlers[command] as (a: CommandArgs<C>, ctx: { clientId: string }) => Promise<CommandOutput<C>>;
  return handler(args, { clientId: 'test' });
};

beforeAll(async () => {
  await ensureTestImage(clientFor(DOCKER));
  dir = mkdtempSync(join(tmpdir(), 'jobdeck-k8s-outage-'));
  server = await startK8sApiServer({ dir });
  core = await createJobdeck({
    dataDir: join(dir, 'data'),
    instanceId: `k8s-outage-${Math.random().toString(36).slice(2, 10)}`,
    env: { KUBECONFIG: server.kubeconfig },
    socketCandidates: [`docker=${DOCKER}`],
    engineProbeIntervalMs: 500,
    kubernetes: { clusterLostGraceMs: 1500 },
  });
  await call('settings.update', { stopGraceSeconds: 1 });
});

afterAll(async () => {
  await core?.close({ stopRunning: true });
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('an attempt running when the API server goes away ends EngineLost, waits saying why, and runs again once it is back', async () => {
  const created = await call('jobs.create', { spec: { name: 'k8s-outage', image: TEST_IMAGE, engineId: ENGINE, command: 'echo up; sleep 300', retry: { limit: 1, backoffInitialSeconds: 0 } } });
  const job = () => call('jobs.get', { id: created.id });
  await expect.poll(async () => (await job()).status, { timeout: 30_000 }).toBe('running');
  await expect.poll(async () => (await server.containers()).length, { timeout: 30_000 }).toBe(1);

  await server.goAway();
  // Ended past the grace, not followed for ever: lost with the cluster's words; its retry waits for the engine, saying why.
  await expect.poll(async () => (await job()).attempts[0]?.reason, { timeout: 30_000 }).toBe("EngineLost");
  const lost: Job = await job();
  expect(lost.attempts[0]!.message).toMatch(/^cluster unreachable for 2 s while the attempt ran: /);
  expect(lost.status).toBe('pending');
  expect(lost.attempts[0]!.finishedAt).toBeDefined();
  await expect
    .poll(async () => {
      const reason = (await call('queue.waits', {})).find((w) => w.id === created.id)?.reason;
      return reason && waitText(reason, Date.now());
    }, { timeout: 30_000 })
    .toMatch(/^waiting for engine kubernetes:test: http:\/\/127\.0\.0\.1:\d+: Connection refused: nothing listens on 127\.0\.0\.1:\d+/);

  await server.comeBack();
  // Back: the lost attempt's Job is swept (its container goes), and the retry runs.
  await expect.poll(async () => (await job()).attempts.length, { timeout: 60_000 }).toBe(2);
  await expect.poll(async () => (await job()).status, { timeout: 30_000 }).toBe('running');
  await expect.poll(async () => server.list('jobs').map((j) => j.metadata.labels['dev.jobdeck.attempt']), { timeout: 30_000 }).toEqual(['2']);
  await call('jobs.cancel', { id: created.id });
  await expect.poll(async () => (await job()).status, { timeout: 30_000 }).toBe('cancelled');
  await expect.poll(async () => (await server.containers()).length, { timeout: 30_000 }).toBe(0);
}, 180_000);
