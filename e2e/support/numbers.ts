// Helpers of the numbers journeys (e2e/numbers-journeys.spec.ts): their template files, reading a
// label/value pair the way a person reads it, layout checks, and a gate on the host's replies.
import { expect, type Locator, type Page, type WebSocketRoute } from '@playwright/test';
import { TEST_IMAGE } from './env';
import type { DropFile } from './templates';

/** Template names of these journeys: all start with `num-`, unique in the shared host. */
export const NUM = {
  retry: 'num-retry-once',
  slow: 'num-slow-docker',
  indexed: 'num-indexed-three',
  long: `num-long-${'n'.repeat(100)}`,
} as const;

/** 300 characters that Docker still takes as a reference: a 255-character name and a 44-character tag. */
export const LONG_IMAGE = `example.com/${'a'.repeat(243)}:v${'1'.repeat(43)}`;
export const LONG_COMMAND = `echo ${'x'.repeat(400)}`;
export const LONG_DESCRIPTION = 'd'.repeat(300);

/**
 * The retry template backs off this long, so its second attempt starts well after its first: with
 * failsUntil(now + 6 s), attempt 2 checks the clock at least 1 + 6 + 1 s after the start, past the
 * moment (12 s waited twice as long for nothing).
 */
export const RETRY_BACKOFF_S = 6;

function yaml(fields: Record<string, unknown>, extra = ''): DropFile {
  const lines = ['apiVersion: jobdeck/v1', 'kind: Template', ...Object.entries(fields).map(([k, v]) => `${k}: ${JSON.stringify(v)}`), extra];
  return { name: `${String(fields.name)}.yaml`, mimeType: 'application/yaml', buffer: Buffer.from(lines.filter(Boolean).join('\n')) };
}

const base = { image: TEST_IMAGE, network: 'none', pullPolicy: 'IfNotPresent' };

export function numberTemplates(): DropFile[] {
  return [
    // The command is given in the run dialog (it carries the moment that tells attempt 1 from 2).
    yaml({ name: NUM.retry, ...base, engine: 'docker', command: 'echo num-placeholder; exit 1' }, `retry:\n  limit: 1\n  backoffInitialSeconds: ${RETRY_BACKOFF_S}`),
    yaml({ name: NUM.slow, ...base, engine: 'docker', command: 'echo num-slow-started; sleep 8; echo num-slow-done' }),
    yaml({
      name: NUM.indexed,
      ...base,
      engine: 'docker',
      command: 'echo num-index-$JOB_COMPLETION_INDEX; sleep 1',
      completions: 3,
      parallelism: 1,
      completionMode: 'Indexed',
    }),
    yaml({ name: NUM.long, description: LONG_DESCRIPTION, image: LONG_IMAGE, network: 'none', pullPolicy: 'Never', engine: 'docker', command: LONG_COMMAND }),
  ];
}

/** Attempt 1 (before `at`) fails, a later attempt succeeds: the moment is the only state they share. */
export function failsUntil(atMs: number): string {
  const at = Math.ceil(atMs / 1000);
  return `sleep 1; if [ $(date +%s) -lt ${at} ]; then echo num-early; exit 1; fi; sleep 1; echo num-late`;
}

/** The value a label names in a description list (<dt>label</dt><dd>value</dd>). */
export function kv(scope: Locator, label: string): Locator {
  return scope.locator(`xpath=.//dt[normalize-space(.)="${label}"]/following-sibling::dd[1]`);
}

/** Screenshots the journeys leave for people to look at. */
export async function numShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `docs/screenshots/${name}.png` });
}

/** The element is on screen horizontally: its box starts and ends inside the viewport. */
export async function expectInViewport(page: Page, el: Locator, what: string): Promise<void> {
  const box = await el.boundingBox();
  const width = page.viewportSize()!.width;
  expect(box, `${what} has no box`).not.toBeNull();
  expect(box!.x, `${what} starts left of the window`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what} ends right of the window (${width} px)`).toBeLessThanOrEqual(width + 0.5);
}

/**
 * Holds the page's stats.get requests until released, so the journey sees what the dashboard shows
 * while the figures of a new range are on their way. Everything else passes straight through.
 */
export class StatsGate {
  private held: (() => void)[] = [];
  holding = false;

  async install(page: Page): Promise<void> {
    await page.routeWebSocket(/\/ws\b/, (ws: WebSocketRoute) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const text = typeof message === 'string' ? message : message.toString();
        const isStats = (() => {
          try {
            return (JSON.parse(text) as { command?: string }).command === 'stats.get';
          } catch {
            return false;
          }
        })();
        if (isStats && this.holding) this.held.push(() => server.send(message));
        else server.send(message);
      });
    });
  }

  async waitHeld(): Promise<void> {
    await expect.poll(() => this.held.length).toBeGreaterThan(0);
  }

  release(): void {
    this.holding = false;
    for (const send of this.held.splice(0)) send();
  }
}
