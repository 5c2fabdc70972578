// A server started empty (--no-demo) and with API tokens: every page says what to do next instead
// of showing a blank page, a 401 asks for the token, and the token, once given, is used.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  screenshot,
  startBrowser,
  startServer,
  type Browser,
  type Server,
  checkAfterTest,
} from './harness';

const TOKEN = 'web-test-admin-token';
let server: Server;
let browser: Browser;
let page: Page;
let scratch: string;

describe('an empty server with API tokens', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'smartchurn-web-tokens-'));
    const tokens = join(scratch, 'tokens.txt');
    writeFileSync(tokens, `${TOKEN} admin tester\n`);
    server = await startServer({ demo: false, args: ['--tokens', tokens] });
    browser = await startBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });
  afterEach(async (context) => checkAfterTest(browser, page, 'failed-tokens-', context.task));

  it('a 401 shows the server’s message and asks for the token', async () => {
    browser.expectFailedRequest('/api/v1/dashboard/summary');
    await page.goto(`${server.url}/`);
    await page.locator('.state-error').waitFor();
    await expect(page.locator('.state-error h3').innerText()).resolves.toBe(
      'This server needs an API token',
    );
    await expect(page.locator('.error-message').innerText()).resolves.not.toBe('');
    await screenshot(page, 'token-needed-desktop');

    browser.expectFailedRequest('/api/v1/dashboard/summary');
    await page.getByLabel('API token').fill('wrong-token');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.state-error').waitFor();
    await expect(page.locator('.state-error h3').innerText()).resolves.toBe(
      'This server needs an API token',
    );

    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.state-empty').waitFor();
    await expect(page.locator('.state-empty h3').innerText()).resolves.toBe(
      'No scored customers yet',
    );
  });

  it('every page has an empty state that points to the next step', async () => {
    const pages: [string, string, string][] = [
      ['', 'No scored customers yet', 'Upload data'],
      ['#/customers', 'No scored customers yet', 'Score customers'],
      ['#/score', 'No active model', 'Train a model'],
      ['#/data', 'No data yet', ''],
      ['#/train', 'No data to train on', 'Upload data'],
      ['#/models', 'No models yet', 'Train a model'],
    ];
    for (const [path, title, action] of pages) {
      await page.goto(`${server.url}/${path}`);
      await page.locator('.state-empty').waitFor();
      await expect(page.locator('.state-empty h3').innerText(), path).resolves.toBe(title);
      if (action)
        await expect(page.locator('.state-empty a.btn').innerText(), path).resolves.toBe(action);
    }
    await screenshot(page, 'models-empty-desktop');
  });

  it('an unknown page and an unknown model say so', async () => {
    await page.goto(`${server.url}/#/nowhere`);
    await expect(page.locator('.state-empty h3').innerText()).resolves.toBe('Page not found');
    browser.expectFailedRequest('/api/v1/models/42');
    await page.goto(`${server.url}/#/models/42`);
    await page.locator('.state-error').waitFor();
    await expect(page.locator('.error-message').innerText()).resolves.toBe(
      'model 42 does not exist',
    );
  });
});
