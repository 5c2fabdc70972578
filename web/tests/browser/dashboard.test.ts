// The dashboard on the demo data the server seeds on first start: every page, as a retention
// analyst uses it, on a desktop and on a 375 px phone, with no console errors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  BINARY,
  DESKTOP,
  PHONE,
  expectChartsRendered,
  expectNoHorizontalScroll,
  screenshot,
  startBrowser,
  startServer,
  type Browser,
  type Server,
  checkAfterTest,
  openRoute,
} from './harness';

let server: Server;
let browser: Browser;
let page: Page;
let scratch: string;

const open = (path: string, ready: string) => openRoute(page, server.url, path, ready);

async function downloadText(click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path!, 'utf8') };
}

describe('the dashboard on the demo data', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'smartchurn-web-files-'));
    server = await startServer();
    browser = await startBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });
  afterEach(async (context) => checkAfterTest(browser, page, 'failed-', context.task));

  it('overview: key figures, tiers, histogram, segments, trend and the active model', async () => {
    await open('', '.kpis');
    await expectChartsRendered(page, ['tiers', 'histogram', 'trend']);
    const segments = page.locator('canvas[data-chart^="segment-"][data-rendered="true"]');
    await segments.first().waitFor();
    expect(await segments.count()).toBeGreaterThanOrEqual(2);
    const summary = await (await fetch(`${server.url}/api/v1/dashboard/summary`)).json();
    const kpis = await page.locator('.kpi').allInnerTexts();
    expect(summary.customers_scored).toBeGreaterThan(4900); // the demo base, one row per customer id
    expect(kpis[0]).toContain(summary.customers_scored.toLocaleString('en-US'));
    expect(kpis[1]).toMatch(/\d+\.\d%/); // expected to leave
    expect(kpis[3]).toMatch(/\$[\d,.]+k?/); // revenue at risk
    await expect(page.locator('.tier-legend li').count()).resolves.toBe(3);
    await expect(page.locator('.model-card').innerText()).resolves.toMatch(/v1[\s\S]*0\.\d{3}/);
    await screenshot(page, 'overview-desktop');
  });

  it('overview: a segment bar and a tier lead to those customers', async () => {
    await open('', '.tier-legend');
    await page.locator('.tier-legend a', { hasText: 'High risk' }).click();
    await page.locator('.customers-table tbody tr').first().waitFor();
    expect(page.url()).toContain('tier=high');
    const tiers = await page.locator('.customers-table .badge').allInnerTexts();
    expect(tiers.length).toBeGreaterThan(0);
    expect(new Set(tiers)).toEqual(new Set(['High risk']));
  });

  it('customers: search, filter by tier and segment, sort, page and export the filtered list', async () => {
    await open('#/customers', '.customers-table tbody tr');
    expect(await page.locator('.customers-table tbody tr').count()).toBe(25);
    const total = (await (await fetch(`${server.url}/api/v1/customers?limit=1`)).json())
      .total as number;
    await expect(page.locator('.pager-info').first().innerText()).resolves.toContain(
      `of ${total.toLocaleString('en-US')} customers`,
    );
    const probabilities = (await page.locator('.customers-table .prob-text').allInnerTexts()).map(
      (t) => Number.parseFloat(t),
    );
    expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities); // riskiest first

    await page.getByRole('button', { name: 'Next →' }).click();
    await expect
      .poll(() => page.locator('.pager-info').first().innerText())
      .toContain('Showing 26–50');

    await page.getByLabel('Risk tier').selectOption('medium');
    await expect
      .poll(async () => new Set(await page.locator('.customers-table .badge').allInnerTexts()))
      .toEqual(new Set(['Medium risk']));
    await expect
      .poll(() => page.locator('.pager-info').first().innerText())
      .toContain('Showing 1–');

    const segment = page.getByLabel('Segment');
    await segment.selectOption({ index: 1 });
    await expect.poll(() => page.url()).toContain('segment=');
    await page.locator('.customers-table tbody tr, .state-empty').first().waitFor();
    const filteredTotal = Number(
      (await page.locator('.pager-info').first().innerText())
        .match(/of ([\d,]+) customers/)![1]
        .replace(/,/g, ''),
    );
    expect(filteredTotal).toBeGreaterThan(0);

    const exported = await downloadText(() =>
      page.getByRole('button', { name: 'Export CSV' }).click(),
    );
    const lines = exported.text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('customer_id,churn_probability,risk_tier,recommended_action,scored_at');
    expect(lines.length - 1).toBe(filteredTotal);
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'medium')).toBe(true);
    expect(exported.name).toMatch(/^customers-medium-.*\.csv$/);
    await screenshot(page, 'customers-desktop');

    await page.getByLabel('Search').fill('zzz-nobody');
    await page.locator('.state-empty').waitFor();
    await expect(page.locator('.state-empty').innerText()).resolves.toContain('No customers match');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect
      .poll(() => page.locator('.pager-info').first().innerText())
      .toContain(`of ${total.toLocaleString('en-US')} customers`);
  });

  it('customer page: probability, tier, history and inputs', async () => {
    await open('#/customers', '.customers-table tbody tr');
    const first = page.locator('.customers-table a.row-link').first();
    const id = await first.innerText();
    await first.click();
    await page.locator('.score-big').first().waitFor();
    await expect(page.locator('h1').innerText()).resolves.toBe(`Customer ${id}`);
    await expect(page.locator('.score-big').first().innerText()).resolves.toMatch(/^\d+(\.\d)?%$/);
    await expect(page.locator('.input-item').count()).resolves.toBeGreaterThan(5);
    await screenshot(page, 'customer-desktop');
    // The score form can start from this customer's inputs and gives back their score.
    const stored = await page.locator('.score-big').first().innerText();
    await open(`#/score?customer=${encodeURIComponent(id)}`, '[data-testid="probability"]');
    await expect(page.locator('.card-head h2').first().innerText()).resolves.toBe(
      `What if customer ${id} changed?`,
    );
    await expect(page.locator('[data-testid="probability"]').innerText()).resolves.toBe(stored);
    await page.locator('.score-form select[name="contract"]').selectOption('Two year');
    await expect
      .poll(() => page.locator('[data-testid="probability"]').innerText())
      .not.toBe(stored);
    browser.expectFailedRequest('/api/v1/customers/NO-SUCH-CUSTOMER');
    await open('#/customers/NO-SUCH-CUSTOMER', '.state-error');
    await expect(page.locator('.error-message').innerText()).resolves.toContain(
      "customer 'NO-SUCH-CUSTOMER' has no score",
    );
  });

  it('score: the form from the model schema returns a probability and updates as fields change', async () => {
    await open('#/score', '[data-testid="probability"]');
    const form = page.locator('.score-form');
    expect(await form.locator('select').count()).toBeGreaterThan(3);
    expect(await form.locator('input[type="number"]').count()).toBeGreaterThan(2);
    const before = await page.locator('[data-testid="probability"]').innerText();
    expect(before).toMatch(/^\d+(\.\d)?%$/);
    await form.locator('select[name="contract"]').selectOption('Month-to-month');
    await form.locator('input[name="tenure_months"]').fill('1');
    await expect
      .poll(() => page.locator('[data-testid="probability"]').innerText())
      .not.toBe(before);
    await screenshot(page, 'score-desktop');
  });

  it('score: a batch upload shows the results and downloads a CSV with churn_probability', async () => {
    const file = join(scratch, 'new-customers.csv');
    execFileSync(BINARY, ['demo-data', '--rows', '250', '--seed', '7', '-o', file]);
    await open('#/score', '.dropzone');
    await page.locator('input[name="batch-file"]').setInputFiles(file);
    await page.locator('[data-testid="download-scored"]').waitFor({ timeout: 30_000 });
    await expect(
      page.locator('.notice-success, .notice-info').first().innerText(),
    ).resolves.toContain('Scored 250 customers');
    expect(await page.locator('.batch-table tbody tr').count()).toBe(20);
    const scored = await downloadText(() =>
      page.locator('[data-testid="download-scored"]').click(),
    );
    expect(scored.name).toBe('new-customers-scored.csv');
    const lines = scored.text.trim().split(/\r?\n/);
    expect(lines[0].split(',')).toContain('churn_probability');
    expect(lines.length).toBe(251);
    const p = Number(lines[1].split(',')[lines[0].split(',').indexOf('churn_probability')]);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(1);
    await screenshot(page, 'score-batch-desktop');
  });

  it('models: the registry and a model in detail; the threshold slider moves precision and recall', async () => {
    await open('#/models', '.registry tbody tr');
    await expect(page.locator('.registry tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('.registry .badge-active').innerText()).resolves.toBe('Active');
    await screenshot(page, 'models-desktop');
    await page.locator('.registry a.row-link').first().click();
    await expectChartsRendered(page, ['roc', 'pr', 'calibration', 'lift', 'importance']);
    const precision = page.locator('[data-measure="precision"] .measure-value');
    const recall = page.locator('[data-measure="recall"] .measure-value');
    const slider = page.locator('input[name="threshold"]');
    await slider.fill('20');
    const low = [await precision.innerText(), await recall.innerText()];
    // Keyboard works too: raising the threshold flags fewer customers.
    await slider.focus();
    for (let i = 0; i < 40; i += 1) await page.keyboard.press('ArrowRight');
    expect(await slider.inputValue()).toBe('60');
    const high = [await precision.innerText(), await recall.innerText()];
    expect(Number.parseFloat(high[0])).toBeGreaterThan(Number.parseFloat(low[0]));
    expect(Number.parseFloat(high[1])).toBeLessThan(Number.parseFloat(low[1]));
    await screenshot(page, 'model-desktop');
  });

  it('keyboard: the skip link reaches the page and focus is visible', async () => {
    await open('', '.kpis');
    await page.keyboard.press('Tab');
    const skip = page.locator('.skip-link');
    await expect(skip.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    // Tabbing on lands on a control with a visible focus ring.
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).boxShadow);
    expect(ring).not.toBe('none');
  });

  it('plain-language labels give the technical term on hover and on keyboard focus', async () => {
    await open('', '.kpis');
    const tooltip = page.locator('#tooltip');
    await page.locator('.term', { hasText: 'Expected to leave' }).hover();
    await expect(tooltip.innerText()).resolves.toContain('Predicted churn rate');
    await page.locator('.term', { hasText: 'High-risk customers' }).focus();
    await expect(tooltip.innerText()).resolves.toContain('High risk tier');
    await page.keyboard.press('Escape');
    await expect(tooltip.isHidden()).resolves.toBe(true);
    // Near the right edge of a phone the tip stays inside the window.
    await page.setViewportSize(PHONE);
    await page.locator('.term', { hasText: 'Monthly revenue at risk' }).hover();
    const box = (await tooltip.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await expectNoHorizontalScroll(page, 'overview with a tooltip open');
    await page.setViewportSize(DESKTOP);
  });

  it('every page fits a 375 px phone without sideways scrolling', async () => {
    await page.setViewportSize(PHONE);
    const pages: [string, string, string][] = [
      ['overview', '', 'canvas[data-chart="trend"][data-rendered="true"]'],
      ['customers', '#/customers', '.customers-table tbody tr'],
      ['customer', '#/customers', '.customers-table tbody tr'],
      ['score', '#/score', '[data-testid="probability"]'],
      ['data', '#/data', 'table tbody tr'],
      ['dataset', '#/data/1', '.column-card'],
      ['train', '#/train', '.train-form'],
      ['training-report', '#/train/job/1', '.leaderboard tbody tr'],
      ['models', '#/models', '.registry tbody tr'],
      ['model', '#/models/1', 'canvas[data-chart="importance"][data-rendered="true"]'],
    ];
    for (const [name, path, ready] of pages) {
      await open(path, ready);
      if (name === 'customer') {
        await page.locator('.customers-table a.row-link').first().click();
        await page.locator('.score-big').first().waitFor();
      }
      await expectNoHorizontalScroll(page, name);
      await screenshot(page, `${name}-phone`);
    }
    // The menu opens and leads to a page.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.locator('.sidebar .nav a', { hasText: 'Customers' }).click();
    await page.locator('.customers-table tbody tr').first().waitFor();
    await page.setViewportSize(DESKTOP);
  });

  it('data: a file that cannot be read is refused with its reason, and nothing is added', async () => {
    const bad = join(scratch, 'ragged.csv');
    writeFileSync(bad, 'customer_id,tenure,churn\nA1,3,Yes\nA2,No\n');
    await open('#/data', 'table tbody tr');
    const before = await page.locator('table tbody tr').count();
    browser.expectFailedRequest('/api/v1/datasets');
    await page.locator('input[name="dataset-file"]').setInputFiles(bad);
    await page.locator('.notice-error').waitFor();
    await expect(page.locator('.notice-error').innerText()).resolves.toMatch(/line 3/);
    expect(page.url()).toMatch(/#\/data$/);
    await page.reload();
    await page.locator('table tbody tr').first().waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(before);
  });

  it('desktop screenshots of the data, train and training-report pages', async () => {
    await open('#/data', 'table tbody tr');
    await screenshot(page, 'data-desktop');
    await open('#/data/1', '.column-card');
    await page.locator('.column-card .power').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'dataset-desktop');
    await open('#/train', '.train-form');
    await screenshot(page, 'train-desktop');
    await open('#/train/job/1', '.leaderboard tbody tr');
    await expectChartsRendered(page, ['roc', 'pr', 'calibration', 'lift']);
    await screenshot(page, 'training-report-desktop');
  });
});
