// Numbers that are right and layouts that hold (issue 8, items 11, 12, 14): what a person reads on
// the job page, the Engines cards and the Dashboard, and long values at 900 and 1280 px.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { dropFiles, go, jobDetail, logText, openApp } from './support/app';
import { useAppPage } from './support/appPage';
import {
  LONG_COMMAND,
  LONG_IMAGE,
  NUM,
  RETRY_BACKOFF_S,
  StatsGate,
  expectInViewport,
  failsUntil,
  kv,
  numShot,
  numberTemplates,
} from './support/numbers';

test.describe.configure({ mode: 'serial' });

const page = useAppPage();

test.beforeAll(async () => {
  await go(page(), 'Templates');
  await dropFiles(page(), numberTemplates());
  const preview = page().getByTestId('import-preview');
  await expect(preview).toBeVisible();
  await preview.getByTestId('import-save').click();
  await expect(preview).toBeHidden();
  for (const name of Object.values(NUM)) await expect(page().getByTestId('template-row').filter({ hasText: name })).toHaveCount(1);
});

/** Templates → Run → (a command typed in the run dialog) → Run; ends on the new job's page. */
async function run(p: Page, name: string, command?: string): Promise<void> {
  await go(p, 'Templates');
  await p.getByTestId('template-row').filter({ hasText: name }).getByRole('button', { name: 'Run', exact: true }).click();
  const dialog = p.getByRole('dialog');
  if (command !== undefined) await dialog.getByLabel('Command').fill(command);
  await p.getByTestId('run-submit').click();
  await expect(jobDetail(p)).toContainText(name);
}

// Here, not in support/: the page's DOM types are in the e2e tsconfig only.
/** Nothing scrolls sideways: not the document, not the main pane, not a dialog. */
async function expectNoHorizontalOverflow(page: Page, what: string): Promise<void> {
  const widths = await page.evaluate(() => {
    const out: { name: string; scroll: number; client: number }[] = [];
    const doc = document.scrollingElement!;
    out.push({ name: 'document', scroll: doc.scrollWidth, client: doc.clientWidth });
    for (const sel of ['main', '.modal', '.modal-body', '.vbody', '.job-side', '.toast', '.view-head']) {
      for (const el of Array.from(document.querySelectorAll(sel))) out.push({ name: sel, scroll: el.scrollWidth, client: el.clientWidth });
    }
    return out;
  });
  for (const w of widths) expect(w.scroll, `${what}: ${w.name} scrolls sideways (${w.scroll} > ${w.client})`).toBeLessThanOrEqual(w.client);
}

const timings = (p: Page) => jobDetail(p).locator('.panel').filter({ has: p.getByRole('heading', { name: 'Timings' }) });

async function stamps(el: Locator): Promise<{ from: number; to: number; ms: number }> {
  const [from, to, ms] = await Promise.all([el.getAttribute('data-from'), el.getAttribute('data-to'), el.getAttribute('data-ms')]);
  const s = { from: Date.parse(from ?? ''), to: Date.parse(to ?? ''), ms: Number(ms) };
  expect(Object.values(s).every(Number.isFinite), `stamps of ${el.toString()}: ${from} ${to} ${ms}`).toBe(true);
  return s;
}

test('a job that fails once and succeeds on its retry: Retries 1, and the attempts add up to the job', async () => {
  test.setTimeout(120_000);
  // Attempt 1 runs before this moment and fails; the retry starts a backoff later and succeeds.
  await run(page(), NUM.retry, failsUntil(Date.now() + 6_000));
  await expect(jobDetail(page())).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
  await expect(kv(timings(page()), 'Retries')).toHaveText('1 / 1');

  const attempts = jobDetail(page()).getByTestId('attempt');
  await expect(attempts).toHaveCount(2);
  const a1 = await stamps(attempts.nth(0));
  const a2 = await stamps(attempts.nth(1));
  const job = await stamps(kv(timings(page()), 'Duration'));
  // One function over the same stamps: the job runs from its first attempt's start to its last one's end.
  expect(job.from).toBe(a1.from);
  expect(job.to).toBe(a2.to);
  for (const s of [a1, a2, job]) expect(s.ms).toBe(s.to - s.from);
  expect(a2.from - a1.to).toBeGreaterThanOrEqual(RETRY_BACKOFF_S * 1000 - 1000);
  expect(job.ms).toBeGreaterThanOrEqual(a1.ms + a2.ms);
  await numShot(page(), 'numbers-retry');
  await expectAccessible(page(), 'job page after a retry');
  // The History row reads the same number as the job page.
  const id = await jobDetail(page()).getAttribute('data-job-id');
  const shown = await kv(timings(page()), 'Duration').textContent();
  await go(page(), 'History');
  await expect(page().locator(`[data-testid="history-row"][data-job-id="${id}"] > span`).last()).toHaveText(shown ?? '');
});

test('a job that fails on its retry too still counts one retry, not two failures', async () => {
  await run(page(), NUM.retry, 'exit 1');
  // The first failure waits out the backoff, the second ends the job.
  await expect(jobDetail(page())).toHaveAttribute('data-status', 'failed', { timeout: 90_000 });
  await expect(jobDetail(page()).getByTestId('attempt')).toHaveCount(2);
  await expect(kv(timings(page()), 'Retries')).toHaveText('1 / 1');
  // One state pill in the header, not "failed" twice or "running" twice.
  await expect(jobDetail(page()).locator('.view-head').getByText('failed', { exact: true })).toHaveCount(1);
  await expectAccessible(page(), 'job page after a failed retry');
});

test('a running job shows one "running", and its engine card Running 1 while it runs, 0 after; Checked keeps moving', async () => {
  await run(page(), NUM.slow);
  await expect(logText(page())).toContainText('num-slow-started');
  await expect(jobDetail(page()).locator('.view-head').getByText('running', { exact: true })).toHaveCount(1);
  await expectAccessible(page(), 'job page while it runs');
  await go(page(), 'Engines');
  const card = page().locator('[data-testid="engine-card"][data-engine="docker"]');
  await expect(kv(card, 'Running')).toHaveText('1');
  const checked = kv(card, 'Checked');
  await expect(checked).toHaveText(/^(just now|\d+ s ago)$/);
  const first = await checked.getAttribute('data-checked-at');
  expect(first).toBeTruthy();
  // The host probes its engines every few seconds; the card follows without a reload.
  await expect.poll(() => checked.getAttribute('data-checked-at'), { timeout: 20_000 }).not.toBe(first);
  await expect(kv(card, 'Running')).toHaveText('0', { timeout: 60_000 });
  await expect(checked).toHaveText(/^(just now|\d+ s ago)$/);
  await numShot(page(), 'numbers-engines');
  await expectAccessible(page(), 'Engines');
});

test('an Indexed job with three completions names its attempts by index', async () => {
  await run(page(), NUM.indexed);
  await expect(jobDetail(page())).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
  const tabs = jobDetail(page()).locator('.tabs').getByRole('button');
  await expect(tabs).toHaveText(['index 0 · attempt 1', 'index 1 · attempt 1', 'index 2 · attempt 1']);
  await tabs.nth(1).click();
  await expect(logText(page())).toContainText('num-index-1');
  await expect(jobDetail(page()).getByTestId('attempt')).toHaveCount(3);
  await expect(jobDetail(page()).getByTestId('attempt').nth(2)).toContainText('index 2 · attempt 1');
  await numShot(page(), 'numbers-indexed');
  await expectAccessible(page(), 'Indexed job page');
});

test('the dashboard range switch shows that it loads, then an axis that ends now and spans the range', async ({ browser }) => {
  const dash = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const gate = new StatsGate();
  await gate.install(dash);
  await openApp(dash);
  await go(dash, 'Dashboard');
  const chart = dash.getByTestId('duration-chart');
  const range = async (): Promise<{ min: number; max: number }> => ({
    min: Number(await chart.getAttribute('data-x-min')),
    max: Number(await chart.getAttribute('data-x-max')),
  });
  await expect(chart).toBeVisible();
  let r = await range();
  expect(r.max - r.min).toBe(7 * 86_400_000);

  gate.holding = true;
  await dash.getByRole('button', { name: '24h', exact: true }).click();
  await gate.waitHeld();
  await expect(dash.getByRole('button', { name: '24h', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(dash.getByTestId('dashboard-view').getByRole('status')).toHaveText(/Loading/);
  // No figures of the old range under the new button.
  await expect(dash.getByText('Success rate')).toHaveCount(0);
  await expect(chart).toHaveCount(0);
  gate.release();

  await expect(chart).toBeVisible();
  r = await range();
  expect(r.max - r.min).toBe(86_400_000);
  expect(Math.abs(r.max - Date.now())).toBeLessThan(60_000);
  await expect(dash.getByTestId('chart-range')).toContainText('now');

  await dash.getByRole('button', { name: '30d', exact: true }).click();
  await expect.poll(async () => (await range()).max - (await range()).min).toBe(30 * 86_400_000);
  await expect(dash.getByTestId('dashboard-view')).toContainText(NUM.retry);
  // Failures by template: each bar is as long as the share its figure reads (1/2 is half a bar).
  for (const row of await dash.locator('.bar-row').all()) {
    const [failed, total] = (await row.locator('.mono').innerText()).split('/').map(Number);
    const track = (await row.locator('.bar').boundingBox())!.width;
    const bar = (await row.locator('.bar > div').boundingBox())!.width;
    expect(Math.abs(bar / track - failed! / total!), `bar of ${await row.innerText()}`).toBeLessThan(0.02);
  }
  await numShot(dash, 'numbers-dashboard');
  await expectAccessible(dash, 'Dashboard');
  await dash.context().close();
});

test('a 300-character image and a long unbroken command never break a layout, at 1280 and 900 px', async () => {
  test.setTimeout(180_000);
  await go(page(), 'Queue');
  const toggle = page().getByTestId('pause-toggle');
  const wasPaused = (await toggle.textContent())?.includes('Resume') ?? false;
  if (!wasPaused) {
    await toggle.click();
    await expect(toggle).toHaveText('Resume queue');
  }
  try {
    let jobId: string | null = null;
    for (const width of [1280, 900]) {
      await page().setViewportSize({ width, height: 800 });
      // Run dialog: what will run, in full on hover.
      await go(page(), 'Templates');
      const row = page().getByTestId('template-row').filter({ hasText: NUM.long });
      await expect(row.locator(`[title="${LONG_IMAGE}"]`)).toBeVisible();
      await expectInViewport(page(), row.getByRole('button', { name: 'Delete' }), `Templates row's Delete at ${width}`);
      await expectNoHorizontalOverflow(page(), `Templates at ${width}`);
      await numShot(page(), `numbers-long-templates-${width}`);
      await row.getByRole('button', { name: 'Run', exact: true }).click();
      const dialog = page().getByRole('dialog');
      await expect(dialog.locator(`[title="${LONG_IMAGE}"]`)).toBeVisible();
      await expect(dialog.locator(`[title="${LONG_COMMAND}"]`)).toBeVisible();
      await expectInViewport(page(), page().getByTestId('run-submit'), `run dialog's Run at ${width}`);
      await expectNoHorizontalOverflow(page(), `run dialog at ${width}`);
      await numShot(page(), `numbers-long-run-dialog-${width}`);
      if (jobId === null) {
        await page().getByTestId('run-submit').click();
        await expect(jobDetail(page())).toHaveAttribute('data-status', 'pending');
        jobId = await jobDetail(page()).getAttribute('data-job-id');
      } else {
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await go(page(), 'History');
        await page().getByTestId('history-row').filter({ hasText: NUM.long }).first().click();
      }
      // Job page: image and command in full, wrapped, inside the side panel.
      await expect(kv(jobDetail(page()), 'Image')).toHaveText(LONG_IMAGE);
      // The argv the container runs, quoted as a shell needs it (a script string runs as sh -c).
      await expect(kv(jobDetail(page()), 'Command')).toHaveText(`sh -c '${LONG_COMMAND}'`);
      await expectInViewport(page(), kv(jobDetail(page()), 'Image'), `job page's image at ${width}`);
      await expectInViewport(page(), jobDetail(page()).getByRole('button', { name: 'Cancel', exact: true }), `job page's Cancel at ${width}`);
      await expectNoHorizontalOverflow(page(), `job page at ${width}`);
      await numShot(page(), `numbers-long-job-${width}`);
      // Queue: the pending row truncates, the whole value on hover.
      await go(page(), 'Queue');
      const pending = page().locator(`[data-testid="pending-row"][data-job-id="${jobId}"]`);
      await expect(pending.locator(`[title="${LONG_IMAGE}"]`)).toBeVisible();
      await expectInViewport(page(), pending.getByRole('button', { name: 'Cancel' }), `Queue row's Cancel at ${width}`);
      await expectNoHorizontalOverflow(page(), `Queue at ${width}`);
      await numShot(page(), `numbers-long-queue-${width}`);
      // History: every column on screen.
      await go(page(), 'History');
      const hist = page().locator(`[data-testid="history-row"][data-job-id="${jobId}"]`);
      await expect(hist.locator(`[title="${NUM.long}"]`)).toBeVisible();
      await expectInViewport(page(), hist.locator('span').last(), `History row's last column at ${width}`);
      await expectNoHorizontalOverflow(page(), `History at ${width}`);
      await numShot(page(), `numbers-long-history-${width}`);
      await expectAccessible(page(), `History at ${width}`);
    }
    await go(page(), 'Queue');
    await page().locator(`[data-testid="pending-row"][data-job-id="${jobId}"]`).getByRole('button', { name: 'Cancel' }).click();
    await expect(page().locator(`[data-testid="pending-row"][data-job-id="${jobId}"]`)).toHaveCount(0);
    await expectAccessible(page(), 'Queue');
    // The cancelled job's name is in the Dashboard's tables now: they hold at 900 px too.
    await go(page(), 'Dashboard');
    await expect(page().getByTestId('dashboard-view').locator(`[title="${NUM.long}"]`).first()).toBeVisible();
    await expectNoHorizontalOverflow(page(), 'Dashboard at 900');
    await numShot(page(), 'numbers-long-dashboard-900');
    await expectAccessible(page(), 'Dashboard at 900');
  } finally {
    await page().setViewportSize({ width: 1280, height: 800 });
    if (!wasPaused) {
      await go(page(), 'Queue');
      await page().getByTestId('pause-toggle').click();
      await expect(page().getByTestId('pause-toggle')).toHaveText('Pause queue');
    }
  }
});
