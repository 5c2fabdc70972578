// Explanations on screen: a model's global view (what it relies on, how one column pushes the
// risk, what shuffling a column costs) and one customer's reasons as a waterfall, plus the
// retention action the playbook recommends.
import type { Chart } from 'chart.js';
import { COLORS, makeChart, percentTick } from './charts';
import { h, uid } from './dom';
import {
  dependenceSeries,
  formatInputValue,
  formatPoints,
  probabilityTicks,
  reasonText,
  sigmoid,
  waterfallSteps,
  type WaterfallStep,
} from './explain';
import {
  formatMoney,
  formatNumber,
  formatPercent,
  formatProbability,
  formatScore,
  humanize,
} from './format';
import type { Action, Explanations, Reason } from './types';
import { card, term } from './ui';

const METHOD_NAMES: Record<string, string> = {
  tree_shap: 'exact tree contributions (TreeSHAP)',
  linear: 'exact contributions of the linear model',
  sampling: 'sampled Shapley values',
};

const body = (c: HTMLElement) => c.querySelector('.card-body') as HTMLElement;
const shorten = (text: string, max = 30) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;
// Category labels of a horizontal bar chart, shorter on a phone so they are not cut at the edge.
function barLabels(labels: string[], wide = 30) {
  return {
    grid: { display: false },
    ticks: {
      autoSkip: false,
      callback(this: { chart: { width: number } }, value: string | number) {
        return shorten(labels[Number(value)] ?? '', this.chart.width < 360 ? 17 : wide);
      },
    },
  };
}

// One horizontal bar per input column (the global view's charts): the column's name in words,
// its full name and `detail` in the tooltip.
function columnBars<T extends { column: string }>(
  target: HTMLElement,
  rows: T[],
  spec: {
    label: string;
    value: (row: T) => number;
    color: string | string[];
    detail: (row: T) => string;
    axisTitle: string;
    name: string;
    ariaLabel: string;
    signal: AbortSignal;
  },
): void {
  const labels = rows.map((r) => humanize(r.column));
  makeChart(
    target,
    {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            label: spec.label,
            data: rows.map(spec.value),
            backgroundColor: spec.color,
            borderRadius: 3,
            maxBarThickness: 20,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => rows[items[0].dataIndex].column,
              label: (item) => ` ${spec.detail(rows[item.dataIndex])}`,
            },
          },
        },
        scales: {
          x: { beginAtZero: true, title: { display: true, text: spec.axisTitle } },
          y: barLabels(labels),
        },
      },
    },
    {
      name: spec.name,
      label: spec.ariaLabel,
      height: Math.max(180, 40 + rows.length * 26),
      signal: spec.signal,
    },
  );
}

// The model page's "why" section; a note for models saved before explanations existed.
export function globalExplanations(
  explanations: Explanations | null | undefined,
  signal: AbortSignal,
): HTMLElement {
  const heading = h('h2', { class: 'section-heading' }, 'Why it predicts what it does');
  if (!explanations) {
    return h(
      'section',
      { class: 'explanations' },
      heading,
      card(
        null,
        h(
          'p',
          { class: 'muted', 'data-testid': 'no-explanations' },
          'This model was trained before explanations: retrain it to see how each column drives its predictions.',
        ),
      ),
    );
  }
  const importance = importanceCard(explanations, signal);
  const dependence = dependenceCard(explanations, signal);
  const permutation = permutationCard(explanations, signal);
  return h(
    'section',
    { class: 'explanations' },
    heading,
    h('div', { class: 'grid grid-2' }, importance, dependence, permutation),
  );
}

function importanceCard(explanations: Explanations, signal: AbortSignal): HTMLElement {
  const top = explanations.importance.slice(0, 15);
  const result = card(
    term(
      'What moves each prediction',
      'Mean |contribution|',
      `the average size of each input column's push on a customer's log-odds of leaving, over ${explanations.rows_explained} training customers (${METHOD_NAMES[explanations.method] ?? explanations.method})`,
    ),
    null,
    { help: 'Input columns by their average effect on a customer’s risk, up or down' },
  );
  if (top.length === 0) {
    body(result).append(
      h('p', { class: 'muted' }, 'No column contributions were saved with this model.'),
    );
    return result;
  }
  columnBars(body(result), top, {
    label: 'Average effect',
    value: (f) => f.mean_abs_contribution,
    color: COLORS.primary,
    detail: (f) =>
      `${formatNumber(f.mean_abs_contribution, 3)} log-odds on average, ${formatPercent(f.share)} of all`,
    axisTitle: 'Average effect on the log-odds',
    name: 'contributions',
    ariaLabel: `Average effect of each column: ${top
      .slice(0, 5)
      .map((f) => f.column)
      .join(', ')}`,
    signal,
  });
  return result;
}

// A scatter of a column's value against its contribution for sampled training customers, the
// column chosen from a list; numeric columns also show the partial dependence line.
function dependenceCard(explanations: Explanations, signal: AbortSignal): HTMLElement {
  const columns = explanations.dependence;
  const holder = h('div', { class: 'dependence-chart' });
  const note = h('p', { class: 'muted small' });
  const selectId = uid('dependence');
  const select = h(
    'select',
    { id: selectId, name: 'dependence-column', onchange: () => draw(select.value) },
    ...columns.map((d) => h('option', { value: d.column }, humanize(d.column))),
  );
  const result = card(
    term(
      'How one column pushes the risk',
      'Dependence plot',
      'each dot is a training customer: their value of the column against that column’s contribution to their log-odds; above the line raises the risk',
    ),
    [
      h('div', { class: 'field inline-field' }, h('label', { for: selectId }, 'Column'), select),
      holder,
      note,
    ],
    { help: 'Each dot is a customer; above zero the value raises the risk, below it lowers it' },
  );
  if (columns.length === 0) {
    body(result).replaceChildren(
      h('p', { class: 'muted' }, 'No dependence data was saved with this model.'),
    );
    return result;
  }
  let current: AbortController | null = null;
  let chart: Chart | null = null;
  function draw(column: string): void {
    current?.abort();
    current = new AbortController();
    const lifetime = AbortSignal.any([signal, current.signal]);
    holder.replaceChildren();
    const data = columns.find((d) => d.column === column)!;
    const series = dependenceSeries(data.type, data.values, data.contributions);
    const colours = series.points.map((p) => (p.y > 0 ? COLORS.high : COLORS.low));
    const partial =
      series.kind === 'numeric'
        ? explanations.partial_dependence?.find((p) => p.column === column)
        : undefined;
    const datasets: object[] = [
      {
        type: 'scatter',
        label: 'Customers',
        data: series.points,
        backgroundColor: colours.map((c) => `${c}99`),
        borderColor: colours,
        pointRadius: 3,
        pointHoverRadius: 5,
        yAxisID: 'y',
      },
    ];
    if (partial) {
      datasets.push({
        type: 'line',
        label: 'Average chance of leaving',
        data: partial.values.map((x, i) => ({ x, y: partial.mean_probability[i] })),
        borderColor: COLORS.primary,
        backgroundColor: COLORS.primary,
        pointRadius: 0,
        borderWidth: 2,
        yAxisID: 'probability',
      });
    }
    const categories = series.kind === 'categorical' ? series.categories : [];
    chart = makeChart(
      holder,
      {
        type: 'scatter',
        data: { datasets } as never,
        options: {
          plugins: {
            legend: { display: Boolean(partial), position: 'bottom' },
            tooltip: {
              callbacks: {
                label: (item) => {
                  if (item.dataset.yAxisID === 'probability')
                    return ` ${formatProbability(Number(item.parsed.y))} average chance at ${formatNumber(Number(item.parsed.x), 2)}`;
                  const value =
                    series.kind === 'categorical'
                      ? categories[Math.round(Number(item.parsed.x))]
                      : formatInputValue(Number(item.parsed.x));
                  return ` ${humanize(column)} = ${value}: ${Number(item.parsed.y) >= 0 ? '+' : ''}${formatNumber(Number(item.parsed.y), 2)} log-odds`;
                },
              },
            },
          },
          scales: {
            x:
              series.kind === 'categorical'
                ? {
                    type: 'linear',
                    min: -0.5,
                    max: categories.length - 0.5,
                    grid: { display: false },
                    afterBuildTicks: (axis) => {
                      axis.ticks = categories.map((_, i) => ({ value: i }));
                    },
                    ticks: {
                      autoSkip: true,
                      maxRotation: 40,
                      callback: (value) => shorten(categories[Number(value)] ?? '', 16),
                    },
                    title: { display: true, text: humanize(column) },
                  }
                : { type: 'linear', title: { display: true, text: humanize(column) } },
            y: {
              title: { display: true, text: 'Effect on the log-odds' },
              grid: { color: (ctx) => (ctx.tick.value === 0 ? COLORS.reference : COLORS.grid) },
            },
            ...(partial
              ? {
                  probability: {
                    position: 'right' as const,
                    min: 0,
                    max: 1,
                    grid: { display: false },
                    ticks: { callback: percentTick, maxTicksLimit: 6 },
                    title: { display: true, text: 'Average chance of leaving' },
                  },
                }
              : {}),
          },
        },
      },
      { name: 'dependence', label: `Dependence plot of ${column}`, height: 300, signal: lifetime },
    );
    chart.canvas.dataset.column = column;
    note.textContent =
      series.kind === 'numeric' && series.missing > 0
        ? `${series.missing} customers with no value are not drawn.`
        : partial
          ? 'The line: the average predicted chance of leaving if every customer had that value.'
          : '';
  }
  draw(columns[0].column);
  return result;
}

function permutationCard(explanations: Explanations, signal: AbortSignal): HTMLElement | null {
  const permutation = explanations.permutation_importance;
  if (!permutation || permutation.columns.length === 0) return null;
  const top = permutation.columns.slice(0, 12);
  const result = card(
    term(
      'What the accuracy depends on',
      'Permutation importance',
      `how much the accuracy score (ROC-AUC, ${formatScore(permutation.baseline_roc_auc)} on customers the model had not seen) drops when one column’s values are shuffled between customers${permutation.repeats ? `, averaged over ${permutation.repeats} shuffles` : ''}`,
    ),
    null,
    {
      help: `Accuracy score lost when a column is scrambled (from ${formatScore(permutation.baseline_roc_auc)})`,
    },
  );
  columnBars(body(result), top, {
    label: 'Accuracy lost',
    value: (c) => c.roc_auc_drop,
    color: top.map((c) => (c.roc_auc_drop > 0 ? COLORS.series[1] : COLORS.reference)),
    detail: (c) =>
      `ROC-AUC drops by ${formatScore(c.roc_auc_drop)} ± ${formatScore(c.roc_auc_drop_std)}`,
    axisTitle: 'Drop in the accuracy score (ROC-AUC)',
    name: 'permutation',
    ariaLabel: 'Permutation importance',
    signal,
  });
  result.classList.add('span-2');
  return result;
}

// One customer's reasons: a waterfall from the typical customer's risk through each column to
// this customer's, and the same reasons as sentences with their effect in probability points.
export function reasonWaterfall(base: number, reasons: Reason[], signal: AbortSignal): HTMLElement {
  const steps = waterfallSteps(base, reasons, 8);
  const ends = steps
    .flatMap((s) => [s.start, s.end])
    .filter((_, i) => i !== 0 && i !== 2 * steps.length - 2); // not the 0 starts
  const low = Math.min(...ends);
  const high = Math.max(...ends);
  const pad = Math.max(0.4, (high - low) * 0.08);
  const floor = low - pad;
  const colour = (s: WaterfallStep) =>
    s.kind === 'base'
      ? COLORS.reference
      : s.kind === 'final'
        ? COLORS.primary
        : s.contribution > 0
          ? COLORS.high
          : COLORS.low;
  const chartHolder = h('div', { class: 'waterfall-chart' });
  makeChart(
    chartHolder,
    {
      type: 'bar',
      data: {
        labels: steps.map((s) => s.label),
        datasets: [
          {
            label: 'Log-odds',
            data: steps.map(
              (s) =>
                (s.kind === 'base' || s.kind === 'final' ? [floor, s.end] : [s.start, s.end]) as [
                  number,
                  number,
                ],
            ),
            backgroundColor: steps.map(colour),
            borderRadius: 2,
            borderSkipped: false,
            barPercentage: 0.8,
            categoryPercentage: 0.9,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => steps[items[0].dataIndex].label,
              label: (item) => stepSentence(steps[item.dataIndex]),
            },
          },
        },
        scales: {
          x: {
            min: floor,
            max: high + pad,
            afterBuildTicks: (axis) => {
              axis.ticks = probabilityTicks(
                axis.min,
                axis.max,
                ((axis.max - axis.min) * 44) / Math.max(1, axis.width),
              ).map((value) => ({ value }));
            },
            ticks: {
              maxRotation: 0,
              callback: (value) => formatProbability(sigmoid(Number(value))),
            },
            title: { display: true, text: 'Chance of leaving (steps add up in log-odds)' },
          },
          y: barLabels(
            steps.map((s) => s.label),
            28,
          ),
        },
      },
    },
    {
      name: 'waterfall',
      label: `Reasons: ${steps.map((s) => s.label).join(', ')}`,
      height: 40 + steps.length * 30,
      signal,
    },
  );

  const shown = steps.filter((s) => s.kind === 'reason');
  const hidden = reasons.slice(shown.length);
  const item = (reason: Reason, effect: number) =>
    h(
      'li',
      { class: `reason ${reason.contribution > 0 ? 'reason-up' : 'reason-down'}` },
      h(
        'span',
        {
          class: 'reason-text',
          title: `${reason.column}: ${formatNumber(reason.contribution, 3)} log-odds`,
        },
        reasonText(reason),
      ),
      h('span', { class: 'reason-points' }, formatPoints(effect)),
    );
  const list = h(
    'ol',
    { class: 'reason-list', 'data-testid': 'reasons' },
    ...shown.map((s) => item(s.reason!, s.effect)),
  );
  const baseStep = steps[0];
  const finalStep = steps[steps.length - 1];
  return h(
    'div',
    { class: 'waterfall' },
    chartHolder,
    h(
      'div',
      { class: 'waterfall-text' },
      h(
        'p',
        { class: 'small' },
        `A typical customer has a ${formatProbability(sigmoid(baseStep.end))} chance of leaving; this customer’s columns take it to `,
        h('strong', null, formatProbability(sigmoid(finalStep.end))),
        '.',
      ),
      list,
      hidden.length
        ? h(
            'details',
            { class: 'reason-more' },
            h(
              'summary',
              null,
              `${hidden.length} more ${hidden.length === 1 ? 'column' : 'columns'}`,
            ),
            h(
              'ol',
              { class: 'reason-list', start: shown.length + 1 },
              ...hidden.map((r) => item(r, r.probability_effect ?? 0)),
            ),
          )
        : null,
      h(
        'p',
        { class: 'muted small' },
        term(
          'Points',
          'Probability points',
          'how far the chance of leaving would move if this column alone were typical; they do not add up exactly because the steps add up in log-odds',
        ),
        ' show how far each column alone moves the chance of leaving.',
      ),
    ),
  );
}

function stepSentence(step: WaterfallStep): string {
  if (step.kind === 'base')
    return ` ${formatProbability(sigmoid(step.end))} chance of leaving (${formatNumber(step.end, 2)} log-odds)`;
  if (step.kind === 'final')
    return ` ${formatProbability(sigmoid(step.end))} chance of leaving (${formatNumber(step.end, 2)} log-odds)`;
  const sign = step.contribution >= 0 ? '+' : '';
  if (step.kind === 'others')
    return ` together ${sign}${formatNumber(step.contribution, 2)} log-odds, ${formatPoints(step.effect)}`;
  return ` ${reasonText(step.reason!)}: ${sign}${formatNumber(step.contribution, 2)} log-odds, ${formatPoints(step.effect)}`;
}

// The playbook's recommendation for a customer, or why there is none.
export function actionDetails(action: Action | null | undefined, currency: string): HTMLElement {
  if (!action) {
    return h(
      'div',
      { class: 'action-box', 'data-testid': 'action' },
      h(
        'p',
        { class: 'muted' },
        'No retention action: no rule of the playbook applies to this customer’s risk and reasons.',
      ),
    );
  }
  return h(
    'div',
    { class: 'action-box', 'data-testid': 'action', 'data-action-id': action.id },
    h('h3', { class: 'action-title' }, action.title),
    h('p', null, action.description),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Cost'),
      h('dd', null, `${formatMoney(action.cost, currency)} per customer`),
      h('dt', null, 'Because'),
      h('dd', null, action.reason ? reasonFromText(action.reason) : 'of the customer’s risk tier'),
    ),
  );
}

// The server's reason text names the raw column ("contract = Month-to-month raises the churn
// risk"); the page reads better with the column as elsewhere on the page.
function reasonFromText(text: string): string {
  const match = /^(.+?) = (.*) (raises|lowers) the churn risk$/.exec(text);
  if (!match) return text;
  return `${humanize(match[1])} = ${match[2]} ${match[3]} the risk`;
}
