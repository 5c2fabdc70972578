// Train: choose the data, what to predict, the model families and the number of folds; start;
// follow the progress live (server-sent events); then the leaderboard and, per model, its curves,
// threshold trade-off, calibration, lift and importance.
import { api } from '../api';
import { h, mount, uid } from '../dom';
import { evaluationSection } from '../evaluation';
import {
  formatCount,
  formatPercent,
  formatRelativeTime,
  formatScore,
  formatSeconds,
} from '../format';
import { ALGORITHM_BLURBS, ALGORITHM_NAMES, algorithmName, aucVerdict } from '../metrics';
import type { Page } from '../page';
import { guessPositive, guessTarget, identifierColumns, targetLevels } from '../profile';
import { routeHref } from '../state';
import type {
  Dataset,
  LeaderboardModel,
  ModelDetail,
  TrainingJob,
  TrainingRequest,
} from '../types';
import {
  card,
  emptyState,
  errorState,
  loading,
  notice,
  pageHeader,
  progressBar,
  term,
} from '../ui';

const FAMILIES = ['lr', 'rf', 'gbm'];
const FOLDS = [3, 5, 10];

export const trainPage: Page = (root, route, context) =>
  route.rest[0] === 'job' && route.rest[1]
    ? jobPage(root, route, context)
    : setupPage(root, route, context);

const setupPage: Page = async (root, route, context) => {
  const { signal, navigate } = context;
  mount(root, pageHeader('Train models'), loading('Loading data sets…'));
  let datasets: Dataset[];
  try {
    datasets = await api.datasets();
  } catch (error) {
    if (!signal.aborted)
      mount(
        root,
        pageHeader('Train models'),
        errorState(error, () => setupPage(root, route, context)),
      );
    return;
  }
  if (signal.aborted) return;
  if (datasets.length === 0) {
    mount(
      root,
      pageHeader('Train models'),
      emptyState(
        'No data to train on',
        'Upload a CSV file of customers first.',
        h('a', { class: 'btn btn-primary', href: '#/data' }, 'Upload data'),
      ),
    );
    return;
  }
  const requested = Number(route.query.get('dataset'));
  const choice = {
    dataset: datasets.find((d) => d.id === requested)?.id ?? datasets[0].id,
    target: route.query.get('target') ?? '',
    positive: route.query.get('positive') ?? '',
    id: route.query.get('id') ?? '',
    models: new Set(FAMILIES),
    folds: 5,
  };
  const formHolder = h('div', null, loading('Reading the data set…'));
  const status = h('div', { 'aria-live': 'polite' });
  mount(
    root,
    pageHeader(
      'Train models',
      'Several kinds of model are tried on your data and compared fairly; the best is saved.',
    ),
    card('Settings', h('div', null, formHolder, status)),
  );

  let dataset: Dataset | null = null;
  async function loadDataset(first: boolean): Promise<void> {
    formHolder.replaceChildren(loading('Reading the data set…'));
    try {
      dataset = await api.dataset(choice.dataset);
    } catch (error) {
      if (!signal.aborted)
        formHolder.replaceChildren(errorState(error, () => void loadDataset(first)));
      return;
    }
    if (signal.aborted) return;
    const profile = dataset.profile!;
    const names = profile.column_profiles.map((c) => c.name);
    if (!first || !names.includes(choice.target)) choice.target = guessTarget(profile) ?? '';
    if (!first || !names.includes(choice.id)) choice.id = identifierColumns(profile)[0] ?? '';
    const levels = targetLevels(profile.column_profiles.find((c) => c.name === choice.target));
    if (!levels.includes(choice.positive)) choice.positive = guessPositive(levels);
    renderForm();
  }

  function renderForm(): void {
    const profile = dataset!.profile!;
    const columns = profile.column_profiles;
    const levels = targetLevels(columns.find((c) => c.name === choice.target));
    const ids = {
      dataset: uid('ds'),
      target: uid('tg'),
      positive: uid('pl'),
      id: uid('id'),
      folds: uid('fo'),
    };
    const start = h(
      'button',
      {
        class: 'btn btn-primary',
        type: 'submit',
        disabled: !choice.target || choice.models.size === 0,
      },
      'Start training',
    );
    mount(
      formHolder,
      h(
        'form',
        {
          class: 'train-form',
          onsubmit: async (e: Event) => {
            e.preventDefault();
            start.disabled = true;
            status.replaceChildren(loading('Starting…'));
            const request: TrainingRequest = {
              dataset_id: choice.dataset,
              target: choice.target,
              models: FAMILIES.filter((f) => choice.models.has(f)),
              folds: choice.folds,
            };
            if (choice.positive) request.positive_label = choice.positive;
            if (choice.id) request.id_column = choice.id;
            try {
              const job = await api.startTraining(request);
              if (!signal.aborted) navigate(routeHref(['train', 'job', job.id]));
            } catch (error) {
              if (!signal.aborted) {
                status.replaceChildren(notice('error', (error as Error).message));
                start.disabled = false;
              }
            }
          },
        },
        h(
          'div',
          { class: 'form-grid' },
          h(
            'div',
            { class: 'field' },
            h('label', { for: ids.dataset }, 'Data set'),
            h(
              'select',
              {
                id: ids.dataset,
                name: 'dataset',
                onchange: (e: Event) => {
                  choice.dataset = Number((e.target as HTMLSelectElement).value);
                  void loadDataset(false);
                },
              },
              ...datasets.map((d) =>
                h(
                  'option',
                  { value: d.id, selected: d.id === choice.dataset },
                  `${d.name} (${formatCount(d.rows)} rows)`,
                ),
              ),
            ),
          ),
          h(
            'div',
            { class: 'field' },
            h('label', { for: ids.target }, 'Column to predict'),
            h(
              'select',
              {
                id: ids.target,
                name: 'target',
                onchange: (e: Event) => {
                  choice.target = (e.target as HTMLSelectElement).value;
                  choice.positive = guessPositive(
                    targetLevels(columns.find((c) => c.name === choice.target)),
                  );
                  renderForm();
                },
              },
              h('option', { value: '', selected: !choice.target }, 'Choose a column…'),
              ...columns
                .filter((c) => c.type !== 'identifier' && c.type !== 'constant' && c.distinct <= 20)
                .map((c) =>
                  h('option', { value: c.name, selected: c.name === choice.target }, c.name),
                ),
            ),
          ),
          h(
            'div',
            { class: 'field' },
            h('label', { for: ids.positive }, 'Value that means “left”'),
            h(
              'select',
              {
                id: ids.positive,
                name: 'positive',
                disabled: levels.length === 0,
                onchange: (e: Event) => {
                  choice.positive = (e.target as HTMLSelectElement).value;
                },
              },
              ...levels.map((l) => h('option', { value: l, selected: l === choice.positive }, l)),
            ),
          ),
          h(
            'div',
            { class: 'field' },
            h('label', { for: ids.id }, 'Customer ID column'),
            h(
              'select',
              {
                id: ids.id,
                name: 'id',
                onchange: (e: Event) => {
                  choice.id = (e.target as HTMLSelectElement).value;
                },
              },
              h('option', { value: '', selected: !choice.id }, 'None'),
              ...columns.map((c) =>
                h('option', { value: c.name, selected: c.name === choice.id }, c.name),
              ),
            ),
          ),
        ),
        h(
          'fieldset',
          { class: 'families' },
          h('legend', null, 'Kinds of model to try'),
          h(
            'div',
            { class: 'checks checks-3' },
            ...FAMILIES.map((family) =>
              h(
                'label',
                { class: 'check' },
                h('input', {
                  type: 'checkbox',
                  name: 'models',
                  value: family,
                  checked: choice.models.has(family),
                  onchange: (e: Event) => {
                    if ((e.target as HTMLInputElement).checked) choice.models.add(family);
                    else choice.models.delete(family);
                    start.disabled = !choice.target || choice.models.size === 0;
                  },
                }),
                h('span', { class: 'check-title' }, ALGORITHM_NAMES[family]),
                h('span', { class: 'check-text' }, ALGORITHM_BLURBS[family]),
              ),
            ),
          ),
        ),
        h(
          'div',
          { class: 'form-grid' },
          h(
            'div',
            { class: 'field' },
            h(
              'label',
              { for: ids.folds },
              term(
                'Checking rounds',
                'Cross-validation folds',
                'the data is split into this many parts; each model is trained on all but one and tested on the one left out, in turn',
              ),
            ),
            h(
              'select',
              {
                id: ids.folds,
                name: 'folds',
                onchange: (e: Event) => {
                  choice.folds = Number((e.target as HTMLSelectElement).value);
                },
              },
              ...FOLDS.map((f) =>
                h(
                  'option',
                  { value: f, selected: f === choice.folds },
                  `${f} rounds${f === 5 ? ' (recommended)' : ''}`,
                ),
              ),
            ),
          ),
        ),
        h(
          'div',
          { class: 'actions' },
          start,
          h(
            'span',
            { class: 'muted small' },
            'The best model is saved; the first one becomes active at once.',
          ),
        ),
      ),
    );
  }
  void loadDataset(true);
};

const jobPage: Page = async (root, route, context) => {
  const { signal } = context;
  const id = Number(route.rest[1]);
  const back = h('a', { class: 'back-link', href: '#/train' }, '← New training');
  mount(root, back, pageHeader(`Training #${id}`), loading('Loading the training job…'));
  let job: TrainingJob;
  try {
    job = await api.job(id);
  } catch (error) {
    if (!signal.aborted)
      mount(
        root,
        back,
        pageHeader(`Training #${id}`),
        errorState(error, () => jobPage(root, route, context)),
      );
    return;
  }
  if (signal.aborted) return;
  const datasetName = await api
    .dataset(job.dataset_id)
    .then((d) => d.name)
    .catch(() => `data set ${job.dataset_id}`);
  if (signal.aborted) return;
  const header = pageHeader(
    `Training on ${datasetName}`,
    `Predicting “${job.request.target}” · started ${formatRelativeTime(job.created_at)}`,
  );
  const progressHolder = h('div');
  const resultHolder = h('div');
  mount(root, back, header, progressHolder, resultHolder);

  if (job.status === 'queued' || job.status === 'running') {
    const bar = progressBar('Training');
    const cancel = h(
      'button',
      {
        class: 'btn btn-small',
        type: 'button',
        onclick: async () => {
          cancel.disabled = true;
          try {
            await api.cancelJob(id);
          } catch (error) {
            progressHolder.append(notice('error', (error as Error).message));
          }
        },
      },
      'Cancel',
    );
    mount(
      progressHolder,
      card(
        'Training in progress',
        h('div', null, bar.element, h('div', { class: 'actions' }, cancel)),
        { help: 'You can leave this page; training continues on the server.' },
      ),
    );
    const show = (j: TrainingJob) => bar.set(j.progress, friendlyStep(j.step));
    show(job);
    const stream = new AbortController();
    signal.addEventListener('abort', () => stream.abort(), { once: true });
    try {
      job = await api.followJob(id, show, stream.signal);
    } catch (error) {
      if (signal.aborted) return;
      progressHolder.replaceChildren(errorState(error, () => jobPage(root, route, context)));
      return;
    }
    if (signal.aborted) return;
    progressHolder.replaceChildren();
  }
  await renderResult(job, resultHolder, signal);
};

function friendlyStep(step: string): string {
  if (!step) return 'Working';
  return step.charAt(0).toUpperCase() + step.slice(1);
}

async function renderResult(
  job: TrainingJob,
  holder: HTMLElement,
  signal: AbortSignal,
): Promise<void> {
  if (job.status === 'failed') {
    mount(
      holder,
      card(
        'Training failed',
        h(
          'div',
          null,
          notice('error', job.error ?? 'The server did not say why.'),
          h(
            'div',
            { class: 'actions' },
            h(
              'a',
              {
                class: 'btn btn-primary',
                href: routeHref(['train'], { dataset: job.dataset_id, target: job.request.target }),
              },
              'Change the settings and try again',
            ),
          ),
        ),
      ),
    );
    return;
  }
  if (job.status === 'cancelled') {
    mount(
      holder,
      card(
        'Training cancelled',
        h(
          'div',
          null,
          h('p', null, 'Nothing was saved.'),
          h(
            'div',
            { class: 'actions' },
            h('a', { class: 'btn btn-primary', href: '#/train' }, 'Start again'),
          ),
        ),
      ),
    );
    return;
  }
  const board = job.leaderboard;
  if (!board || board.models.length === 0) {
    mount(holder, emptyState('No results', 'This training job finished without a leaderboard.'));
    return;
  }
  let saved: ModelDetail | null = null;
  if (job.model_id !== null) saved = await api.model(job.model_id).catch(() => null);
  if (signal.aborted) return;
  const best = board.models[0];
  const summary = notice(
    'success',
    h(
      'span',
      null,
      `Best: ${algorithmName(best.name)}, accuracy score ${formatScore(best.cv.roc_auc?.mean)} (${aucVerdict(best.cv.roc_auc?.mean)}). `,
      saved
        ? h(
            'span',
            null,
            'Saved as ',
            h('a', { href: routeHref(['models', saved.id]) }, `model v${saved.version}`),
            saved.active
              ? ', now the active model.'
              : '. Activate it on the Models page to use it for scoring.',
          )
        : null,
    ),
  );
  const facts = h(
    'p',
    { class: 'muted small' },
    `${formatCount(board.rows)} rows (${formatCount(board.duplicates_removed)} duplicates left out), ${formatPercent(board.positive_rate)} “${board.positive_label}”, ` +
      `${board.folds}-fold cross-validation, ${board.feature_columns.length} input columns, ${formatSeconds(board.seconds)} in all.` +
      (board.excluded_columns.length
        ? ` Left out: ${board.excluded_columns.map((c) => `${c.column} (${c.reason})`).join(', ')}.`
        : ''),
  );

  const detailHolder = h('div');
  let selected = best.name;
  const table = leaderboardTable(
    board.models,
    () => selected,
    (name) => {
      selected = name;
      showDetail();
    },
  );
  function showDetail(): void {
    const model = board!.models.find((m) => m.name === selected)!;
    detailControl?.abort();
    detailControl = new AbortController();
    const localSignal = detailControl.signal;
    signal.addEventListener('abort', () => detailControl?.abort(), { once: true });
    if (!model.out_of_fold) {
      mount(
        detailHolder,
        notice('info', 'Curves are not available for this job (trained by an older server).'),
      );
      return;
    }
    const isSaved = saved && model.name === board!.best;
    mount(
      detailHolder,
      h('h2', { class: 'section-heading' }, `${algorithmName(model.name)} in detail`),
      evaluationSection(model.out_of_fold, {
        importance: isSaved ? saved!.feature_importance : null,
        importanceNote: isSaved
          ? undefined
          : `Importance is measured on the saved model (${algorithmName(board!.best)}), which is refitted on all rows; ${algorithmName(model.name)} was only cross-validated.`,
        signal: localSignal,
      }),
    );
  }
  let detailControl: AbortController | null = null;
  mount(
    holder,
    summary,
    card('Leaderboard', h('div', null, facts, table), {
      help: 'Ranked by accuracy score. Select a model to see its details below.',
    }),
    detailHolder,
  );
  showDetail();
}

function leaderboardTable(
  models: LeaderboardModel[],
  selected: () => string,
  select: (name: string) => void,
): HTMLElement {
  const group = uid('pick');
  const metric = (m: LeaderboardModel, key: string, digits = 3) => {
    const v = m.cv[key];
    return v
      ? h(
          'span',
          { class: 'nowrap' },
          digits === 3 ? formatScore(v.mean) : formatPercent(v.mean),
          h(
            'span',
            { class: 'std' },
            ` ±${digits === 3 ? formatScore(v.std) : formatPercent(v.std)}`,
          ),
        )
      : '—';
  };
  const rows = models.map((m, i) => {
    const radio = h('input', {
      type: 'radio',
      name: group,
      value: m.name,
      checked: m.name === selected(),
      'aria-label': `Show details of ${algorithmName(m.name)}`,
      onchange: () => {
        select(m.name);
        highlight();
      },
    });
    return h(
      'tr',
      { class: i === 0 ? 'best' : undefined, 'data-model': m.name },
      h('td', { 'data-label': 'Show' }, radio),
      h(
        'td',
        { 'data-label': 'Rank' },
        i === 0 ? h('span', { class: 'badge badge-active' }, 'Best') : `#${i + 1}`,
      ),
      h(
        'td',
        { 'data-label': 'Model' },
        h('strong', null, algorithmName(m.name)),
        h('div', { class: 'muted small' }, m.title),
      ),
      h(
        'td',
        { class: 'num', 'data-label': 'Accuracy score', 'data-metric': 'roc_auc' },
        metric(m, 'roc_auc'),
      ),
      h('td', { class: 'num', 'data-label': 'Precision score' }, metric(m, 'pr_auc')),
      h('td', { class: 'num', 'data-label': 'Balance' }, metric(m, 'f1')),
      h('td', { class: 'num', 'data-label': 'Right calls' }, metric(m, 'accuracy', 1)),
      h('td', { class: 'num', 'data-label': 'Time per round' }, formatSeconds(m.fit_seconds)),
    );
  });
  const tbody = h('tbody', null, ...rows);
  function highlight(): void {
    for (const row of tbody.querySelectorAll('tr'))
      row.classList.toggle('selected', row.getAttribute('data-model') === selected());
  }
  highlight();
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'responsive leaderboard' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', null, h('span', { class: 'sr-only' }, 'Show')),
          h('th', null, 'Rank'),
          h('th', null, 'Model'),
          h(
            'th',
            { class: 'num' },
            term(
              'Accuracy score',
              'ROC-AUC',
              'how well the model ranks leavers above stayers: 1.0 perfect, 0.5 guessing; mean ± spread over the folds',
            ),
          ),
          h(
            'th',
            { class: 'num' },
            term(
              'Precision score',
              'PR-AUC',
              'area under the precision-recall curve; higher is better, the share of leavers is the baseline',
            ),
          ),
          h(
            'th',
            { class: 'num' },
            term('Balance', 'F1', 'balance of precision and recall at a 50% threshold'),
          ),
          h(
            'th',
            { class: 'num' },
            term(
              'Right calls',
              'Accuracy',
              'share of customers classified correctly at a 50% threshold',
            ),
          ),
          h('th', { class: 'num' }, term('Time', 'Mean fit time per fold')),
        ),
      ),
      tbody,
    ),
  );
}
