// Score: one customer from a form generated from the active model's inputs (scored as you type),
// and a whole CSV file with upload progress, a preview of the results and the scored file to keep.
import { api } from '../api';
import { parseCsv } from '../csv';
import { h, mount, uid } from '../dom';
import { defaultValues, rangeNote, toRecord, valuesFromCustomer, type FormValues } from '../form';
import { inputField } from '../form-fields';
import { formatBytes, formatCount, formatPercent, formatProbability, humanize } from '../format';
import type { Page } from '../page';
import type { BatchJob, BatchResult, ModelDetail, Prediction, Tier } from '../types';
import {
  TIER_LABELS,
  card,
  downloadText,
  emptyState,
  errorState,
  loading,
  notice,
  pageHeader,
  progressBar,
  term,
  tierBadge,
} from '../ui';
import { algorithmName } from '../metrics';
import { fileDropzone } from './upload';

const PREVIEW_ROWS = 20;

export const scorePage: Page = async (root, route, context) => {
  const { signal } = context;
  mount(root, pageHeader('Score customers'), loading('Loading the active model…'));
  let model: ModelDetail | null = null;
  const customerId = route.query.get('customer');
  let start: { id: string; inputs: Record<string, unknown> } | null = null;
  try {
    const active = (await api.models()).find((m) => m.active);
    if (active) model = await api.model(active.id);
    if (customerId) start = { id: customerId, inputs: (await api.customer(customerId)).inputs };
  } catch (error) {
    if (!signal.aborted)
      mount(
        root,
        pageHeader('Score customers'),
        errorState(error, () => scorePage(root, route, context)),
      );
    return;
  }
  if (signal.aborted) return;
  if (!model) {
    mount(
      root,
      pageHeader('Score customers'),
      emptyState(
        'No active model',
        'Train a model first: scoring uses the active model.',
        h('a', { class: 'btn btn-primary', href: '#/train' }, 'Train a model'),
      ),
    );
    return;
  }
  mount(
    root,
    pageHeader(
      'Score customers',
      h(
        'span',
        null,
        'With ',
        h(
          'a',
          { href: `#/models/${model.id}` },
          `${algorithmName(model.algorithm)} v${model.version}`,
        ),
        ', the active model',
      ),
    ),
    h(
      'div',
      { class: 'grid grid-score' },
      singleCustomer(model, start, signal),
      batchScoring(signal),
    ),
  );
};

function singleCustomer(
  model: ModelDetail,
  start: { id: string; inputs: Record<string, unknown> } | null,
  signal: AbortSignal,
): HTMLElement {
  const inputs = model.inputs ?? [];
  const values: FormValues = start
    ? valuesFromCustomer(inputs, start.inputs)
    : defaultValues(inputs);
  const result = h('div', { class: 'score-result', 'aria-live': 'polite' });
  const errors = new Map<string, HTMLElement>();
  let customerId = '';

  const fields = inputs.map((input) => inputField(input, values, errors, () => schedule()));
  const idId = uid('customer-id');
  const idField = model.id_column
    ? h(
        'div',
        { class: 'field' },
        h(
          'label',
          { for: idId, title: model.id_column },
          `${humanize(model.id_column)} (optional)`,
        ),
        h('input', {
          id: idId,
          type: 'text',
          name: model.id_column,
          autocomplete: 'off',
          placeholder: 'to find this score later',
          oninput: (e: Event) => {
            customerId = (e.target as HTMLInputElement).value;
          },
        }),
      )
    : null;

  let timer = 0;
  let sequence = 0;
  const schedule = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void score(), 250);
  };
  signal.addEventListener('abort', () => window.clearTimeout(timer));

  async function score(): Promise<void> {
    const { record, errors: invalid } = toRecord(inputs, values, model.id_column, customerId);
    for (const [name, box] of errors)
      box.textContent =
        invalid[name] ??
        rangeNote(
          inputs.find((i) => i.name === name)!,
          values[name],
        ) ??
        '';
    if (Object.keys(invalid).length > 0) {
      result.replaceChildren(notice('error', 'Fix the highlighted fields to see the score.'));
      return;
    }
    const mine = ++sequence;
    result.classList.add('updating');
    try {
      const prediction = await api.predict(record);
      if (signal.aborted || mine !== sequence) return;
      showPrediction(prediction);
    } catch (error) {
      if (!signal.aborted && mine === sequence)
        result.replaceChildren(notice('error', (error as Error).message));
    } finally {
      if (mine === sequence) result.classList.remove('updating');
    }
  }

  function showPrediction(p: Prediction): void {
    result.replaceChildren(
      h(
        'div',
        { class: 'result-label' },
        term(
          'Chance of leaving',
          'Churn probability',
          'the model’s estimate that this customer leaves',
        ),
      ),
      h(
        'div',
        { class: `score-big tier-text-${p.risk_tier}`, 'data-testid': 'probability' },
        formatProbability(p.churn_probability),
      ),
      tierBadge(p.risk_tier),
      h('p', { class: 'muted small' }, advice(p.risk_tier)),
    );
  }

  const form = h(
    'form',
    {
      class: 'score-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        window.clearTimeout(timer);
        void score();
      },
    },
    h('div', { class: 'form-grid' }, idField, ...fields),
    h(
      'div',
      { class: 'actions' },
      h('button', { class: 'btn btn-primary', type: 'submit' }, 'Score this customer'),
      h(
        'button',
        {
          class: 'btn',
          type: 'button',
          onclick: () => {
            Object.assign(values, defaultValues(inputs));
            for (const input of inputs) {
              const control = form.querySelector<HTMLInputElement | HTMLSelectElement>(
                `[name="${CSS.escape(input.name)}"]`,
              );
              if (control) control.value = values[input.name];
            }
            void score();
          },
        },
        'Reset to typical values',
      ),
    ),
  );

  if (inputs.length === 0) {
    return card(
      'One customer',
      emptyState(
        'This model lists no inputs',
        'It was saved by an older server; train it again to score single customers here.',
      ),
      { class: 'span-2' },
    );
  }
  void score();
  return card(
    start ? `What if customer ${start.id} changed?` : 'One customer',
    h('div', { class: 'single-layout' }, form, h('aside', { class: 'result-panel' }, result)),
    {
      help: start
        ? 'The form starts from this customer’s data; change a field to see how the chance of leaving moves. Their stored score stays as it is.'
        : 'Start from a typical customer and change what you know; the score updates as you type.',
      class: 'span-2',
    },
  );
}

function advice(tier: Tier): string {
  if (tier === 'high') return 'Likely to leave: worth a call from the retention team.';
  if (tier === 'medium') return 'Some risk: a good candidate for a targeted offer.';
  return 'Unlikely to leave on current information.';
}

function batchScoring(signal: AbortSignal): HTMLElement {
  const status = h('div', { 'aria-live': 'polite' });
  const output = h('div');
  const zone = fileDropzone({
    label: 'Choose a CSV file of customers',
    hint: 'Same columns as the training data; the target column may be left out.',
    name: 'batch-file',
    onFile: (file) => void run(file),
  });

  async function run(file: File): Promise<void> {
    output.replaceChildren();
    const bar = progressBar('Uploading');
    status.replaceChildren(
      h('p', { class: 'small' }, `${file.name} · ${formatBytes(file.size)}`),
      bar.element,
    );
    try {
      const answer = await api.predictBatch(
        file,
        file.name,
        (f) => bar.set(f, f < 1 ? 'Uploading' : 'Scoring'),
        signal,
      );
      let result: BatchResult;
      if ('csv' in answer) {
        result = answer;
      } else {
        result = await waitForJob(answer, bar, signal);
      }
      if (signal.aborted) return;
      bar.set(1, 'Done');
      status.replaceChildren();
      showBatch(file.name, result);
    } catch (error) {
      if (!signal.aborted) status.replaceChildren(notice('error', (error as Error).message));
    }
  }

  function showBatch(fileName: string, result: BatchResult): void {
    const parsed = parseCsv(result.csv, Number.POSITIVE_INFINITY);
    const tierColumn = parsed.header.indexOf('risk_tier');
    const counts: Record<Tier, number> = { low: 0, medium: 0, high: 0 };
    for (const row of parsed.rows) {
      const tier = row[tierColumn] as Tier;
      if (tier in counts) counts[tier] += 1;
    }
    const scoredName = fileName.replace(/\.csv$/i, '') + '-scored.csv';
    const preview = parsed.rows.slice(0, PREVIEW_ROWS);
    const probabilityColumn = parsed.header.indexOf('churn_probability');
    mount(
      output,
      notice(
        result.rejected.length ? 'info' : 'success',
        `Scored ${formatCount(result.rows)} customers with model v${result.model_version}` +
          (result.rejected.length
            ? `; ${formatCount(result.rejected.length)} rows could not be read (listed below).`
            : '.'),
      ),
      h(
        'div',
        { class: 'mini-kpis' },
        ...(['high', 'medium', 'low'] as const).map((t) =>
          h(
            'div',
            { class: `mini-kpi mini-${t}` },
            h('span', null, TIER_LABELS[t]),
            h('strong', null, formatCount(counts[t])),
            h(
              'span',
              { class: 'muted small' },
              formatPercent(parsed.rows.length ? counts[t] / parsed.rows.length : 0),
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            class: 'btn btn-primary',
            type: 'button',
            'data-testid': 'download-scored',
            onclick: () => downloadText(result.csv, scoredName),
          },
          `Download ${scoredName}`,
        ),
        h('a', { class: 'btn', href: '#/customers' }, 'See them in Customers'),
      ),
      h(
        'h3',
        { class: 'section-title' },
        parsed.rows.length > PREVIEW_ROWS
          ? `First ${PREVIEW_ROWS} of ${formatCount(parsed.rows.length)} rows`
          : 'Results',
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'batch-table' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ...parsed.header.map((c, i) =>
                h(
                  'th',
                  { class: i === probabilityColumn ? 'num' : undefined },
                  c === 'churn_probability' ? 'Chance of leaving' : c === 'risk_tier' ? 'Risk' : c,
                ),
              ),
            ),
          ),
          h(
            'tbody',
            null,
            ...preview.map((row) =>
              h(
                'tr',
                null,
                ...row.map((cell, i) =>
                  i === tierColumn && cell in counts
                    ? h('td', null, tierBadge(cell as Tier))
                    : i === probabilityColumn
                      ? h('td', { class: 'num' }, formatProbability(Number(cell)))
                      : h('td', null, cell),
                ),
              ),
            ),
          ),
        ),
      ),
      result.rejected.length
        ? h(
            'details',
            { class: 'rejects' },
            h('summary', null, `${formatCount(result.rejected.length)} rows could not be scored`),
            h(
              'ul',
              null,
              ...result.rejected
                .slice(0, 50)
                .map((r) =>
                  h('li', null, `Line ${r.line}${r.column ? `, ${r.column}` : ''}: ${r.reason}`),
                ),
            ),
          )
        : null,
    );
  }

  return card('A whole file', h('div', null, zone, status, output), {
    help: 'Upload a CSV to score every customer in it. The scores are also added to the Customers list.',
    class: 'span-2',
  });
}

async function waitForJob(
  job: BatchJob,
  bar: ReturnType<typeof progressBar>,
  signal: AbortSignal,
): Promise<BatchResult> {
  let current = job;
  let tick = 0;
  while (current.status === 'queued' || current.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (signal.aborted) throw new DOMException('left the page', 'AbortError');
    current = await api.batchJob(current.id);
    tick += 1;
    bar.set(
      Math.min(0.95, 0.5 + tick * 0.02),
      current.status === 'queued' ? 'Waiting to score' : 'Scoring in the background',
    );
  }
  if (current.status === 'failed' || current.status === 'cancelled')
    throw new Error(current.error ?? 'Scoring the file failed.');
  const csv = await api.batchResult(current.id);
  return { rows: current.rows, model_version: current.model_version, rejected: [], csv };
}
