// Writes the README's screenshots (docs/screenshots/*.png) from a running `smartchurn serve`:
//   node scripts/docs-screenshots.mjs http://127.0.0.1:8080 DATASET_ID JOB_ID
// DATASET_ID and JOB_ID name an uploaded data set and a finished training job to show (the README
// uses the Telco file and a training run on it). Viewport-sized, not full pages, to stay small.
import { mkdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const [base, datasetId, jobId] = process.argv.slice(2);
if (!base || !datasetId || !jobId) {
  console.error('usage: node scripts/docs-screenshots.mjs SERVER_URL DATASET_ID JOB_ID');
  process.exit(2);
}
const out = join(dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
mkdirSync(out, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'smartchurn-shots-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.SMARTCHURN_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  reducedMotion: 'reduce',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const page = context.pages()[0] ?? (await context.newPage());

async function shot(name, route, ready, viewport) {
  await page.setViewportSize(viewport);
  await page.goto(`${base}/${route}`);
  await page.locator(ready).first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(500);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(out, `${name}.png`) });
  console.log(`wrote docs/screenshots/${name}.png`);
}

const desktop = { width: 1280, height: 800 };
const phone = { width: 375, height: 760 };
await shot('overview', '', 'canvas[data-chart="trend"][data-rendered="true"]', desktop);
await shot('training', `#/train/job/${jobId}`, 'canvas[data-chart="roc"][data-rendered="true"]', desktop);
await page.evaluate(() => window.scrollTo(0, 0));
await shot('data-profile', `#/data/${datasetId}`, '.column-card .power', { width: 1280, height: 900 });
await shot('score', '#/score', '[data-testid="probability"]', desktop);
await shot('overview-phone', '', 'canvas[data-chart="tiers"][data-rendered="true"]', phone);
await shot('customers-phone', '#/customers', '.customers-table tbody tr', phone);
await context.close();
rmSync(profile, { recursive: true, force: true });
