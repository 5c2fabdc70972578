// Explanations in the dashboard on the demo data: a customer's reasons as a waterfall, the
// recommended action, the what-if editor against POST /predict, the model's global view with a
// dependence plot that switches column, and the retention actions on the overview and the list.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { formatPoints, reasonText } from '../../src/explain';
import { formatProbability } from '../../src/format';
import type { CustomerDetail, DashboardSummary, ModelDetail } from '../../src/types';
import {
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

const open = (path: string, ready: string) => openRoute(page, server.url, path, ready);

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${server.url}/api/v1${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

const whatIfProbability = () => page.locator('[data-testid="whatif-probability"]');

describe('explanations in the dashboard', () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await startBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  afterEach(async (context) => checkAfterTest(browser, page, 'failed-explain-', context.task));

  it('customer list: each customer’s recommended action by title', async () => {
    const summary = await get<DashboardSummary>('/dashboard/summary');
    const first = (
      await get<{ customers: { customer_id: string; recommended_action: string | null }[] }>(
        '/customers?limit=25&sort=-churn_probability',
      )
    ).customers;
    const titles = new Map(summary.actions!.by_action.map((a) => [a.id, a.title]));
    await open('#/customers', '.customers-table tbody tr');
    await expect
      .poll(() => page.locator('.customers-table td[data-label="Action"]').first().innerText())
      .toBe(titles.get(first[0].recommended_action!));
    const shown = await page.locator('.customers-table td[data-label="Action"]').allInnerTexts();
    expect(shown).toEqual(
      first.map((c) => (c.recommended_action ? titles.get(c.recommended_action) : 'none')),
    );
  });

  it('customer page: the reasons waterfall, in words with probability points, and the action with its cost', async () => {
    await open('#/customers', '.customers-table tbody tr');
    const link = page.locator('.customers-table a.row-link').first();
    const id = await link.innerText();
    await link.click();
    await expectChartsRendered(page, ['waterfall']);
    const customer = await get<CustomerDetail>(`/customers/${encodeURIComponent(id)}`);
    expect(customer.reasons!.length).toBeGreaterThan(8);
    const items = page.locator('[data-testid="reasons"] > li');
    await expect(items.count()).resolves.toBe(8);
    const first = customer.reasons![0];
    await expect(items.first().locator('.reason-text').innerText()).resolves.toBe(
      reasonText(first),
    );
    await expect(items.first().locator('.reason-points').innerText()).resolves.toBe(
      formatPoints(first.probability_effect!),
    );
    for (const text of await page.locator('[data-testid="reasons"] .reason-text').allInnerTexts())
      expect(text).toMatch(/ = .+ (raises|lowers) the risk$/);
    await expect(page.locator('.reason-more summary').innerText()).resolves.toBe(
      `${customer.reasons!.length - 8} more columns`,
    );
    // The waterfall ends at the customer's chance of leaving.
    await expect(page.locator('.waterfall-text strong').first().innerText()).resolves.toBe(
      formatProbability(customer.churn_probability),
    );
    const action = page.locator('.card [data-testid="action"]').first();
    await expect(action.locator('.action-title').innerText()).resolves.toBe(
      customer.recommended_action!.title,
    );
    await expect(action.innerText()).resolves.toContain(
      `$${customer.recommended_action!.cost} per customer`,
    );
    await screenshot(page, 'customer-explain-desktop');
  });

  it('what-if: changing contract and tenure moves the chance to what /predict gives; reset brings the customer back', async () => {
    const id = (
      await get<{ customers: { customer_id: string }[] }>(
        '/customers?limit=1&sort=-churn_probability',
      )
    ).customers[0].customer_id;
    const customer = await get<CustomerDetail>(`/customers/${encodeURIComponent(id)}`);
    expect(customer.inputs.contract).toBe('Month-to-month');
    await open(`#/customers/${encodeURIComponent(id)}`, '[data-testid="whatif-probability"]');
    const original = formatProbability(customer.churn_probability);
    await expect(whatIfProbability().innerText()).resolves.toBe(original);

    const whatIfCalls: Request[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/what-if')) whatIfCalls.push(request);
    });
    const editor = page.locator('#what-if');
    await editor.locator('select[name="contract"]').selectOption('Two year');
    const tenure = editor.locator('input[name="tenure_months"]');
    await tenure.fill('');
    await tenure.pressSequentially('30', { delay: 40 });
    const changed = { ...customer.inputs, contract: 'Two year', tenure_months: 30 };
    const expected = await post<{ churn_probability: number }>('/predict', changed);
    await expect
      .poll(async () => Number(await whatIfProbability().getAttribute('data-probability')), {
        timeout: 10_000,
      })
      .toBeCloseTo(expected.churn_probability, 12);
    expect(expected.churn_probability).toBeLessThan(customer.churn_probability - 0.01);
    await expect(whatIfProbability().innerText()).resolves.toBe(
      formatProbability(expected.churn_probability),
    );
    // Typing pauses are what is sent: not one request per keystroke.
    expect(whatIfCalls.length).toBeGreaterThanOrEqual(1);
    expect(whatIfCalls.length).toBeLessThanOrEqual(3);
    const lastBody = JSON.parse(whatIfCalls[whatIfCalls.length - 1].postData()!);
    expect(lastBody.changes).toEqual({ contract: 'Two year', tenure_months: 30 });
    const delta = await page.locator('[data-testid="whatif-delta"]').innerText();
    expect(delta).toMatch(/^−\d+\.\d pts from \d+%/);
    expect(delta).toContain('Contract');
    await expect(
      page.locator('[data-testid="whatif-reasons"] .reason-changed').count(),
    ).resolves.toBeGreaterThanOrEqual(1);
    await screenshot(page, 'customer-whatif-desktop');

    await page.locator('[data-testid="whatif-reset"]').click();
    await expect.poll(() => whatIfProbability().innerText()).toBe(original);
    await expect(editor.locator('select[name="contract"]').inputValue()).resolves.toBe(
      'Month-to-month',
    );
    await expect(page.locator('[data-testid="whatif-delta"]').innerText()).resolves.toContain(
      'Change a field',
    );
  });

  it('models: the importance chart, the dependence plot switches column, permutation importance', async () => {
    const model = await get<ModelDetail>('/models/1');
    const dependence = model.explanations!.dependence;
    await open('#/models/1', 'canvas[data-chart="contributions"]');
    await expectChartsRendered(page, ['contributions', 'dependence', 'permutation']);
    await page
      .locator(`canvas[data-chart="dependence"][data-column="${dependence[0].column}"]`)
      .waitFor();
    const label = await page
      .locator('canvas[data-chart="contributions"]')
      .getAttribute('aria-label');
    expect(label).toContain(model.explanations!.importance[0].column);
    const categorical = dependence.find((d) => d.type !== 'numeric')!;
    await page.getByLabel('Column', { exact: true }).selectOption(categorical.column);
    await page
      .locator(
        `canvas[data-chart="dependence"][data-column="${categorical.column}"][data-rendered="true"]`,
      )
      .waitFor();
    await expect(page.locator('canvas[data-chart="dependence"]').count()).resolves.toBe(1);
    await page.getByLabel('Column', { exact: true }).selectOption(dependence[0].column);
    await page
      .locator(
        `canvas[data-chart="dependence"][data-column="${dependence[0].column}"][data-rendered="true"]`,
      )
      .waitFor();
    await page.locator('.explanations').scrollIntoViewIfNeeded();
    await screenshot(page, 'model-explain-desktop');
  });

  it('overview: the retention actions with customers, cost and revenue covered', async () => {
    const actions = (await get<DashboardSummary>('/dashboard/summary')).actions!;
    await open('', '#retention-actions tbody tr');
    const rows = page.locator('#retention-actions tbody tr');
    await expect(rows.count()).resolves.toBe(actions.by_action.length);
    const first = await rows.first().locator('td').allInnerTexts();
    expect(first[0]).toBe(actions.by_action[0].title);
    expect(first[1]).toBe(actions.by_action[0].customers.toLocaleString('en-US'));
    await expect(page.locator('#retention-actions tfoot').innerText()).resolves.toContain(
      actions.by_action.reduce((n, a) => n + a.customers, 0).toLocaleString('en-US'),
    );
    await expect(page.locator('#retention-actions .card-help').innerText()).resolves.toContain(
      actions.playbook,
    );
  });

  it('a model from before explanations and a customer without reasons are said so, and the what-if still works', async () => {
    // The server answers as it does for an old bundle (explanations: null) and for a customer the
    // active model did not score (reasons: null); everything else is the real answer.
    await page.route('**/api/v1/models/1', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), explanations: null } });
    });
    await open('#/models/1', '[data-testid="no-explanations"]');
    await expect(page.locator('[data-testid="no-explanations"]').innerText()).resolves.toContain(
      'trained before explanations',
    );
    await expect(page.locator('canvas[data-chart="dependence"]').count()).resolves.toBe(0);
    await expectChartsRendered(page, ['roc', 'importance']);
    await page.unroute('**/api/v1/models/1');

    const id = (
      await get<{ customers: { customer_id: string }[] }>(
        '/customers?limit=1&sort=churn_probability',
      )
    ).customers[0].customer_id;
    const path = `**/api/v1/customers/${encodeURIComponent(id)}`;
    await page.route(path, async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        json: { ...(await response.json()), reasons: null, base_value: null },
      });
    });
    await open(`#/customers/${encodeURIComponent(id)}`, '[data-testid="whatif-probability"]');
    await expect(page.locator('.state-empty h3').first().innerText()).resolves.toBe(
      'No reasons for this score',
    );
    await expect(page.locator('canvas[data-chart="waterfall"]').count()).resolves.toBe(0);
    const before = await whatIfProbability().getAttribute('data-probability');
    await page.locator('#what-if select[name="contract"]').selectOption('Month-to-month');
    await page.locator('#what-if input[name="satisfaction_score"]').fill('1');
    await expect.poll(() => whatIfProbability().getAttribute('data-probability')).not.toBe(before);
    await page.unroute(path);
  });

  it('phone: customer, what-if and model pages fit 375 px', async () => {
    await page.setViewportSize(PHONE);
    await open('#/customers', '.customers-table tbody tr');
    await expectNoHorizontalScroll(page, 'customers with actions');
    await page.locator('.customers-table a.row-link').first().click();
    await expectChartsRendered(page, ['waterfall']);
    await expectNoHorizontalScroll(page, 'customer');
    await screenshot(page, 'customer-explain-phone');
    await page.locator('#what-if select[name="contract"]').selectOption('One year');
    await expect
      .poll(() => page.locator('[data-testid="whatif-delta"]').innerText())
      .toContain('pts');
    await expectNoHorizontalScroll(page, 'what-if');
    await open('#/models/1', 'canvas[data-chart="permutation"][data-rendered="true"]');
    await expectNoHorizontalScroll(page, 'model explanations');
    await screenshot(page, 'model-explain-phone');
    await open('', '#retention-actions tbody tr');
    await expectNoHorizontalScroll(page, 'overview with actions');
    await page.setViewportSize(DESKTOP);
  });
});
