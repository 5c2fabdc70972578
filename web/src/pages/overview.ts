// Overview: the key figures, how risk is spread, where it concentrates, how it moves over time,
// and which model produced the scores.
import { api } from '../api';
import { COLORS, makeChart, percentTick } from '../charts';
import { h, mount } from '../dom';
import {
  formatCount,
  formatMoney,
  formatPercent,
  formatProbability,
  formatRelativeTime,
  formatDateTime,
  formatScore,
  humanize,
} from '../format';
import { algorithmName, aucVerdict } from '../metrics';
import { currencySymbol } from '../explain';
import type { Page } from '../page';
import { routeHref } from '../state';
import type { DashboardSummary, Tier } from '../types';
import { TIERS } from '../types';
import { TIER_LABELS, card, emptyState, errorState, kpi, loading, pageHeader, term } from '../ui';

export const overviewPage: Page = async (root, _route, context) => {
  const { signal } = context;
  mount(
    root,
    pageHeader('Overview', 'Who is likely to leave, and what it is worth'),
    loading('Loading the latest scores…'),
  );
  let summary: DashboardSummary;
  try {
    summary = await api.summary();
  } catch (error) {
    if (!signal.aborted)
      mount(
        root,
        pageHeader('Overview'),
        errorState(error, () => overviewPage(root, _route, context)),
      );
    return;
  }
  if (signal.aborted) return;
  if (!summary.active_model || summary.customers_scored === 0) {
    mount(
      root,
      pageHeader('Overview', 'Who is likely to leave, and what it is worth'),
      emptyState(
        'No scored customers yet',
        summary.active_model
          ? 'The active model has not scored any customers. Score a file on the Score page to fill this view.'
          : 'Upload your customer data and train a model: the overview then shows who is likely to leave.',
        h(
          'a',
          { class: 'btn btn-primary', href: summary.active_model ? '#/score' : '#/data' },
          summary.active_model ? 'Score customers' : 'Upload data',
        ),
      ),
    );
    return;
  }
  const model = summary.active_model;
  const scored = summary.customers_scored;
  const tiers = summary.tiers ?? { low: 0, medium: 0, high: 0 };
  const cuts = summary.risk_tiers ?? { medium: 0.3, high: 0.6 };
  const expected = summary.predicted_churn_rate ?? 0;
  const high = summary.high_risk_customers ?? tiers.high;

  const revenue = summary.revenue;
  const figures = h(
    'div',
    { class: 'kpis' },
    kpi(
      'Customers scored',
      formatCount(scored),
      h(
        'span',
        null,
        'by ',
        h('a', { href: routeHref(['models', model.id]) }, `model v${model.version}`),
      ),
    ),
    kpi(
      term(
        'Expected to leave',
        'Predicted churn rate',
        'the average churn probability over all scored customers',
      ),
      formatPercent(expected),
      `about ${formatCount(Math.round(expected * scored))} customers`,
      'accent',
    ),
    kpi(
      term(
        'High-risk customers',
        'High risk tier',
        `churn probability of ${formatProbability(cuts.high)} or more`,
      ),
      h(
        'a',
        { href: routeHref(['customers'], { tier: 'high' }), class: 'kpi-link' },
        formatCount(high),
      ),
      `${formatPercent(scored ? high / scored : 0)} of customers`,
      'high',
    ),
    revenue
      ? kpi(
          term(
            'Monthly revenue at risk',
            'Expected monthly loss',
            `each customer's ${revenue.column} times their churn probability, summed`,
          ),
          formatMoney(revenue.expected_monthly_loss),
          `${formatPercent(revenue.monthly_total ? revenue.expected_monthly_loss / revenue.monthly_total : 0)} of ${formatMoney(revenue.monthly_total)} a month`,
        )
      : kpi('Monthly revenue at risk', '—', 'no monthly revenue column in the data'),
  );

  const tierCard = card('Risk tiers', null, {
    help: `Low below ${formatProbability(cuts.medium)}, high from ${formatProbability(cuts.high)}`,
  });
  const histogramCard = card('How likely customers are to leave', null, {
    help: 'Number of customers by predicted chance of leaving',
    class: 'span-2',
  });
  const segmentsCard = card('Where the risk is', null, {
    help: 'Average chance of leaving by group, for the columns the model relies on most. Select a bar to see those customers.',
    class: 'span-all',
  });
  const trendCard = card('Trend', null, {
    help:
      summary.trend?.by && summary.trend.by !== 'scoring month'
        ? `Customers and their average chance of leaving by ${humanize(summary.trend.by).toLowerCase()}`
        : 'By the month customers were scored',
    class: 'span-2',
  });
  const modelCard = activeModelCard(summary);
  const actionsCard = retentionActions(summary);

  mount(
    root,
    pageHeader(
      'Overview',
      h(
        'span',
        null,
        'Latest scores from ',
        h('strong', null, `${algorithmName(model.algorithm)} v${model.version}`),
        `, trained ${formatRelativeTime(model.created_at)}`,
      ),
      h(
        'a',
        { class: 'btn', href: routeHref(['customers'], { tier: 'high' }) },
        'View high-risk customers',
      ),
    ),
    figures,
    h(
      'div',
      { class: 'grid grid-3 overview-grid' },
      tierCard,
      histogramCard,
      actionsCard,
      segmentsCard,
      trendCard,
      modelCard,
    ),
  );

  drawTiers(tierCard.querySelector('.card-body') as HTMLElement, tiers, scored, signal);
  drawHistogram(histogramCard.querySelector('.card-body') as HTMLElement, summary, signal);
  drawSegments(
    segmentsCard.querySelector('.card-body') as HTMLElement,
    summary,
    context.navigate,
    signal,
  );
  drawTrend(trendCard.querySelector('.card-body') as HTMLElement, summary, signal);
};

function drawTiers(
  body: HTMLElement,
  tiers: Record<Tier, number>,
  total: number,
  signal: AbortSignal,
): void {
  const layout = h('div', { class: 'tier-layout' });
  body.append(layout);
  const chartHolder = h('div', { class: 'tier-chart' });
  layout.append(chartHolder);
  makeChart(
    chartHolder,
    {
      type: 'doughnut',
      data: {
        labels: TIERS.map((t) => TIER_LABELS[t]),
        datasets: [
          {
            data: TIERS.map((t) => tiers[t]),
            backgroundColor: TIERS.map((t) => COLORS[t]),
            borderWidth: 2,
            borderColor: '#fff',
          },
        ],
      },
      options: {
        cutout: '62%',
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) =>
                ` ${formatCount(Number(item.raw))} customers (${formatPercent(total ? Number(item.raw) / total : 0)})`,
            },
          },
        },
      },
    },
    {
      name: 'tiers',
      label: `Risk tiers: ${TIERS.map((t) => `${TIER_LABELS[t]} ${tiers[t]}`).join(', ')}`,
      height: 180,
      signal,
    },
  );
  layout.append(
    h(
      'ul',
      { class: 'tier-legend' },
      ...[...TIERS]
        .reverse()
        .map((t) =>
          h(
            'li',
            null,
            h(
              'a',
              { href: routeHref(['customers'], { tier: t }) },
              h('span', { class: `swatch swatch-${t}`, 'aria-hidden': 'true' }),
              h('span', { class: 'tier-name' }, TIER_LABELS[t]),
              h('span', { class: 'tier-count' }, formatCount(tiers[t])),
              h('span', { class: 'tier-share' }, formatPercent(total ? tiers[t] / total : 0)),
            ),
          ),
        ),
    ),
  );
}

function drawHistogram(body: HTMLElement, summary: DashboardSummary, signal: AbortSignal): void {
  const bins = summary.histogram ?? [];
  const cuts = summary.risk_tiers ?? { medium: 0.3, high: 0.6 };
  const colour = (lower: number) =>
    lower >= cuts.high - 1e-9
      ? COLORS.high
      : lower >= cuts.medium - 1e-9
        ? COLORS.medium
        : COLORS.low;
  makeChart(
    body,
    {
      type: 'bar',
      data: {
        labels: bins.map((b) => `${Math.round(b.lower * 100)}–${Math.round(b.upper * 100)}%`),
        datasets: [
          {
            label: 'Customers',
            data: bins.map((b) => b.customers),
            backgroundColor: bins.map((b) => colour(b.lower)),
            borderRadius: 3,
            barPercentage: 0.92,
            categoryPercentage: 0.96,
          },
        ],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => `Chance of leaving ${items[0].label}`,
              label: (item) => ` ${formatCount(Number(item.raw))} customers`,
            },
          },
        },
        scales: {
          x: {
            grid: { display: false },
            ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 },
            title: { display: true, text: 'Chance of leaving' },
          },
          y: {
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: 'Customers' },
          },
        },
      },
    },
    { name: 'histogram', label: 'Histogram of churn probabilities', height: 310, signal },
  );
}

function drawSegments(
  body: HTMLElement,
  summary: DashboardSummary,
  navigate: (href: string) => void,
  signal: AbortSignal,
): void {
  const segments = summary.segments ?? [];
  if (segments.length === 0) {
    body.append(
      emptyState(
        'No segments',
        'The active model uses no column with a few distinct values to group customers by.',
      ),
    );
    return;
  }
  const grid = h('div', { class: 'segment-grid' });
  body.append(grid);
  const overall = summary.predicted_churn_rate ?? 0;
  for (const segment of segments) {
    const values = [...segment.values].sort(
      (a, b) => b.mean_churn_probability - a.mean_churn_probability,
    );
    const holder = h(
      'div',
      { class: 'segment' },
      h('h3', { title: segment.column }, humanize(segment.column)),
    );
    grid.append(holder);
    makeChart(
      holder,
      {
        type: 'bar',
        data: {
          labels: values.map((v) => v.value),
          datasets: [
            {
              label: 'Average chance of leaving',
              data: values.map((v) => v.mean_churn_probability),
              backgroundColor: values.map((v) =>
                v.mean_churn_probability > overall ? COLORS.high : COLORS.primary,
              ),
              borderRadius: 3,
              maxBarThickness: 22,
            },
          ],
        },
        options: {
          indexAxis: 'y',
          onClick: (_event, elements) => {
            if (elements.length === 0) return;
            const value = values[elements[0].index];
            navigate(routeHref(['customers'], { segment: segment.column, value: value.value }));
          },
          onHover: (event, elements) => {
            const target = event.native?.target as HTMLElement | undefined;
            if (target) target.style.cursor = elements.length ? 'pointer' : 'default';
          },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: (item) =>
                  ` ${formatProbability(Number(item.raw))} average chance of leaving`,
                afterLabel: (item) => {
                  const v = values[item.dataIndex];
                  return `${formatCount(v.customers)} customers, ${formatCount(v.high_risk)} high risk`;
                },
              },
            },
          },
          scales: {
            x: {
              beginAtZero: true,
              suggestedMax: Math.min(
                1,
                Math.max(...values.map((v) => v.mean_churn_probability)) * 1.15,
              ),
              ticks: { callback: percentTick, maxTicksLimit: 5 },
            },
            y: {
              grid: { display: false },
              ticks: {
                autoSkip: false,
                callback(value) {
                  const text = this.getLabelForValue(Number(value));
                  return text.length > 18 ? `${text.slice(0, 17)}…` : text;
                },
              },
            },
          },
        },
      },
      {
        name: `segment-${segment.column}`,
        label: `Average churn probability by ${segment.column}`,
        height: Math.max(120, 36 + values.length * 30),
        signal,
      },
    );
  }
  body.append(
    h(
      'p',
      { class: 'legend-note' },
      h('span', { class: 'swatch swatch-high', 'aria-hidden': 'true' }),
      ' above the overall average of ',
      formatPercent(overall),
      '  ',
      h('span', { class: 'swatch swatch-primary', 'aria-hidden': 'true' }),
      ' at or below it',
    ),
  );
}

function drawTrend(body: HTMLElement, summary: DashboardSummary, signal: AbortSignal): void {
  const months = summary.trend?.months ?? [];
  if (months.length === 0) {
    body.append(
      emptyState('No trend yet', 'Scores over time appear here once customers have been scored.'),
    );
    return;
  }
  if (months.length === 1) {
    // One point is not a trend: say what there is and what will come.
    const only = months[0];
    body.append(
      h(
        'div',
        { class: 'trend-single' },
        h('strong', null, formatPercent(only.mean_churn_probability)),
        h(
          'span',
          null,
          ` average chance of leaving across ${formatCount(only.customers)} customers in ${only.month}`,
        ),
      ),
      h(
        'p',
        { class: 'muted small' },
        'The trend fills in as customers are scored in later months.',
      ),
    );
    return;
  }
  makeChart(
    body,
    {
      type: 'bar',
      data: {
        labels: months.map((m) => m.month),
        datasets: [
          {
            type: 'line',
            label: 'Average chance of leaving',
            data: months.map((m) => m.mean_churn_probability),
            borderColor: COLORS.high,
            backgroundColor: COLORS.high,
            yAxisID: 'risk',
            cubicInterpolationMode: 'monotone',
            pointRadius: months.length > 40 ? 0 : 3,
            borderWidth: 2,
          },
          {
            type: 'bar',
            label: 'Customers',
            data: months.map((m) => m.customers),
            backgroundColor: COLORS.primarySoft,
            yAxisID: 'count',
            borderRadius: 2,
          },
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { position: 'top', align: 'end' },
          tooltip: {
            callbacks: {
              label: (item) =>
                item.dataset.yAxisID === 'risk'
                  ? ` ${formatProbability(Number(item.raw))} average chance of leaving`
                  : ` ${formatCount(Number(item.raw))} customers`,
            },
          },
        },
        scales: {
          x: {
            grid: { display: false },
            ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 16 },
          },
          risk: {
            position: 'left',
            beginAtZero: true,
            ticks: { callback: percentTick, maxTicksLimit: 6 },
            title: { display: true, text: 'Chance of leaving' },
          },
          count: {
            position: 'right',
            beginAtZero: true,
            grid: { display: false },
            ticks: { precision: 0, maxTicksLimit: 6 },
            title: { display: true, text: 'Customers' },
          },
        },
      },
    },
    {
      name: 'trend',
      label: 'Average churn probability and customers per month',
      height: 260,
      signal,
    },
  );
}

function activeModelCard(summary: DashboardSummary): HTMLElement {
  const model = summary.active_model!;
  return card(
    'The model behind these scores',
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Model'),
      h(
        'dd',
        null,
        h('a', { href: routeHref(['models', model.id]) }, `${model.name} · v${model.version}`),
      ),
      h('dt', null, 'Method'),
      h('dd', null, algorithmName(model.algorithm)),
      h(
        'dt',
        null,
        term(
          'Accuracy score',
          'ROC-AUC (cross-validated)',
          'how well the model ranks leavers above stayers: 1.0 is perfect, 0.5 is guessing',
        ),
      ),
      h(
        'dd',
        null,
        model.roc_auc === null
          ? '—'
          : `${formatScore(model.roc_auc)} (${aucVerdict(model.roc_auc)})`,
      ),
      h('dt', null, 'Trained'),
      h(
        'dd',
        null,
        h(
          'time',
          { datetime: model.created_at, title: formatDateTime(model.created_at) },
          formatRelativeTime(model.created_at),
        ),
      ),
    ),
    {
      actions: h('a', { class: 'btn btn-small', href: '#/models' }, 'All models'),
      class: 'model-card',
    },
  );
}

// What the playbook suggests: per action, the customers it targets, what it costs and the
// monthly revenue of those customers.
function retentionActions(summary: DashboardSummary): HTMLElement | null {
  const actions = summary.actions;
  if (!actions) return null;
  const currency = currencySymbol(actions.currency);
  const rows = actions.by_action;
  const help = `Playbook “${actions.playbook}”: ${formatCount(actions.customers_without_action)} customers need no action`;
  if (rows.length === 0) {
    return card(
      'Retention actions',
      emptyState(
        'No actions suggested',
        'No rule of the playbook applies to the scored customers.',
      ),
      { help, class: 'span-all' },
    );
  }
  const sum = (key: 'customers' | 'total_cost' | 'monthly_revenue' | 'expected_monthly_loss') =>
    rows.reduce((total, r) => total + r[key], 0);
  const money = (x: number) => formatMoney(x, currency);
  const table = h(
    'table',
    { class: 'responsive actions-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', null, 'Action'),
        h('th', { class: 'num' }, 'Customers'),
        h('th', { class: 'num' }, 'Cost each'),
        h('th', { class: 'num' }, 'Total cost'),
        h(
          'th',
          { class: 'num' },
          term(
            'Revenue covered',
            'Monthly revenue',
            'what the customers this action targets pay a month',
          ),
        ),
        h(
          'th',
          { class: 'num' },
          term(
            'Expected loss',
            'Expected monthly loss',
            'each targeted customer’s monthly revenue times their churn probability, summed',
          ),
        ),
      ),
    ),
    h(
      'tbody',
      null,
      ...rows.map((a) =>
        h(
          'tr',
          { 'data-action-id': a.id },
          h('td', { 'data-label': 'Action', class: 'action-name' }, a.title),
          h('td', { class: 'num', 'data-label': 'Customers' }, formatCount(a.customers)),
          h('td', { class: 'num', 'data-label': 'Cost each' }, money(a.cost_per_customer)),
          h('td', { class: 'num', 'data-label': 'Total cost' }, money(a.total_cost)),
          h(
            'td',
            { class: 'num', 'data-label': 'Monthly revenue covered' },
            money(a.monthly_revenue),
          ),
          h(
            'td',
            { class: 'num', 'data-label': 'Expected monthly loss' },
            money(a.expected_monthly_loss),
          ),
        ),
      ),
    ),
    h(
      'tfoot',
      null,
      h(
        'tr',
        null,
        h('th', { 'data-label': 'Action' }, 'All actions'),
        h('td', { class: 'num', 'data-label': 'Customers' }, formatCount(sum('customers'))),
        h('td', { class: 'num no-actions', 'data-label': 'Cost each' }),
        h('td', { class: 'num', 'data-label': 'Total cost' }, money(sum('total_cost'))),
        h(
          'td',
          { class: 'num', 'data-label': 'Monthly revenue covered' },
          money(sum('monthly_revenue')),
        ),
        h(
          'td',
          { class: 'num', 'data-label': 'Expected monthly loss' },
          money(sum('expected_monthly_loss')),
        ),
      ),
    ),
  );
  return card('Retention actions', h('div', { class: 'table-wrap' }, table), {
    help,
    class: 'span-all',
    id: 'retention-actions',
  });
}
