// The analyst's first day with real data: upload the public Telco file, check its profile, train
// from the page, read the leaderboard and the threshold trade-off, compare and activate the model.
// Needs ../shared/data; skips with a message when it is absent.
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  PHONE,
  DESKTOP,
  expectChartsRendered,
  expectNoHorizontalScroll,
  screenshot,
  sharedFile,
  startBrowser,
  startServer,
  type Browser,
  type Server,
  checkAfterTest,
} from './harness';

const TELCO = sharedFile('telco-customer-churn', 'WA_Fn-UseC_-Telco-Customer-Churn.csv');
const haveTelco = existsSync(TELCO);
// Written straight to stderr: the test runner holds back console output of skipped files, and
// ctest marks the test skipped when it sees "SKIPPED:".
if (!haveTelco)
  process.stderr.write(
    `SKIPPED: ${TELCO} is absent (the public data sets live in ../shared/data beside the project)\n`,
  );

let server: Server;
let browser: Browser;
let page: Page;
let datasetUrl = '';
let jobUrl = '';

describe.skipIf(!haveTelco)('Telco: upload, profile, train, compare, activate', () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await startBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  afterEach(async (context) => checkAfterTest(browser, page, 'failed-telco-', context.task));

  it('uploading the CSV shows 7,043 rows and TotalCharges with 11 missing values', async () => {
    await page.goto(`${server.url}/#/data`);
    await page.locator('input[name="dataset-file"]').setInputFiles(TELCO);
    await page.waitForURL(/#\/data\/\d+/, { timeout: 60_000 });
    datasetUrl = page.url();
    await page.locator('.kpis').waitFor();
    await expect(page.locator('.kpi').first().innerText()).resolves.toContain('7,043');
    const totalCharges = page.locator('.column-card[data-column="TotalCharges"]');
    await expect(
      totalCharges.locator('.column-stats div', { hasText: 'Missing' }).innerText(),
    ).resolves.toMatch(/Missing\s+11 \(0\.2%\)/);
    await expect(totalCharges.locator('.type-badge').innerText()).resolves.toBe('Number');
    // The set-up is guessed from the file: Churn = Yes, customerID as the id.
    await expect(page.getByLabel('Column to predict (target)').inputValue()).resolves.toBe('Churn');
    await expect(page.getByLabel('Value that means “left”').inputValue()).resolves.toBe('Yes');
    await expect(page.getByLabel('Customer ID column').inputValue()).resolves.toBe('customerID');
    await expect
      .poll(() => page.locator('.target-rate').innerText(), { timeout: 30_000 })
      .toContain('26.5% of customers left');
    await page.locator('.column-card[data-column="Contract"] .power').waitFor();
    await expect(
      page.locator('.column-card[data-column="customerID"] .type-badge').innerText(),
    ).resolves.toBe('ID');
    await screenshot(page, 'telco-dataset-desktop');
  });

  it('training from the page ends with three models on the leaderboard with their ROC-AUC', async () => {
    await page.getByRole('link', { name: 'Continue to training →' }).click();
    await page.locator('.train-form').waitFor();
    await expect(page.getByLabel('Column to predict').inputValue()).resolves.toBe('Churn');
    await expect(page.getByLabel('Customer ID column').inputValue()).resolves.toBe('customerID');
    expect(await page.locator('input[name="models"]:checked').count()).toBe(3);
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL(/#\/train\/job\/\d+/);
    jobUrl = page.url();
    await page.locator('.leaderboard tbody tr').first().waitFor({ timeout: 120_000 });
    const rows = page.locator('.leaderboard tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    const aucs = (await page.locator('.leaderboard td[data-metric="roc_auc"]').allInnerTexts()).map(
      (t) => Number.parseFloat(t),
    );
    expect(aucs).toHaveLength(3);
    for (const auc of aucs) {
      expect(auc).toBeGreaterThan(0.8); // Telco: ~0.85 for every family
      expect(auc).toBeLessThan(0.9);
    }
    expect([...aucs].sort((a, b) => b - a)).toEqual(aucs);
    await expect(page.locator('.notice-success').first().innerText()).resolves.toMatch(
      /Saved as model v2/,
    );
    await expectChartsRendered(page, ['roc', 'pr', 'calibration', 'lift', 'importance']);
    await screenshot(page, 'telco-training-desktop');
  });

  it('the threshold slider changes precision and recall; another model shows its own curves', async () => {
    const precision = page.locator('[data-measure="precision"] .measure-value');
    const recall = page.locator('[data-measure="recall"] .measure-value');
    const slider = page.locator('input[name="threshold"]');
    await slider.fill('20');
    const atLow = {
      precision: Number.parseFloat(await precision.innerText()),
      recall: Number.parseFloat(await recall.innerText()),
      caught: await page.locator('[data-cell="tp"] strong').innerText(),
    };
    await slider.fill('70');
    const atHigh = {
      precision: Number.parseFloat(await precision.innerText()),
      recall: Number.parseFloat(await recall.innerText()),
      caught: await page.locator('[data-cell="tp"] strong').innerText(),
    };
    expect(atHigh.precision).toBeGreaterThan(atLow.precision);
    expect(atHigh.recall).toBeLessThan(atLow.recall);
    expect(atHigh.caught).not.toBe(atLow.caught);
    await expect(page.locator('.threshold-value').innerText()).resolves.toBe('70%');

    const second = page.locator('.leaderboard tbody tr').nth(1);
    const name = await second.locator('strong').innerText();
    await second.locator('input[type="radio"]').check();
    await expect(page.locator('.section-heading').innerText()).resolves.toBe(`${name} in detail`);
    await expectChartsRendered(page, ['roc', 'pr']);
    await expect(page.locator('.evaluation').innerText()).resolves.toContain(
      'Importance is measured on the saved model',
    );
  });

  it('works on a 375 px phone', async () => {
    await page.setViewportSize(PHONE);
    for (const [name, url, ready] of [
      ['telco-dataset-phone', datasetUrl, '.column-card'],
      ['telco-training-phone', jobUrl, '.leaderboard tbody tr'],
    ] as const) {
      await page.goto(url);
      await page.locator(ready).first().waitFor({ timeout: 30_000 });
      await page
        .locator('.state-loading')
        .first()
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      await expectNoHorizontalScroll(page, name);
      await screenshot(page, name);
    }
    await page.setViewportSize(DESKTOP);
  });

  it('models: compare the Telco model with the demo one, then activate it after confirming', async () => {
    await page.goto(`${server.url}/#/models`);
    await page.locator('.registry tbody tr').nth(1).waitFor();
    const boxes = page.locator('.registry input[type="checkbox"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: 'Compare the two' }).click();
    await expectChartsRendered(page, ['compare-roc', 'compare-importance']);
    await expect(page.locator('.compare-table td.better').count()).resolves.toBeGreaterThan(0);
    await screenshot(page, 'models-compare-desktop');

    await page.goto(`${server.url}/#/models`);
    const telcoRow = page.locator('.registry tbody tr', { hasText: 'v2' });
    await telcoRow.getByRole('button', { name: 'Activate' }).click();
    const dialog = page.locator('dialog.dialog');
    await expect(dialog.innerText()).resolves.toContain('Activate model v2?');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(
      page.locator('.registry tbody tr', { hasText: 'v1' }).locator('.badge-active').count(),
    ).resolves.toBe(1);
    await telcoRow.getByRole('button', { name: 'Activate' }).click();
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() =>
        page.locator('.registry tbody tr', { hasText: 'v2' }).locator('.badge-active').count(),
      )
      .toBe(1);
    await expect(
      page
        .locator('.registry tbody tr', { hasText: 'v1' })
        .getByRole('button', { name: 'Roll back to this' })
        .count(),
    ).resolves.toBe(1);
    await screenshot(page, 'models-after-activation-desktop');

    // The overview now shows the Telco customers the training run scored.
    await page.goto(`${server.url}/#/`);
    await expectChartsRendered(page, ['tiers', 'histogram']);
    await expect(page.locator('.kpi').first().innerText()).resolves.toContain('7,043');
    await screenshot(page, 'telco-overview-desktop');
  });
});
