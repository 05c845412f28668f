// The Kubernetes log follower on a real container (the test API server's pod, on local Docker):
// a pod that writes stdout and stderr lines as fast as it can, its follow cut once in the middle,
// gives every line once, in the order the runtime wrote them. Docker stamps each stream's lines
// in that stream's own reader before writing them to the one log file, so under load a stderr
// line may be stamped before the stdout line written ahead of it (measured: 5 such pairs in 1,200
// lines at load 3); a follower that dropped lines stamped before the last one it kept lost them.
import { BatchV1Api, KubeConfig, Log } from '@kubernetes/client-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogFollower } from '../../src/main/core/kubernetes/logFollower';
import { clientFor, engineTargets, ensureTestImage, TEST_IMAGE } from '../support/engines';
import { startK8sApiServer, type K8sApiServer } from '../support/k8sApiServer';

const [local] = (await engineTargets()).filter((t) => t.kind === 'docker');
const skip = !local || Boolean(local.missing);
const LINES = 600;
// Bursts of 100 lines per stream, a pause between, so the cut lands while the pod writes.
const SCRIPT = `i=0; while [ $i -lt ${LINES} ]; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); [ $((i % 100)) = 0 ] && sleep 0.2; done; true`;

describe.skipIf(skip)('Kubernetes log follower on a real container: stdout and stderr lines, a cut follow', { timeout: 60_000 }, () => {
  let server: K8sApiServer;
  let dir: string;
  let kc: KubeConfig;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobdeck-k8s-order-'));
    await ensureTestImage(clientFor(local!.host));
    server = await startK8sApiServer({ dir });
    kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfig);
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every line once, in the runtime\'s order, across a follow cut mid-output', async () => {
    const name = `order-${Math.random().toString(36).slice(2, 8)}`;
    const batch = kc.makeApiClient(BatchV1Api);
    await batch.createNamespacedJob({
      namespace: server.namespace,
      body: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name },
        spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: TEST_IMAGE, command: ['sh', '-c', SCRIPT] }] } } },
      },
    });
    const pod = () => server.list('pods').find((p) => p.metadata.labels['job-name'] === name);
    await expect.poll(() => pod()?.status?.phase, { timeout: 20_000 }).toMatch(/Running|Succeeded/);
    const got: string[] = [];
    const follower = new LogFollower(new Log(kc), server.namespace, pod()!.metadata.name, 'main', { line: (text) => void got.push(text) });
    follower.start();
    await expect.poll(() => got.length, { timeout: 20_000 }).toBeGreaterThan(150);
    server.cutLogs();
    await expect.poll(() => pod()?.status?.phase, { timeout: 30_000 }).toBe('Succeeded');
    await follower.finish();
    expect(follower.follows).toBeGreaterThanOrEqual(2);

    // What the runtime wrote, in its file's order (stdout and stderr in one log file).
    const [id] = await server.containers();
    const raw = (await clientFor(local!.host).getContainer(id!).logs({ stdout: true, stderr: true, follow: false })) as Buffer;
    // A non-follow answer is one body of 8-byte-headed frames, in the file's order.
    let text = '';
    for (let i = 0; i + 8 <= raw.length; i += 8 + raw.readUInt32BE(i + 4)) text += raw.subarray(i + 8, i + 8 + raw.readUInt32BE(i + 4)).toString();
    const fileOrder = text.split('\n').filter(Boolean).map((l) => `${l}\n`);
    expect(fileOrder).toHaveLength(2 * LINES);
    expect(got).toEqual(fileOrder);
    await batch.deleteNamespacedJob({ name, namespace: server.namespace, propagationPolicy: 'Background' });
    await expect.poll(() => server.containers(), { timeout: 20_000 }).toEqual([]);
  });
});

if (skip) console.log(`k8s-log-order: skipped: ${local?.missing ?? 'no local Docker engine'}`);
