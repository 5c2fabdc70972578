// Models: the registry (version, method, quality, data, date), one model in detail, two models
// side by side, and activation or deletion with a confirmation.
import { api } from '../api';
import { COLORS, makeChart, percentTick } from '../charts';
import { h, mount } from '../dom';
import { evaluationSection } from '../evaluation';
import { globalExplanations } from '../explanation-views';
import {
  formatDateTime,
  formatPercent,
  formatProbability,
  formatRelativeTime,
  formatScore,
} from '../format';
import { algorithmName, aucVerdict } from '../metrics';
import type { Page } from '../page';
import { routeHref } from '../state';
import type { Dataset, ModelDetail, ModelSummary } from '../types';
import {
  card,
  confirmDialog,
  emptyState,
  errorState,
  loading,
  notice,
  pageHeader,
  term,
} from '../ui';

export const modelsPage: Page = (root, route, context) => {
  if (route.rest[0] === 'compare') return comparePage(root, route, context);
  if (route.rest.length > 0) return modelPage(root, route, context);
  return registryPage(root, route, context);
};

async function activate(
  model: { id: number; version: number; algorithm: string },
  current: ModelSummary | undefined,
): Promise<boolean> {
  const ok = await confirmDialog(
    `Activate model v${model.version}?`,
    h(
      'span',
      null,
      `${algorithmName(model.algorithm)} v${model.version} will score every new prediction`,
      current ? ` instead of v${current.version}. You can switch back at any time.` : '.',
    ),
    'Activate',
  );
  if (!ok) return false;
  await api.activateModel(model.id);
  return true;
}

const registryPage: Page = async (root, route, context) => {
  const { signal, navigate } = context;
  const status = h('div', { 'aria-live': 'polite' });
  mount(
    root,
    pageHeader('Models', 'Every model trained on this server; the active one scores customers'),
    loading('Loading models…'),
  );
  let models: ModelSummary[];
  let datasets: Dataset[] = [];
  try {
    [models, datasets] = await Promise.all([
      api.models(),
      api.datasets().catch(() => [] as Dataset[]),
    ]);
  } catch (error) {
    if (!signal.aborted)
      mount(
        root,
        pageHeader('Models'),
        errorState(error, () => registryPage(root, route, context)),
      );
    return;
  }
  if (signal.aborted) return;
  if (models.length === 0) {
    mount(
      root,
      pageHeader('Models'),
      emptyState(
        'No models yet',
        'Train one on your data: it appears here.',
        h('a', { class: 'btn btn-primary', href: '#/train' }, 'Train a model'),
      ),
    );
    return;
  }
  const active = models.find((m) => m.active);
  const picked = new Set<number>();
  const compare = h(
    'button',
    {
      class: 'btn',
      type: 'button',
      disabled: true,
      onclick: () => {
        const [a, b] = [...picked];
        navigate(routeHref(['models', 'compare'], { a, b }));
      },
    },
    'Select two to compare',
  );
  const compareLabels = ['Select two to compare', 'Select one more to compare', 'Compare the two'];
  const datasetName = (id: number | null) =>
    id === null ? '—' : (datasets.find((d) => d.id === id)?.name ?? `data set ${id}`);
  const rows = models.map((m) => {
    const box = h('input', {
      type: 'checkbox',
      'aria-label': `Select v${m.version} to compare`,
      onchange: (e: Event) => {
        if ((e.target as HTMLInputElement).checked) picked.add(m.id);
        else picked.delete(m.id);
        compare.disabled = picked.size !== 2;
        compare.textContent = compareLabels[Math.min(2, picked.size)];
        for (const other of table.querySelectorAll<HTMLInputElement>('input[type=checkbox]'))
          other.disabled = !other.checked && picked.size >= 2;
      },
    });
    const auc = m.cv?.roc_auc?.mean;
    return h(
      'tr',
      { 'data-model-id': m.id, class: m.active ? 'best' : undefined },
      h('td', { 'data-label': 'Compare' }, box),
      h(
        'td',
        { 'data-label': 'Version' },
        h('a', { class: 'row-link', href: routeHref(['models', m.id]) }, `v${m.version}`),
      ),
      h('td', { 'data-label': 'Method' }, algorithmName(m.algorithm)),
      h(
        'td',
        { class: 'num', 'data-label': 'Accuracy score' },
        auc === undefined
          ? '—'
          : h('span', null, formatScore(auc), h('span', { class: 'std' }, ` ${aucVerdict(auc)}`)),
      ),
      h(
        'td',
        { 'data-label': 'Trained on' },
        m.dataset_id === null
          ? '—'
          : h('a', { href: routeHref(['data', m.dataset_id]) }, datasetName(m.dataset_id)),
      ),
      h(
        'td',
        { class: 'cell-muted', 'data-label': 'Trained' },
        h(
          'time',
          { datetime: m.created_at, title: formatDateTime(m.created_at) },
          formatRelativeTime(m.created_at),
        ),
      ),
      h(
        'td',
        { 'data-label': 'Status' },
        m.active
          ? h('span', { class: 'badge badge-active' }, 'Active')
          : h('span', { class: 'badge badge-neutral' }, 'Inactive'),
      ),
      h(
        'td',
        { 'data-label': 'Actions', class: m.active ? 'no-actions' : undefined },
        h(
          'div',
          { class: 'row-actions' },
          m.active
            ? null
            : h(
                'button',
                {
                  class: 'btn btn-small',
                  type: 'button',
                  'data-action': 'activate',
                  onclick: async () => {
                    try {
                      if (await activate(m, active)) navigate('#/models');
                    } catch (error) {
                      status.replaceChildren(notice('error', (error as Error).message));
                    }
                  },
                },
                active && m.version < active.version ? 'Roll back to this' : 'Activate',
              ),
          m.active
            ? null
            : h(
                'button',
                {
                  class: 'btn btn-small',
                  type: 'button',
                  'aria-label': `Delete v${m.version}`,
                  onclick: async () => {
                    if (
                      !(await confirmDialog(
                        `Delete model v${m.version}?`,
                        'The saved model file is removed. Scores it made stay in the history.',
                        'Delete',
                        true,
                      ))
                    )
                      return;
                    try {
                      await api.deleteModel(m.id);
                      navigate('#/models');
                    } catch (error) {
                      status.replaceChildren(notice('error', (error as Error).message));
                    }
                  },
                },
                'Delete',
              ),
        ),
      ),
    );
  });
  const table = h(
    'table',
    { class: 'responsive registry' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', null, h('span', { class: 'sr-only' }, 'Compare')),
        h('th', null, 'Version'),
        h('th', null, 'Method'),
        h(
          'th',
          { class: 'num' },
          term(
            'Accuracy score',
            'ROC-AUC (cross-validated)',
            'how well the model ranks leavers above stayers: 1.0 perfect, 0.5 guessing',
          ),
        ),
        h('th', null, 'Trained on'),
        h('th', null, 'Trained'),
        h('th', null, 'Status'),
        h('th', null, h('span', { class: 'sr-only' }, 'Actions')),
      ),
    ),
    h('tbody', null, ...rows),
  );
  mount(
    root,
    pageHeader(
      'Models',
      'Every model trained on this server; the active one scores customers',
      compare,
      h('a', { class: 'btn btn-primary', href: '#/train' }, 'Train a new model'),
    ),
    status,
    card(null, h('div', { class: 'table-wrap' }, table)),
  );
};

const modelPage: Page = async (root, route, context) => {
  const { signal, navigate } = context;
  const id = Number(route.rest[0]);
  const back = h('a', { class: 'back-link', href: '#/models' }, '← All models');
  mount(root, back, pageHeader('Model'), loading('Loading the model…'));
  let model: ModelDetail;
  let models: ModelSummary[];
  try {
    [model, models] = await Promise.all([api.model(id), api.models()]);
  } catch (error) {
    if (!signal.aborted)
      mount(
        root,
        back,
        pageHeader('Model'),
        errorState(error, () => modelPage(root, route, context)),
      );
    return;
  }
  if (signal.aborted) return;
  const dataset =
    model.dataset_id === null ? null : await api.dataset(model.dataset_id).catch(() => null);
  if (signal.aborted) return;
  const status = h('div', { 'aria-live': 'polite' });
  const active = models.find((m) => m.active);
  const actions = model.active
    ? []
    : [
        h(
          'button',
          {
            class: 'btn btn-primary',
            type: 'button',
            'data-action': 'activate',
            onclick: async () => {
              try {
                if (await activate(model, active)) navigate(routeHref(['models', model.id]));
              } catch (error) {
                status.replaceChildren(notice('error', (error as Error).message));
              }
            },
          },
          active && model.version < active.version
            ? 'Roll back to this model'
            : 'Make this the active model',
        ),
      ];
  const cv = model.metrics.cv ?? {};
  const jobId = models.find((m) => m.id === model.id)?.job_id ?? null;
  const facts = card(
    'About this model',
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Status'),
      h(
        'dd',
        null,
        model.active
          ? h('span', { class: 'badge badge-active' }, 'Active: scores customers')
          : h('span', { class: 'badge badge-neutral' }, 'Inactive'),
      ),
      h('dt', null, 'Method'),
      h('dd', null, algorithmName(model.algorithm)),
      h(
        'dt',
        null,
        term('Accuracy score', 'ROC-AUC (cross-validated)', 'mean ± spread over the folds'),
      ),
      h(
        'dd',
        null,
        cv.roc_auc
          ? `${formatScore(cv.roc_auc.mean)} ± ${formatScore(cv.roc_auc.std)} (${aucVerdict(cv.roc_auc.mean)})`
          : '—',
      ),
      h('dt', null, 'Predicts'),
      h('dd', null, `“${model.target.column}” = ${model.target.positive_label}`),
      h('dt', null, 'Trained on'),
      h(
        'dd',
        null,
        dataset
          ? h(
              'a',
              { href: routeHref(['data', dataset.id]) },
              `${dataset.name} (${dataset.rows.toLocaleString('en-US')} rows)`,
            )
          : '—',
      ),
      h('dt', null, 'Trained'),
      h('dd', null, formatDateTime(model.created_at)),
      h('dt', null, 'Risk tiers'),
      h(
        'dd',
        null,
        `medium from ${formatProbability(model.risk_tiers.medium)}, high from ${formatProbability(model.risk_tiers.high)}`,
      ),
      jobId !== null
        ? [
            h('dt', null, 'Training report'),
            h(
              'dd',
              null,
              h('a', { href: routeHref(['train', 'job', jobId]) }, 'Leaderboard of that run'),
            ),
          ]
        : null,
    ),
    {
      actions: h(
        'details',
        { class: 'params' },
        h('summary', null, 'Settings'),
        h('pre', null, JSON.stringify(model.parameters, null, 2)),
      ),
    },
  );
  mount(
    root,
    back,
    pageHeader(
      `Model v${model.version}`,
      `${algorithmName(model.algorithm)} · ${model.name}`,
      ...actions,
    ),
    status,
    h('div', { class: 'grid grid-2' }, facts, summaryMetrics(model)),
    model.metrics.out_of_fold
      ? evaluationSection(model.metrics.out_of_fold, {
          importance: model.feature_importance,
          signal,
        })
      : notice('info', 'This model has no cross-validated curves stored.'),
    globalExplanations(model.explanations, signal),
  );
};

function summaryMetrics(model: ModelDetail): HTMLElement {
  const m = model.metrics.out_of_fold?.metrics;
  const cv = model.metrics.cv ?? {};
  const row = (label: HTMLElement | string, key: string, percent = false) => {
    const v = cv[key];
    return h(
      'tr',
      null,
      h('td', null, label),
      h('td', { class: 'num' }, v ? (percent ? formatPercent(v.mean) : formatScore(v.mean)) : '—'),
    );
  };
  return card(
    'Quality at a glance',
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        null,
        h(
          'tbody',
          null,
          row(term('Accuracy score', 'ROC-AUC'), 'roc_auc'),
          row(term('Precision score', 'PR-AUC'), 'pr_auc'),
          row(term('Flagged who really leave', 'Precision at 50%'), 'precision', true),
          row(term('Leavers caught', 'Recall at 50%'), 'recall', true),
          row(term('Right calls', 'Accuracy at 50%'), 'accuracy', true),
          row(term('Probability error', 'Log-loss', 'lower is better'), 'log_loss'),
        ),
      ),
    ),
    {
      help: m
        ? `Cross-validated on ${m.rows.toLocaleString('en-US')} customers`
        : 'Cross-validated',
    },
  );
}

const comparePage: Page = async (root, route, context) => {
  const { signal } = context;
  const back = h('a', { class: 'back-link', href: '#/models' }, '← All models');
  const ids = [Number(route.query.get('a')), Number(route.query.get('b'))];
  mount(root, back, pageHeader('Compare models'), loading('Loading both models…'));
  let pair: ModelDetail[];
  try {
    pair = await Promise.all(ids.map((i) => api.model(i)));
  } catch (error) {
    if (!signal.aborted)
      mount(
        root,
        back,
        pageHeader('Compare models'),
        errorState(error, () => comparePage(root, route, context)),
      );
    return;
  }
  if (signal.aborted) return;
  const [a, b] = pair;
  const label = (m: ModelDetail) => `v${m.version} ${algorithmName(m.algorithm)}`;
  const metrics: [string, string, string, boolean, boolean][] = [
    ['roc_auc', 'Accuracy score', 'ROC-AUC', true, false],
    ['pr_auc', 'Precision score', 'PR-AUC', true, false],
    ['f1', 'Balance', 'F1 at 50%', true, false],
    ['precision', 'Flagged who really leave', 'Precision at 50%', true, true],
    ['recall', 'Leavers caught', 'Recall at 50%', true, true],
    ['accuracy', 'Right calls', 'Accuracy at 50%', true, true],
    ['log_loss', 'Probability error', 'Log-loss, lower is better', false, false],
  ];
  const cell = (m: ModelDetail, key: string, percent: boolean, better: boolean) => {
    const v = m.metrics.cv?.[key]?.mean;
    return h(
      'td',
      { class: `num${better ? ' better' : ''}` },
      v === undefined ? '—' : percent ? formatPercent(v) : formatScore(v),
    );
  };
  const table = h(
    'table',
    { class: 'compare-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', null, 'Measure'),
        h('th', { class: 'num' }, label(a)),
        h('th', { class: 'num' }, label(b)),
      ),
    ),
    h(
      'tbody',
      null,
      ...metrics.map(([key, plain, technical, higherIsBetter, percent]) => {
        const va = a.metrics.cv?.[key]?.mean;
        const vb = b.metrics.cv?.[key]?.mean;
        const aBetter =
          va !== undefined && vb !== undefined && (higherIsBetter ? va > vb : va < vb);
        const bBetter =
          va !== undefined && vb !== undefined && (higherIsBetter ? vb > va : vb < va);
        return h(
          'tr',
          null,
          h('td', null, term(plain, technical)),
          cell(a, key, percent, aBetter),
          cell(b, key, percent, bBetter),
        );
      }),
    ),
  );
  const facts = (m: ModelDetail) =>
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Status'),
      h('dd', null, m.active ? h('span', { class: 'badge badge-active' }, 'Active') : 'Inactive'),
      h('dt', null, 'Trained'),
      h('dd', null, formatDateTime(m.created_at)),
      h('dt', null, 'Predicts'),
      h('dd', null, `“${m.target.column}” = ${m.target.positive_label}`),
    );
  const rocCard = card('How well each ranks customers', null, {
    help: 'ROC curves of both models (cross-validated)',
  });
  const importanceCard = card('What each relies on', null, {
    help: 'Share of importance of the top input columns',
  });
  mount(
    root,
    back,
    pageHeader('Compare models', `${label(a)} and ${label(b)}`),
    h(
      'div',
      { class: 'grid grid-2' },
      card(h('a', { href: routeHref(['models', a.id]) }, label(a)), facts(a)),
      card(h('a', { href: routeHref(['models', b.id]) }, label(b)), facts(b)),
      card('Side by side', h('div', { class: 'table-wrap' }, table), {
        class: 'span-2',
        help: 'The better value of each measure is highlighted',
      }),
      rocCard,
      importanceCard,
    ),
  );
  const colours = [COLORS.primary, COLORS.series[2]];
  makeChart(
    rocCard.querySelector('.card-body') as HTMLElement,
    {
      type: 'scatter',
      data: {
        datasets: [
          ...pair.map((m, i) => ({
            label: label(m),
            data: (m.metrics.out_of_fold?.roc_curve ?? []).map((p) => ({ x: p.x, y: p.y })),
            showLine: true,
            borderColor: colours[i],
            backgroundColor: colours[i],
            pointRadius: 0,
            borderWidth: 2.5,
          })),
          {
            label: 'Guessing',
            data: [
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ],
            showLine: true,
            borderColor: COLORS.reference,
            borderDash: [5, 5],
            pointRadius: 0,
            borderWidth: 1.5,
          },
        ],
      },
      options: {
        plugins: { legend: { position: 'bottom' }, tooltip: { enabled: false } },
        scales: {
          x: {
            min: 0,
            max: 1,
            ticks: { callback: percentTick },
            title: { display: true, text: 'Stayers wrongly flagged' },
          },
          y: {
            min: 0,
            max: 1,
            ticks: { callback: percentTick },
            title: { display: true, text: 'Leavers caught' },
          },
        },
      },
    },
    { name: 'compare-roc', label: 'ROC curves of both models', height: 280, signal },
  );
  const columns = [
    ...new Set(
      [...a.feature_importance.slice(0, 8), ...b.feature_importance.slice(0, 8)].map(
        (f) => f.column,
      ),
    ),
  ];
  const share = (m: ModelDetail, column: string) =>
    m.feature_importance.find((f) => f.column === column)?.importance ?? 0;
  columns.sort((x, y) => share(a, y) + share(b, y) - share(a, x) - share(b, x));
  makeChart(
    importanceCard.querySelector('.card-body') as HTMLElement,
    {
      type: 'bar',
      data: {
        labels: columns,
        datasets: pair.map((m, i) => ({
          label: label(m),
          data: columns.map((c) => share(m, c)),
          backgroundColor: colours[i],
          borderRadius: 3,
          maxBarThickness: 14,
        })),
      },
      options: {
        indexAxis: 'y',
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              label: (item) => ` ${item.dataset.label}: ${formatPercent(Number(item.raw))}`,
            },
          },
        },
        scales: {
          x: { beginAtZero: true, ticks: { callback: percentTick } },
          y: { grid: { display: false }, ticks: { autoSkip: false } },
        },
      },
    },
    {
      name: 'compare-importance',
      label: 'Feature importance of both models',
      height: Math.max(200, 40 + columns.length * 34),
      signal,
    },
  );
};
