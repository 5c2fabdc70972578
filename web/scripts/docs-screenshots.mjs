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
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
  ],
});
const page = context.pages()[0] ?? (await context.newPage());

// `scrollTo` (a selector) brings a part of a long page to the top of the shot.
async function shot(name, route, ready, viewport, scrollTo) {
  await page.setViewportSize(viewport);
  await page.goto(`${base}/${route}`);
  await page.locator(ready).first().waitFor({ timeout: 30_000 });
  if (scrollTo)
    await page
      .locator(scrollTo)
      .first()
      .evaluate((element) =>
        window.scrollTo(
          0,
          element.getBoundingClientRect().top +
            window.scrollY -
            (window.innerWidth <= 900 ? 70 : 16),
        ),
      );
  await page.waitForTimeout(500);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(out, `${name}.png`) });
  console.log(`wrote docs/screenshots/${name}.png`);
}

const desktop = { width: 1280, height: 800 };
const phone = { width: 375, height: 760 };
await shot('overview', '', 'canvas[data-chart="trend"][data-rendered="true"]', desktop);
await shot(
  'training',
  `#/train/job/${jobId}`,
  'canvas[data-chart="roc"][data-rendered="true"]',
  desktop,
);
await page.evaluate(() => window.scrollTo(0, 0));
await shot('data-profile', `#/data/${datasetId}`, '.column-card .power', {
  width: 1280,
  height: 900,
});
await shot('score', '#/score', '[data-testid="probability"]', desktop);
// The riskiest customer: why, the action, and the what-if editor; the active model's global view.
const riskiest = (
  await (await fetch(`${base}/api/v1/customers?limit=1&sort=-churn_probability`)).json()
).customers[0].customer_id;
await shot(
  'customer',
  `#/customers/${encodeURIComponent(riskiest)}`,
  'canvas[data-chart="waterfall"][data-rendered="true"]',
  { width: 1280, height: 900 },
);
const activeModel = (await (await fetch(`${base}/api/v1/models`)).json()).models.find(
  (m) => m.active,
);
await shot(
  'model-explanations',
  `#/models/${activeModel.id}`,
  'canvas[data-chart="permutation"][data-rendered="true"]',
  { width: 1280, height: 900 },
  '.explanations',
);
await shot('overview-phone', '', 'canvas[data-chart="tiers"][data-rendered="true"]', phone);
await shot('customers-phone', '#/customers', '.customers-table tbody tr', phone);
await shot(
  'what-if-phone',
  `#/customers/${encodeURIComponent(riskiest)}`,
  '[data-testid="whatif-probability"]',
  phone,
  '#what-if',
);
await context.close();
rmSync(profile, { recursive: true, force: true });
