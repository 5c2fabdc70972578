// The explanation views' arithmetic and wording, and the debounced what-if requests.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  actionTitle,
  actionTitles,
  currencySymbol,
  dependenceSeries,
  formatInputValue,
  formatPoints,
  logit,
  probabilityEffect,
  probabilityTicks,
  reasonText,
  sigmoid,
  waterfallSteps,
} from '../../src/explain';
import { latestRequest } from '../../src/latest';
import type { DashboardSummary, Reason } from '../../src/types';

// A real answer of GET /customers/{id} on the demo data (first reasons of 21, then the rest summed).
const BASE = -1.5457826683438298;
const FINAL_P = 0.989717540559935;
const REASONS: Reason[] = [
  {
    column: 'monthly_charges',
    value: 80.6,
    contribution: 1.9086416852379575,
    probability_effect: 0.05519447170233305,
  },
  { column: 'satisfaction_score', value: 1.0, contribution: 1.4019079068361657 },
  { column: 'internet_service', value: 'Fiber optic', contribution: -0.6025795438966894 },
  { column: 'contract', value: 'Month-to-month', contribution: 0.24333064045827824 },
  {
    column: 'rest',
    value: null,
    contribution:
      logit(FINAL_P) -
      BASE -
      (1.9086416852379575 + 1.4019079068361657 - 0.6025795438966894 + 0.24333064045827824),
  },
];

describe('log-odds and probabilities', () => {
  it('probability effect is p(L) - p(L - c), as the server computes it', () => {
    const final = logit(FINAL_P);
    expect(probabilityEffect(final, REASONS[0].contribution)).toBeCloseTo(0.05519447170233305, 12);
    expect(sigmoid(logit(0.3))).toBeCloseTo(0.3, 12);
    expect(probabilityEffect(0, 0)).toBe(0);
    expect(probabilityEffect(0, -1)).toBeLessThan(0);
  });

  it('ticks sit at round probabilities inside the range, apart by at least the gap', () => {
    const asP = (ticks: number[]) => ticks.map((t) => Math.round(sigmoid(t) * 1000) / 1000);
    expect(asP(probabilityTicks(-2.5, 5))).toEqual([0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99]);
    const thin = probabilityTicks(-2.5, 5, 1.5);
    expect(asP(thin)).toEqual([0.1, 0.5, 0.9, 0.99]);
    for (let i = 1; i < thin.length; i += 1)
      expect(thin[i] - thin[i - 1]).toBeGreaterThanOrEqual(1.5);
    expect(probabilityTicks(0.1, 0.2)).toEqual([]);
  });
});

describe('the waterfall', () => {
  it('goes from the base value through each reason to the customer’s log-odds', () => {
    const steps = waterfallSteps(BASE, REASONS, 3);
    expect(steps.map((s) => s.kind)).toEqual([
      'base',
      'reason',
      'reason',
      'reason',
      'others',
      'final',
    ]);
    expect(steps[0]).toMatchObject({ start: 0, end: BASE });
    for (let i = 1; i < steps.length - 1; i += 1) {
      expect(steps[i].start).toBeCloseTo(steps[i - 1].end, 12);
      expect(steps[i].end - steps[i].start).toBeCloseTo(steps[i].contribution, 12);
    }
    const final = steps[steps.length - 1];
    expect(final.start).toBe(0);
    expect(final.end).toBeCloseTo(logit(FINAL_P), 9);
    expect(steps[steps.length - 2].end).toBeCloseTo(final.end, 12);
    expect(sigmoid(final.end)).toBeCloseTo(FINAL_P, 12);
    expect(final.effect).toBeCloseTo(FINAL_P, 12);
    expect(steps[4]).toMatchObject({ label: '2 other columns', count: 2 });
    // The server's effect is used when given, computed the same way when not.
    expect(steps[1].effect).toBe(0.05519447170233305);
    expect(steps[2].effect).toBeCloseTo(
      probabilityEffect(logit(FINAL_P), REASONS[1].contribution),
      12,
    );
    expect(steps[3].effect).toBeLessThan(0);
  });

  it('shows every reason when there are few, and no others step', () => {
    const steps = waterfallSteps(0.5, REASONS.slice(0, 2));
    expect(steps.map((s) => s.kind)).toEqual(['base', 'reason', 'reason', 'final']);
    expect(waterfallSteps(-1, [])).toEqual([
      expect.objectContaining({ kind: 'base', end: -1 }),
      expect.objectContaining({ kind: 'final', end: -1 }),
    ]);
  });
});

describe('reason wording', () => {
  it('reads like a sentence in the user’s column names', () => {
    expect(reasonText({ column: 'Contract', value: 'Month-to-month', contribution: 0.4 })).toBe(
      'Contract = Month-to-month raises the risk',
    );
    expect(
      reasonText({ column: 'internet_service', value: 'Fiber optic', contribution: -0.6 }),
    ).toBe('Internet service = Fiber optic lowers the risk');
    expect(reasonText({ column: 'PaymentMethod', value: null, contribution: 0 })).toBe(
      'Payment method = missing does not change the risk',
    );
    expect(reasonText({ column: 'tenure', value: 11.0, contribution: 0.1 })).toBe(
      'Tenure = 11 raises the risk',
    );
  });

  it('formats values and probability points', () => {
    expect(formatInputValue(80.6)).toBe('80.6');
    expect(formatInputValue(0.1 + 0.2)).toBe('0.3');
    expect(formatInputValue(12345.5)).toBe('12345.5');
    expect(formatInputValue('')).toBe('missing');
    expect(formatInputValue(true)).toBe('true');
    expect(formatPoints(0.05519)).toBe('+5.5 pts');
    expect(formatPoints(-0.0046)).toBe('−0.5 pts');
    expect(formatPoints(0.0004)).toBe('+<0.1 pts');
    expect(formatPoints(-0.0004)).toBe('−<0.1 pts');
    expect(formatPoints(0)).toBe('0 pts');
  });
});

describe('dependence plots', () => {
  it('plots numbers as they are and counts missing values', () => {
    const series = dependenceSeries('numeric', [3, null, '7.5', 'x'], [0.1, 0.2, -0.3, 0.4]);
    expect(series).toEqual({
      kind: 'numeric',
      points: [
        { x: 3, y: 0.1 },
        { x: 7.5, y: -0.3 },
      ],
      missing: 2,
    });
  });

  it('puts categories at fixed positions in natural order, missing last', () => {
    const values = ['Two year', 'Month-to-month', null, 'One year', 'Month-to-month', 'Two year'];
    const series = dependenceSeries('categorical', values, [-0.6, 0.2, 0.0, 0.1, 0.25, -0.65]);
    if (series.kind !== 'categorical') throw new Error('expected categories');
    expect(series.categories).toEqual(['Month-to-month', 'One year', 'Two year', '(missing)']);
    expect(series.points.map((p) => Math.round(p.x) + 0)).toEqual([2, 0, 3, 1, 0, 2]);
    expect(
      series.points.every(
        (p, i) =>
          Math.abs(p.x - Math.round(p.x)) <= 0.3 + 1e-9 &&
          p.y === [-0.6, 0.2, 0.0, 0.1, 0.25, -0.65][i],
      ),
    ).toBe(true);
    expect(dependenceSeries('categorical', values, [-0.6, 0.2, 0.0, 0.1, 0.25, -0.65])).toEqual(
      series,
    ); // the same every time
    const months = dependenceSeries('categorical', ['2024-10', '2024-9', '2024-11'], [0, 0, 0]);
    expect(months.kind === 'categorical' && months.categories).toEqual([
      '2024-9',
      '2024-10',
      '2024-11',
    ]);
  });
});

describe('action titles', () => {
  it('come from the summary, with a readable fallback', () => {
    const summary = {
      actions: {
        playbook: 'p',
        currency: 'USD',
        customers_without_action: 0,
        by_action: [
          {
            id: 'plan_review_discount',
            title: 'Plan review with a discount',
            cost_per_customer: 50,
            customers: 3,
            total_cost: 150,
            monthly_revenue: 200,
            expected_monthly_loss: 90,
          },
        ],
      },
    } as unknown as DashboardSummary;
    const titles = actionTitles(summary);
    expect(actionTitle(titles, 'plan_review_discount')).toBe('Plan review with a discount');
    expect(actionTitle(titles, 'onboarding_call')).toBe('Onboarding call');
    expect(actionTitles(null).size).toBe(0);
  });

  it('costs use the playbook currency', () => {
    expect(currencySymbol('USD')).toBe('$');
    expect(currencySymbol('EUR')).toBe('€');
    expect(currencySymbol('CHF')).toBe('CHF ');
    expect(currencySymbol('not a code')).toBe('not a code ');
    expect(currencySymbol(undefined)).toBe('$');
  });
});

describe('debounced, cancelling requests', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  // A request that answers when told to, and remembers whether it was aborted.
  function controllable() {
    const calls: {
      arg: number;
      signal: AbortSignal;
      resolve: (v: string) => void;
      reject: (e: unknown) => void;
    }[] = [];
    const run = (arg: number, signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => calls.push({ arg, signal, resolve, reject }));
    return { calls, run };
  }

  it('waits for a pause in typing and sends only the last value', async () => {
    const { calls, run } = controllable();
    const results: string[] = [];
    const latest = latestRequest({
      delay: 250,
      run,
      onResult: (r) => results.push(r),
      onError: () => results.push('error'),
    });
    latest.schedule(1);
    await vi.advanceTimersByTimeAsync(200);
    latest.schedule(2);
    await vi.advanceTimersByTimeAsync(200);
    latest.schedule(3);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(250);
    expect(calls.map((c) => c.arg)).toEqual([3]);
    calls[0].resolve('three');
    await vi.runAllTimersAsync();
    expect(results).toEqual(['three']);
  });

  it('aborts the request in flight when the user changes something, and ignores its answer', async () => {
    const { calls, run } = controllable();
    const results: string[] = [];
    const errors: unknown[] = [];
    const latest = latestRequest({
      delay: 250,
      run,
      onResult: (r) => results.push(r),
      onError: (e) => errors.push(e),
    });
    latest.now(1);
    latest.schedule(2);
    expect(calls[0].signal.aborted).toBe(true);
    calls[0].resolve('stale');
    await vi.advanceTimersByTimeAsync(250);
    expect(calls[1].signal.aborted).toBe(false);
    calls[0].reject(new DOMException('aborted', 'AbortError'));
    calls[1].resolve('fresh');
    await vi.runAllTimersAsync();
    expect(results).toEqual(['fresh']);
    expect(errors).toEqual([]);
  });

  it('reports a failure of the newest request, and stops with the page', async () => {
    const { calls, run } = controllable();
    const errors: unknown[] = [];
    const page = new AbortController();
    const latest = latestRequest({
      delay: 250,
      run,
      onResult: () => undefined,
      onError: (e) => errors.push(e),
      lifetime: page.signal,
    });
    latest.now(1);
    calls[0].reject(new Error('bad value'));
    await vi.runAllTimersAsync();
    expect(errors).toEqual([new Error('bad value')]);
    latest.schedule(2);
    page.abort();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
    latest.now(3);
    expect(calls).toHaveLength(1);
  });
});
