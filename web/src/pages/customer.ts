// One customer: the chance of leaving with its tier, why (a waterfall of reasons), the retention
// action, a what-if editor, the score history across models, the stored inputs and outcomes.
import { api } from '../api';
import { COLORS, makeChart, percentTick } from '../charts';
import { h, mount } from '../dom';
import {
  formatDate,
  formatDateTime,
  formatNumber,
  formatProbability,
  formatRelativeTime,
  humanize,
} from '../format';
import type { Page } from '../page';
import { routeHref } from '../state';
import { actionDetails, reasonWaterfall } from '../explanation-views';
import { currencySymbol } from '../explain';
import type { CustomerDetail, DashboardSummary, ModelDetail, ModelSummary } from '../types';
import { whatIfEditor } from '../what-if';
import {
  TIER_LABELS,
  card,
  emptyState,
  errorState,
  loading,
  pageHeader,
  term,
  tierBadge,
} from '../ui';

export const customerPage: Page = async (root, route, context) => {
  const { signal } = context;
  const id = route.rest[0];
  const back = h('a', { class: 'back-link', href: '#/customers' }, '← All customers');
  mount(root, back, pageHeader(`Customer ${id}`), loading('Loading the customer…'));
  let customer: CustomerDetail;
  try {
    customer = await api.customer(id);
  } catch (error) {
    if (!signal.aborted)
      mount(
        root,
        back,
        pageHeader(`Customer ${id}`),
        errorState(error, () => customerPage(root, route, context)),
      );
    return;
  }
  // Model versions and tier cut points make the page readable; it works without them. The active
  // model's inputs feed the what-if editor.
  const [models, summary] = await Promise.all([
    api.models().catch(() => [] as ModelSummary[]),
    api.summary().catch(() => null as DashboardSummary | null),
  ]);
  const activeId = models.find((m) => m.active)?.id;
  const activeModel =
    activeId === undefined
      ? null
      : await api.model(activeId).catch(() => null as ModelDetail | null);
  if (signal.aborted) return;
  const currency = currencySymbol(summary?.actions?.currency);
  const version = (modelId: number) => {
    const m = models.find((x) => x.id === modelId);
    return m ? `v${m.version}` : `#${modelId}`;
  };
  const cuts = summary?.risk_tiers ?? { medium: 0.3, high: 0.6 };
  const latest =
    customer.history.find((s) => s.model_id === customer.model_id) ?? customer.history[0];

  const gauge = h(
    'div',
    {
      class: 'gauge',
      role: 'img',
      'aria-label': `Chance of leaving ${formatProbability(customer.churn_probability)}, ${TIER_LABELS[customer.risk_tier]}`,
    },
    h(
      'div',
      { class: 'gauge-track' },
      h('span', { class: 'gauge-zone fill-low', style: { width: `${cuts.medium * 100}%` } }),
      h('span', {
        class: 'gauge-zone fill-medium',
        style: { width: `${(cuts.high - cuts.medium) * 100}%` },
      }),
      h('span', { class: 'gauge-zone fill-high', style: { width: `${(1 - cuts.high) * 100}%` } }),
      h('span', { class: 'gauge-marker', style: { left: `${customer.churn_probability * 100}%` } }),
    ),
    h(
      'div',
      { class: 'gauge-scale', 'aria-hidden': 'true' },
      h('span', null, '0%'),
      h('span', null, '50%'),
      h('span', null, '100%'),
    ),
  );

  const scoreCard = card(
    'Chance of leaving',
    h(
      'div',
      { class: 'score-hero' },
      h(
        'div',
        { class: `score-big tier-text-${customer.risk_tier}` },
        formatProbability(customer.churn_probability),
      ),
      tierBadge(customer.risk_tier),
      gauge,
      h(
        'p',
        { class: 'muted small' },
        'Scored by model ',
        h('a', { href: routeHref(['models', customer.model_id]) }, version(customer.model_id)),
        latest
          ? [
              ' ',
              h(
                'time',
                { datetime: latest.scored_at, title: formatDateTime(latest.scored_at) },
                formatRelativeTime(latest.scored_at),
              ),
            ]
          : null,
      ),
    ),
    {
      help: term(
        'What does this mean?',
        'Churn probability',
        `the model's estimate that this customer leaves; high risk from ${formatProbability(cuts.high)}`,
      ),
    },
  );

  const historyBody = h('div');
  const historyCard = card('Score history', historyBody, {
    help: 'Every score this customer received, newest first',
  });
  const history = [...customer.history];
  if (history.length > 1) {
    const ordered = [...history].reverse();
    makeChart(
      historyBody,
      {
        type: 'line',
        data: {
          labels: ordered.map((s) => `${formatDate(s.scored_at)} · ${version(s.model_id)}`),
          datasets: [
            {
              label: 'Chance of leaving',
              data: ordered.map((s) => s.churn_probability),
              borderColor: COLORS.primary,
              backgroundColor: COLORS.primarySoft,
              fill: true,
              tension: 0.25,
            },
          ],
        },
        options: {
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: (item) => ` ${formatProbability(Number(item.raw))}` } },
          },
          scales: {
            y: { min: 0, max: 1, ticks: { callback: percentTick } },
            x: { ticks: { maxRotation: 0, autoSkip: true } },
          },
        },
      },
      { name: 'history', label: 'Churn probability over time', height: 180, signal },
    );
  }
  historyBody.append(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        null,
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', null, 'When'),
            h('th', null, 'Model'),
            h('th', { class: 'num' }, 'Chance'),
            h('th', null, 'Risk'),
          ),
        ),
        h(
          'tbody',
          null,
          ...history.map((s) =>
            h(
              'tr',
              null,
              h('td', null, h('time', { datetime: s.scored_at }, formatDateTime(s.scored_at))),
              h('td', null, version(s.model_id)),
              h('td', { class: 'num' }, formatProbability(s.churn_probability)),
              h('td', null, tierBadge(s.risk_tier)),
            ),
          ),
        ),
      ),
    ),
  );

  const inputs = Object.entries(customer.inputs ?? {});
  const inputsCard = card(
    'What the model knows about this customer',
    inputs.length === 0
      ? emptyState('No inputs stored', 'This score was made without storing the customer’s fields.')
      : h(
          'dl',
          { class: 'inputs-list' },
          ...inputs.map(([name, value]) =>
            h(
              'div',
              { class: 'input-item' },
              h('dt', { title: name }, humanize(name)),
              h(
                'dd',
                null,
                value === null || value === ''
                  ? h('span', { class: 'muted' }, 'missing')
                  : typeof value === 'number'
                    ? formatNumber(value, 2)
                    : String(value),
              ),
            ),
          ),
        ),
    { help: 'The fields used for the latest score', class: 'span-2' },
  );

  const outcomesCard =
    customer.outcomes.length === 0
      ? null
      : card(
          'What happened',
          h(
            'ul',
            { class: 'plain-list' },
            ...customer.outcomes.map((o) =>
              h(
                'li',
                null,
                h(
                  'span',
                  { class: `badge ${o.churned ? 'badge-high' : 'badge-low'}` },
                  o.churned ? 'Left' : 'Stayed',
                ),
                ' ',
                formatDate(o.date),
              ),
            ),
          ),
          { help: 'Outcomes recorded for this customer' },
        );

  const actionCard = card(
    'Recommended action',
    actionDetails(customer.recommended_action, currency),
    {
      help: summary?.actions?.playbook
        ? `From the playbook “${summary.actions.playbook}”`
        : 'From the retention playbook',
    },
  );
  const reasonsCard = card(
    term(
      'Why this chance of leaving',
      'Contributions to the log-odds',
      'each input column’s push on this customer’s log-odds of leaving, from the typical customer’s; above 0 raises the risk',
    ),
    customer.reasons &&
      customer.reasons.length > 0 &&
      customer.base_value !== null &&
      customer.base_value !== undefined
      ? reasonWaterfall(customer.base_value, customer.reasons, signal)
      : emptyState(
          'No reasons for this score',
          'This customer was scored by a model that is no longer active, or without stored inputs. Score them again to see why.',
        ),
    {
      help: 'From a typical customer’s risk, each column moves it up (red) or down (green)',
      class: 'span-2',
    },
  );
  const whatIf = activeModel ? whatIfEditor(customer, activeModel, currency, signal) : null;

  mount(
    root,
    back,
    pageHeader(
      `Customer ${customer.customer_id}`,
      h(
        'span',
        null,
        TIER_LABELS[customer.risk_tier],
        ' · ',
        formatProbability(customer.churn_probability),
        ' chance of leaving',
      ),
      whatIf
        ? h(
            'button',
            {
              class: 'btn btn-primary',
              type: 'button',
              onclick: () => {
                whatIf.scrollIntoView({ block: 'start' });
                whatIf.querySelector<HTMLElement>('input, select')?.focus({ preventScroll: true });
              },
            },
            'Try a what-if',
          )
        : null,
    ),
    h(
      'div',
      { class: 'grid grid-2' },
      scoreCard,
      actionCard,
      reasonsCard,
      whatIf,
      historyCard,
      outcomesCard,
      inputsCard,
    ),
  );
};
