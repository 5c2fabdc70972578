// The arithmetic and wording behind the explanation views, kept pure for tests: log-odds and
// probabilities, the steps of a reason waterfall, reason sentences, dependence-plot points and
// the action titles the customer list shows.
import { humanize } from './format';
import type { DashboardSummary, InputValue, Reason } from './types';

export const sigmoid = (logOdds: number) => 1 / (1 + Math.exp(-logOdds));
export const logit = (p: number) => Math.log(p / (1 - p));

// How far the probability moves because of one contribution, as docs/explanations.md defines it:
// p(log-odds) - p(log-odds - contribution). Effects of several columns do not add up.
export function probabilityEffect(logOdds: number, contribution: number): number {
  return sigmoid(logOdds) - sigmoid(logOdds - contribution);
}

// A customer's value as a reason shows it: numbers without float noise, missing as "missing".
export function formatInputValue(value: InputValue | undefined): string {
  if (value === null || value === undefined || value === '') return 'missing';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    return new Intl.NumberFormat('en-US', { maximumFractionDigits: 4, useGrouping: false }).format(
      value,
    );
  }
  return String(value);
}

export function reasonSubject(reason: Pick<Reason, 'column' | 'value'>): string {
  return `${humanize(reason.column)} = ${formatInputValue(reason.value)}`;
}

// "Contract = Month-to-month raises the risk".
export function reasonText(reason: Pick<Reason, 'column' | 'value' | 'contribution'>): string {
  const verb =
    reason.contribution > 0
      ? 'raises the risk'
      : reason.contribution < 0
        ? 'lowers the risk'
        : 'does not change the risk';
  return `${reasonSubject(reason)} ${verb}`;
}

// Probability points with a sign: "+5.5 pts", "−0.4 pts"; tiny effects do not read as zero.
export function formatPoints(effect: number): string {
  if (!Number.isFinite(effect)) return '—';
  const points = effect * 100;
  if (points === 0) return '0 pts';
  const sign = points > 0 ? '+' : '−';
  if (Math.abs(points) < 0.1) return `${sign}<0.1 pts`;
  return `${sign}${Math.abs(points).toFixed(1)} pts`;
}

export interface WaterfallStep {
  kind: 'base' | 'reason' | 'others' | 'final';
  label: string;
  start: number; // log-odds where the bar starts
  end: number; // log-odds where it ends
  contribution: number; // end - start for reasons and others
  effect: number; // probability points (reasons: p(final) - p(final - contribution))
  reason?: Reason;
  count?: number; // columns folded into "others"
}

// Base value, then the `shown` most important reasons in order, the rest folded into one step,
// and the final log-odds (base + every contribution, which is the customer's log-odds).
export function waterfallSteps(base: number, reasons: Reason[], shown = 8): WaterfallStep[] {
  const final = reasons.reduce((sum, r) => sum + r.contribution, base);
  const steps: WaterfallStep[] = [
    {
      kind: 'base',
      label: 'Typical customer',
      start: 0,
      end: base,
      contribution: base,
      effect: sigmoid(base),
    },
  ];
  let at = base;
  const top = reasons.slice(0, shown);
  for (const reason of top) {
    steps.push({
      kind: 'reason',
      label: reasonSubject(reason),
      start: at,
      end: at + reason.contribution,
      contribution: reason.contribution,
      effect: reason.probability_effect ?? probabilityEffect(final, reason.contribution),
      reason,
    });
    at += reason.contribution;
  }
  const rest = reasons.slice(shown);
  if (rest.length > 0) {
    const sum = rest.reduce((total, r) => total + r.contribution, 0);
    steps.push({
      kind: 'others',
      label: `${rest.length} other ${rest.length === 1 ? 'column' : 'columns'}`,
      start: at,
      end: at + sum,
      contribution: sum,
      effect: probabilityEffect(final, sum),
      count: rest.length,
    });
  }
  steps.push({
    kind: 'final',
    label: 'This customer',
    start: 0,
    end: final,
    contribution: final,
    effect: sigmoid(final),
  });
  return steps;
}

// Roughly even steps in log-odds.
const NICE_PROBABILITIES = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];

// Axis ticks for a log-odds axis labelled in probabilities: the log-odds of round probabilities
// inside [min, max], each at least `minGap` (log-odds) from the one before, so that labels do not
// overlap on a phone.
export function probabilityTicks(min: number, max: number, minGap = 0): number[] {
  const ticks: number[] = [];
  for (const x of NICE_PROBABILITIES.map(logit)) {
    if (x < min - 1e-9 || x > max + 1e-9) continue;
    if (ticks.length > 0 && x - ticks[ticks.length - 1] < minGap) continue;
    ticks.push(x);
  }
  return ticks;
}

export interface DependencePoint {
  x: number;
  y: number;
}
export type DependenceSeries =
  | { kind: 'numeric'; points: DependencePoint[]; missing: number }
  | { kind: 'categorical'; categories: string[]; points: DependencePoint[] };

// A numeric column plots value against contribution (missing values counted, not drawn); a
// categorical one puts each category at an integer position with a fixed spread so that
// overlapping customers stay visible (the same points every time).
export function dependenceSeries(
  type: string,
  values: InputValue[],
  contributions: number[],
): DependenceSeries {
  const n = Math.min(values.length, contributions.length);
  if (type === 'numeric') {
    const points: DependencePoint[] = [];
    let missing = 0;
    for (let i = 0; i < n; i += 1) {
      const v = values[i];
      const x = typeof v === 'number' ? v : v === null || v === '' ? NaN : Number(v);
      if (Number.isFinite(x)) points.push({ x, y: contributions[i] });
      else missing += 1;
    }
    return { kind: 'numeric', points, missing };
  }
  const label = (v: InputValue) => (v === null || v === '' ? '(missing)' : String(v));
  const categories = [...new Set(values.slice(0, n).map(label))].sort((a, b) => {
    if (a === '(missing)') return 1;
    if (b === '(missing)') return -1;
    return a.localeCompare(b, 'en', { numeric: true });
  });
  const index = new Map(categories.map((c, i) => [c, i]));
  const points = values
    .slice(0, n)
    .map((v, i) => ({ x: index.get(label(v))! + spread(i), y: contributions[i] }));
  return { kind: 'categorical', categories, points };
}

// A deterministic offset in [-0.3, 0.3) (golden-ratio sequence).
function spread(i: number): number {
  return (((i * 0.6180339887) % 1) - 0.5) * 0.6;
}

// Action id -> title, from the summary's actions; ids it does not list read as words.
export function actionTitles(summary: DashboardSummary | null | undefined): Map<string, string> {
  return new Map((summary?.actions?.by_action ?? []).map((a) => [a.id, a.title]));
}
export function actionTitle(titles: Map<string, string>, id: string): string {
  return titles.get(id) ?? humanize(id);
}

// "USD" -> "$", "EUR" -> "€"; an unknown code is shown as itself with a space ("XYZ ").
export function currencySymbol(code: string | null | undefined): string {
  if (!code) return '$';
  try {
    const part = new Intl.NumberFormat('en-US', { style: 'currency', currency: code })
      .formatToParts(0)
      .find((p) => p.type === 'currency');
    if (part && part.value !== code) return part.value;
    return `${code} `;
  } catch {
    return `${code} `;
  }
}
