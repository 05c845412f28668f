// Issue 15 items 5/6 and issue 11 item 5: an image pull a person can watch. A registry on loopback
// (test/support/localRegistry.ts) behind a gate (test/support/pullGate.ts) that holds the pull half
// way through its first layer blob, so the job page and the Queue row are seen with the pull's
// bytes and bar; released, the job runs and its log shows.
// A tag the registry lacks: the job page says what the registry said and what to try. Docker.
// Templates here start with `reach-pull-`.
import { expect, test } from '@playwright/test';
import { clientFor } from '../test/support/engines';
import { startLocalRegistry, type LocalRegistry } from '../test/support/localRegistry';
import { startPullGate, type PullGate } from '../test/support/pullGate';
import { expectAccessible } from './support/a11y';
import { go, jobBadge, jobDetail, logText, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { docShot, expectEnded, importTemplate } from './support/core-journeys';

const RUN = Date.now().toString(36);
const T = { pull: `reach-pull-${RUN}`, missing: `reach-pull-missing-${RUN}` };
const DOCKER = process.env.JOBDECK_TEST_DOCKER_HOST ?? 'unix:///var/run/docker.sock';

const yaml = (name: string, image: string) =>
  ['apiVersion: jobdeck/v1', 'kind: Template', `name: ${name}`, `image: "${image}"`, 'engine: docker', 'network: none', 'pullPolicy: Always', 'command: "echo pulled through the gate"'].join('\n');

test.describe('an image pull, seen', () => {
  test.describe.configure({ mode: 'serial' });
  const page = useAppPage();
  let registry: LocalRegistry;
  let gate: PullGate;
  let pulledRef = '';

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    const docker = clientFor(DOCKER);
    registry = await startLocalRegistry(docker, [docker]);
    const tag = `journey-${RUN}`;
    await registry.push(tag);
    // The manifest and config pass, the new layer's first half too: the rest waits for release().
    gate = await startPullGate(registry);
    pulledRef = `${gate.host}/jobdeck-test:${tag}`;
    await go(page(), 'Templates');
    await importTemplate(page(), T.pull, yaml(T.pull, pulledRef));
    await importTemplate(page(), T.missing, yaml(T.missing, registry.ref(`no-such-tag-${RUN}`)));
  });
  test.afterAll(async () => {
    await gate?.stop();
    if (pulledRef) await registry?.forget(pulledRef);
    await registry?.stop();
  });

  // The gate holds the pull before the job page opens: the page shows how far it got (jobs.pull),
  // with the bytes the core held back when the pull stalled.
  test('the job page and the Queue row show the pull with its bytes and bar, then the log', async () => {
    await runTemplate(page(), T.pull);
    const progress = jobDetail(page()).getByTestId('pull-progress');
    await expect(progress).toContainText(new RegExp(`Pulling image ${pulledRef.replace(/[.:]/g, '\\$&')}: \\d+ of \\d+ layers? · .+ of .+ \\(\\d+ %\\)`));
    await expect(progress.getByRole('progressbar', { name: `Pulling ${pulledRef}` })).toBeVisible();
    await docShot(page(), 'job-pull-progress');
    await expectAccessible(page(), 'a job page while its image is pulled');
    await go(page(), 'Queue');
    const row = page().getByTestId('running-row').filter({ hasText: T.pull });
    await expect(row.getByTestId('pull-progress-row')).toContainText(/\d+ %/);
    await expect(row.getByRole('progressbar', { name: `Pulling ${pulledRef}` })).toBeVisible();
    await docShot(page(), 'queue-pull-progress');
    await expectAccessible(page(), 'the Queue while an image is pulled');
    gate.release();
    await expect(row).toHaveCount(0, { timeout: 60_000 });
    await go(page(), 'History');
    await page().getByTestId('history-search').fill(T.pull);
    await page().getByTestId('history-row').filter({ hasText: T.pull }).first().click();
    await expectEnded(page());
    await expect(jobBadge(page())).toHaveAttribute('data-tone', 'success');
    await expect(logText(page())).toContainText('pulled through the gate');
    await expect(jobDetail(page()).getByTestId('pull-progress')).toHaveCount(0);
  });

  test('a tag the registry does not have: what the registry said, and what to try', async () => {
    await runTemplate(page(), T.missing);
    await expectEnded(page());
    await expect(jobBadge(page())).toHaveAttribute('data-tone', 'error');
    await expect(jobDetail(page())).toContainText(/could not pull 127\.0\.0\.1:\d+\/jobdeck-test:no-such-tag-\w+: .*(manifest unknown|not found)/i);
    await expect(jobDetail(page())).toContainText('use a tag this engine has (see Run an image)');
    await expect(jobDetail(page())).toContainText('set the pull policy to Never');
    await expectAccessible(page(), 'the job page of a tag the registry lacks');
  });
});
