// One browser context and page for a spec file or a describe block, open on the app from the
// block's first hook to after its last. What about every spec wrote as its own beforeAll/afterAll.
//
//   import { useAppPage } from './support/appPage';
//
//   test.describe('my journeys', () => {
//     test.describe.configure({ mode: 'serial' });
//     const page = useAppPage({ acceptDownloads: true, beforeClose: (p) => deleteTemplate(p, T) });
//     test.beforeAll(async () => importTemplate(page(), T, templateYaml(T, 'echo hi')));
//     test('runs', async () => {
//       await runTemplate(page(), T);
//     });
//   });
//
// - Call it at the top of the file or of a describe, before that block's own hooks: its beforeAll
//   opens the page first, so theirs find it. The block is usually serial (its tests share the page).
// - `page` is a getter, not the Page: the page exists only from the block's beforeAll on
//   (Playwright makes browsers in hooks, not at import), and a Proxy standing in for a Page is not
//   safe (Playwright's own checks and `expect(page)` want the real object).
// - A context of its own (browser.newContext, so axe's expectAccessible works), 1280×800 unless
//   the options say otherwise; the other options are the context's (acceptDownloads, colorScheme,
//   permissions…). The page's uncaught errors are printed, as a failing journey wants them.
// - `open: false` leaves the page blank, for a test that listens before the first load and calls
//   openApp itself. `beforeClose` runs with the page before its context closes: Playwright runs a
//   block's afterAll hooks in the order they were declared, so a clean-up that needs the page
//   (deleting its templates) goes there, not in an afterAll of the spec's own.
import { test, type BrowserContextOptions, type Page } from '@playwright/test';
import { openApp } from './app';

export interface AppPageOptions extends BrowserContextOptions {
  /** Go to the app in beforeAll (default); false leaves the page blank. */
  open?: boolean;
  /** Clean-up that needs the page, run before its context closes (also when a test failed). */
  beforeClose?: (page: Page) => Promise<unknown>;
}

export function useAppPage(options: AppPageOptions = {}): () => Page {
  const { open = true, beforeClose, ...contextOptions } = options;
  let page: Page | undefined;
  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...contextOptions });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    if (open) await openApp(page);
  });
  test.afterAll(async () => {
    const done = page;
    if (!done) return;
    try {
      if (beforeClose) await beforeClose(done);
    } finally {
      page = undefined;
      await done.context().close();
    }
  });
  return () => {
    if (!page) throw new Error('useAppPage: the page is there from the block’s beforeAll to its afterAll only');
    return page;
  };
}
