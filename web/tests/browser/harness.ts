// Browser-test harness: a real `smartchurn serve` on a free port with a temporary data dir, and
// Debian's Chromium driven by playwright-core. Paths come from ctest's environment, with defaults
// for running by hand from web/ (`npm run test:browser`).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

const WEB = resolve(__dirname, '../..');
export const BINARY = process.env.SMARTCHURN_BINARY ?? join(WEB, '../build/smartchurn');
export const ARTIFACTS = process.env.SMARTCHURN_ARTIFACTS ?? join(WEB, '../build/web-artifacts');
export const SHARED_DATA = process.env.SMARTCHURN_SHARED_DATA ?? join(WEB, '../../shared/data');
export const CHROMIUM = process.env.SMARTCHURN_CHROMIUM ?? '/usr/bin/chromium';
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 375, height: 812 };

export interface Server {
  url: string;
  dataDir: string;
  stop: () => Promise<void>;
}

// Starts the server (which seeds the demo on an empty data dir) and waits for "listening on".
export async function startServer(
  options: { demo?: boolean; args?: string[] } = {},
): Promise<Server> {
  if (!existsSync(BINARY))
    throw new Error(`the smartchurn binary is not at ${BINARY}; build it first`);
  const root = mkdtempSync(join(tmpdir(), 'smartchurn-web-'));
  const dataDir = join(root, 'data');
  const args = ['serve', '--port', '0', '--data-dir', dataDir];
  if (options.demo === false) args.push('--no-demo');
  args.push(...(options.args ?? []));
  const child: ChildProcess = spawn(BINARY, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OMP_WAIT_POLICY: 'passive' },
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start in 90 s:\n${output}`)),
      90_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    });
  });
  expect(output, 'the binary should find the dashboard built next to it').toContain(
    'dashboard at /',
  );
  return {
    url,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  consoleErrors: string[];
  // A failed request the test causes on purpose (an unknown customer's 404) is not an error.
  expectFailedRequest: (urlPart: string) => void;
  close: () => Promise<void>;
}

// Chromium with a throwaway profile; every console error and page error is collected.
export async function startBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not at ${CHROMIUM}; run scripts/install-deps.sh`);
  const profile = mkdtempSync(join(tmpdir(), 'smartchurn-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: DESKTOP,
    acceptDownloads: true,
    reducedMotion: 'reduce', // charts draw at once, so screenshots show them finished
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  const expected: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url ?? '';
    const index = expected.findIndex(
      (part) => message.text().startsWith('Failed to load resource') && url.includes(part),
    );
    if (index >= 0) expected.splice(index, 1);
    else consoleErrors.push(`${message.text()}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  return {
    context,
    page,
    consoleErrors,
    expectFailedRequest: (urlPart: string) => expected.push(urlPart),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.mouse.move(0, 0); // no tooltip from wherever the last click left the pointer
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());
  await page.screenshot({ path, fullPage: true });
  return path;
}

// The page is no wider than the window: nothing to scroll sideways.
export async function expectNoHorizontalScroll(page: Page, what: string): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    window: window.innerWidth,
  }));
  expect(widths.scroll, `${what} scrolls sideways at ${widths.window} px`).toBeLessThanOrEqual(
    widths.window,
  );
}

// Waits until every chart inside `selector` has drawn.
export async function expectChartsRendered(page: Page, names: string[]): Promise<void> {
  for (const name of names) {
    await page
      .locator(`canvas[data-chart="${name}"][data-rendered="true"]`)
      .first()
      .waitFor({ timeout: 15_000 });
  }
}

export function sharedFile(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

// Opens a dashboard route and waits for `ready` and for any loading state to end.
export async function openRoute(
  page: Page,
  url: string,
  path: string,
  ready: string,
): Promise<void> {
  await page.goto(`${url}/${path}`);
  await page.locator(ready).first().waitFor({ timeout: 20_000 });
  await page
    .locator('.state-loading')
    .first()
    .waitFor({ state: 'detached', timeout: 20_000 })
    .catch(() => undefined);
}

// For afterEach: a screenshot of a failed test (named `prefix` + the test's name), and no console
// error left behind by any test.
export async function checkAfterTest(
  browser: Browser,
  page: Page,
  prefix: string,
  task: { name: string; result?: { state?: string } },
): Promise<void> {
  if (task.result?.state === 'fail')
    await screenshot(page, `${prefix}${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`);
  const errors = browser.consoleErrors.splice(0);
  expect(errors, 'console errors').toEqual([]);
}
