// Dependencies as a graph: a job that runs after two others (fan-in) shows both upstream jobs
// with their badges, a click goes to one, whose page shows the fan-out below it; a dependency
// that would close a cycle is refused with the cycle named.
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { dropFiles, go, jobBadge, jobDetail, resumeQueue, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { screenshot } from './support/shell';
import { templateDrop } from './support/templates';

test.describe.configure({ mode: 'serial' });
const page = useAppPage({ beforeClose: resumeQueue });

const A = 'dg-fetch';
const B = 'dg-build';
const C = 'dg-report';
const X = 'dg-cycle-x';
const Y = 'dg-cycle-y';

test.beforeAll(async () => {
  await dropFiles(page(), [
    templateDrop(A, 'echo dg-fetch'),
    templateDrop(B, 'echo dg-build; exit 0'),
    templateDrop(C, 'echo dg-report'),
    templateDrop(X, 'echo x'),
    templateDrop(Y, 'echo y'),
  ]);
  const preview = page().getByTestId('import-preview');
  await preview.getByTestId('import-save').click();
  await expect(preview).toBeHidden();
});

/** The job page's id, once the run has ended with exit code 0. */
async function runToEnd(name: string): Promise<string> {
  await runTemplate(page(), name);
  await expect(jobBadge(page())).toHaveText('0');
  return (await jobDetail(page()).getAttribute('data-job-id'))!;
}

/** Templates → Run → Run after the given jobs (searched by name) → Run; ends on the new job's page. */
async function runAfter(name: string, upstream: { name: string; id: string }[]): Promise<string> {
  await go(page(), 'Templates');
  await page().getByTestId('template-row').filter({ hasText: name }).getByRole('button', { name: 'Run', exact: true }).click();
  const dialog = page().getByRole('dialog', { name: 'Run template' });
  for (const u of upstream) {
    await dialog.getByLabel('Find a job or template to run after').fill(u.name);
    await dialog.getByTestId('dep-option').filter({ hasText: u.id.slice(0, 8) }).click();
  }
  await expect(dialog.getByTestId('dep-chosen')).toHaveCount(upstream.length);
  await dialog.getByTestId('run-submit').click();
  await expect(dialog).toBeHidden();
  await expect(jobDetail(page())).toContainText(name);
  return (await jobDetail(page()).getAttribute('data-job-id'))!;
}

const node = (id: string) => page().getByTestId('dependency-graph').locator(`[data-testid="graph-node"][data-job-id="${id}"]`);

test('a fan-in job: both upstream jobs in its graph with their badges; a click goes to one', async () => {
  const a = await runToEnd(A);
  const b = await runToEnd(B);
  const c = await runAfter(C, [
    { name: A, id: a },
    { name: B, id: b },
  ]);
  await expect(jobBadge(page())).toHaveText('0');
  const graph = page().getByTestId('dependency-graph');
  await expect(graph.getByTestId('graph-summary')).toHaveText('Runs after 2 jobs; 0 jobs run after it.');
  await expect(graph.getByTestId('graph-node')).toHaveCount(3);
  for (const id of [a, b]) {
    await expect(node(id)).toHaveAttribute('data-status', 'completed');
    await expect(node(id).getByTestId('exit-badge')).toHaveText('0');
  }
  await expect(node(c)).toHaveAttribute('aria-current', 'page');
  // Two edges into this job, drawn as such.
  await expect(graph.locator('.react-flow__edge')).toHaveCount(2);
  await screenshot(page(), 'dependency-graph');
  await expectAccessible(page(), 'a fan-in job page with its dependency graph');

  await node(a).click();
  await expect(jobDetail(page())).toHaveAttribute('data-job-id', a);
  await expect(page().getByTestId('dependency-graph').getByTestId('graph-summary')).toHaveText('Runs after 0 jobs; 1 job runs after it.');
  await expect(node(c)).toContainText(C);
  await expectAccessible(page(), 'the upstream job page with its dependency graph');

  // The template's editor shows the chain its jobs made: fetch and build before report.
  await go(page(), 'Templates');
  await page().getByTestId('template-row').filter({ hasText: C }).getByRole('button', { name: 'Edit', exact: true }).click();
  const editor = page().getByTestId('template-editor');
  const chain = editor.getByTestId('template-chain');
  await expect(chain.getByTestId('chain-node')).toHaveCount(3);
  for (const name of [A, B]) await expect(chain.getByTestId('chain-node').filter({ hasText: name })).toHaveText(name);
  await expect(chain.getByTestId('chain-node').filter({ hasText: 'this template' })).toHaveText(`${C}this template`);
  await expect(chain.locator('.react-flow__edge')).toHaveCount(2);
  await chain.scrollIntoViewIfNeeded();
  await screenshot(page(), 'template-chain');
  await expectAccessible(page(), 'the template editor with its chain');
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await expect(editor).toBeHidden();
});

test('a dependency that would close a cycle is refused, the cycle named', async () => {
  // Paused, so that both stay pending while their dependencies are changed.
  await go(page(), 'Queue');
  await page().getByTestId('pause-toggle').click();
  await expect(page().getByTestId('pause-toggle')).toHaveText('Resume queue');
  await runTemplate(page(), X);
  const x = (await jobDetail(page()).getAttribute('data-job-id'))!;
  const y = await runAfter(Y, [{ name: X, id: x }]);
  await expect(node(x)).toBeVisible();

  await node(x).click();
  await expect(jobDetail(page())).toHaveAttribute('data-job-id', x);
  const graph = page().getByTestId('dependency-graph');
  await graph.getByTestId('run-after-open').click();
  await graph.getByLabel('Find a job or template to run after').fill(Y);
  await graph.getByTestId('dep-option').filter({ hasText: y.slice(0, 8) }).click();
  await graph.getByTestId('run-after-save').click();
  await expect(graph.getByTestId('run-after-error')).toHaveText(
    `a job cannot run after itself: job ${X} ${x.slice(0, 8)} → job ${Y} ${y.slice(0, 8)} → job ${X} ${x.slice(0, 8)}`,
  );
  await screenshot(page(), 'dependency-cycle');
  await expectAccessible(page(), 'a refused dependency cycle');

  // Nothing changed: once resumed, x runs, then y after it.
  await go(page(), 'Queue');
  await page().getByTestId('pause-toggle').click();
  await expect(page().getByTestId('pending-row').filter({ hasText: 'dg-cycle' })).toHaveCount(0);
  await expect(page().getByTestId('running-row').filter({ hasText: 'dg-cycle' })).toHaveCount(0);
  await go(page(), 'History');
  await page().locator(`[data-testid="history-row"][data-job-id="${y}"]`).click();
  await expect(jobBadge(page())).toHaveText('0');
  await expect(node(x).getByTestId('exit-badge')).toHaveText('0');
});
