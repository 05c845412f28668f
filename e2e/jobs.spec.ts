// The whole path a user takes, once per engine: drop template files, save, run, watch the log,
// read the badge, cancel, retry, filter the history. Screenshots of each view come from the Docker pass.
import { expect, test } from '@playwright/test';
import { dropFiles, go, jobBadge, jobDetail, logText, runTemplate } from './support/app';
import { docShot } from './support/core-journeys';
import { useAppPage } from './support/appPage';
import { BAD_FILE, HELLO_LINES, names, templateFiles, type EngineKind } from './support/templates';

for (const engine of ['docker', 'podman'] as const satisfies readonly EngineKind[]) {
  test.describe(`${engine}`, () => {
    test.describe.configure({ mode: 'serial' });
    const n = names(engine);
    const screenshots = engine === 'docker';
    const page = useAppPage();

    test('the engine is listed as available', async () => {
      await go(page(), 'Engines');
      const card = page().getByTestId('engine-card').filter({ hasText: engine }).first();
      await expect(card).toContainText(/available/);
      await expect(card).not.toContainText(/unavailable/);
      if (screenshots) await docShot(page(), 'engines');
    });

    test('dropped template files are previewed with their errors, and the good ones saved', async () => {
      await dropFiles(page(), [...templateFiles(engine), BAD_FILE]);
      const preview = page().getByTestId('import-preview');
      await expect(preview).toBeVisible();
      await expect(preview.getByTestId('import-file')).toHaveCount(4);
      await expect(preview.locator('[data-testid="import-file"][data-ok="true"]')).toHaveCount(3);
      const bad = preview.locator('[data-testid="import-file"][data-ok="false"]');
      await expect(bad).toContainText('broken.yaml');
      await expect(bad.getByTestId('import-error').first()).toBeVisible();
      if (screenshots) await docShot(page(), 'templates');
      await preview.getByTestId('import-save').click();
      await expect(preview).toBeHidden();
      for (const name of Object.values(n)) await expect(page().getByTestId('template-row').filter({ hasText: name })).toHaveCount(1);
      await expect(page().getByTestId('template-row').filter({ hasText: 'broken' })).toHaveCount(0);
    });

    test('a run shows its log lines live and ends with a green badge', async () => {
      await runTemplate(page(), n.hello);
      const log = logText(page());
      // The first line arrives while the job still runs (the last comes seconds later).
      await expect(log).toContainText('hello-line-1');
      await expect(jobBadge(page())).toHaveAttribute('data-tone', 'info');
      await expect(log).toContainText(`hello-line-${HELLO_LINES}`);
      await expect(log).toContainText('oops-on-stderr');
      await expect(jobBadge(page())).toHaveAttribute('data-tone', 'success');
      await expect(jobBadge(page())).toHaveText('0');
      // The secret env value never reaches the page.
      await expect(page().locator('body')).not.toContainText('s3cret-value');
      if (screenshots) {
        await docShot(page(), 'job-detail');
        // The README's picture: a finished job, its numbered log, badge and timeline.
        await page().screenshot({ path: 'docs/screenshot.png' });
      }
    });

    test('exit 3 turns the badge red, and a retry runs a second attempt', async () => {
      await runTemplate(page(), n.fail);
      await expect(logText(page())).toContainText('about-to-fail');
      await expect(jobBadge(page())).toHaveAttribute('data-tone', 'error');
      await expect(jobBadge(page())).toContainText('3');
      await expect(jobBadge(page())).toHaveAttribute('title', /non-zero exit code|exit code 3/);
      await jobDetail(page()).getByRole('button', { name: 'Retry', exact: true }).click();
      await expect(jobDetail(page()).getByText(/attempt\s*#?\s*2|#2/i).first()).toBeVisible();
      await expect(jobBadge(page())).toHaveAttribute('data-tone', 'error');
    });

    test('a running job can be cancelled', async () => {
      await runTemplate(page(), n.slow);
      await expect(logText(page())).toContainText('slow-started');
      if (screenshots) {
        await go(page(), 'Queue');
        await expect(page().getByTestId('running-row').filter({ hasText: n.slow })).toHaveCount(1);
        await docShot(page(), 'queue');
        await page().getByTestId('running-row').filter({ hasText: n.slow }).click();
      }
      await jobDetail(page()).getByRole('button', { name: 'Cancel', exact: true }).click();
      await expect(jobBadge(page())).toHaveAttribute('data-tone', 'neutral', { timeout: 60_000 });
      await expect(jobDetail(page())).toContainText(/cancelled/i);
    });

    test('the history filters by text and status', async () => {
      await go(page(), 'History');
      const rows = page().getByTestId('history-row');
      await expect(rows.filter({ hasText: n.hello }).first()).toBeVisible();
      await page().getByPlaceholder(/Search/).first().fill(n.fail);
      await expect(rows.filter({ hasText: n.fail }).first()).toBeVisible();
      await expect(rows.filter({ hasText: n.hello })).toHaveCount(0);
      await expect(rows.first().getByTestId('exit-badge')).toHaveAttribute('data-tone', 'error');
      await page().getByPlaceholder(/Search/).first().fill(engine === 'docker' ? 'e2e-' : `-${engine}`);
      const status = page().getByTestId('history-view').locator('select').first();
      await status.selectOption('completed');
      await expect(rows.filter({ hasText: n.hello }).first()).toBeVisible();
      await expect(rows.filter({ hasText: n.fail })).toHaveCount(0);
      await expect(rows.filter({ hasText: n.slow })).toHaveCount(0);
      await status.selectOption('');
      if (screenshots) {
        await page().getByPlaceholder(/Search/).first().fill('');
        await expect(rows.filter({ hasText: n.slow }).first()).toBeVisible();
        await docShot(page(), 'history');
      }
    });

    if (screenshots) {
      test('dashboard and settings', async () => {
        await go(page(), 'Dashboard');
        await expect(page().getByTestId('dashboard-view')).toBeVisible();
        // The figures have come and the chart has drawn: what the shot is for.
        await expect(page().getByTestId('chart-range')).toBeVisible();
        await expect(page().getByTestId('duration-chart').locator('canvas').first()).toBeVisible();
        await docShot(page(), 'dashboard');
        await go(page(), 'Settings');
        await expect(page().getByTestId('settings-view')).toBeVisible();
        await docShot(page(), 'settings');
      });
    }
  });
}
