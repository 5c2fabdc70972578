// Data: upload a CSV (with progress), the data sets on the server, and one data set's profile as
// cards: type, missing values, outliers, a distribution mini-chart and warnings; then the choice
// of target, positive label and id column that training needs.
import { api } from '../api';
import { h, mount, svg, uid } from '../dom';
import {
  formatBytes,
  formatCount,
  formatDateTime,
  formatNumber,
  formatPercent,
  formatRelativeTime,
  plural,
} from '../format';
import type { Page } from '../page';
import {
  guessPositive,
  guessTarget,
  identifierColumns,
  powerLabel,
  targetLevels,
  totalMissing,
  TYPE_LABELS,
  warningTitle,
} from '../profile';
import { routeHref } from '../state';
import type { ColumnProfile, Dataset, Profile } from '../types';
import {
  card,
  confirmDialog,
  emptyState,
  errorState,
  kpi,
  loading,
  notice,
  pageHeader,
  progressBar,
  term,
} from '../ui';
import { fileDropzone } from './upload';

export const dataPage: Page = (root, route, context) =>
  route.rest.length > 0 ? datasetPage(root, route, context) : datasetsPage(root, route, context);

const datasetsPage: Page = async (root, _route, context) => {
  const { signal, navigate } = context;
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div', null, loading('Loading data sets…'));
  const zone = fileDropzone({
    label: 'Choose a CSV file to upload',
    hint: 'one row per customer, with a column saying whether they left',
    name: 'dataset-file',
    onFile: (file) => void upload(file),
  });
  mount(
    root,
    pageHeader('Data', 'Upload customer data, check it, and pick what to predict'),
    card('Upload customer data', h('div', null, zone, status), {
      help: 'Comma, semicolon or tab separated; the first row holds the column names.',
    }),
    card('Data sets', list, { help: 'Files uploaded to this server' }),
  );

  async function upload(file: File): Promise<void> {
    const bar = progressBar('Uploading');
    status.replaceChildren(
      h('p', { class: 'small' }, `${file.name} · ${formatBytes(file.size)}`),
      bar.element,
    );
    try {
      const dataset = await api.uploadDataset(
        file,
        file.name,
        (f) => bar.set(f, f < 1 ? 'Uploading' : 'Reading and profiling'),
        signal,
      );
      if (signal.aborted) return;
      navigate(routeHref(['data', dataset.id]));
    } catch (error) {
      if (!signal.aborted) status.replaceChildren(notice('error', (error as Error).message));
    }
  }

  async function loadList(): Promise<void> {
    let datasets: Dataset[];
    try {
      datasets = await api.datasets();
    } catch (error) {
      if (!signal.aborted) list.replaceChildren(errorState(error, () => void loadList()));
      return;
    }
    if (signal.aborted) return;
    if (datasets.length === 0) {
      list.replaceChildren(emptyState('No data yet', 'Upload a CSV file above to get started.'));
      return;
    }
    list.replaceChildren(
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'responsive' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', null, 'Name'),
              h('th', { class: 'num' }, 'Rows'),
              h('th', { class: 'num' }, 'Columns'),
              h('th', null, 'Uploaded'),
              h('th', null, h('span', { class: 'sr-only' }, 'Actions')),
            ),
          ),
          h(
            'tbody',
            null,
            ...datasets.map((d) =>
              h(
                'tr',
                null,
                h(
                  'td',
                  { 'data-label': 'Name' },
                  h('a', { class: 'row-link', href: routeHref(['data', d.id]) }, d.name),
                ),
                h('td', { class: 'num', 'data-label': 'Rows' }, formatCount(d.rows)),
                h('td', { class: 'num', 'data-label': 'Columns' }, formatCount(d.columns)),
                h(
                  'td',
                  { class: 'cell-muted', 'data-label': 'Uploaded' },
                  h(
                    'time',
                    { datetime: d.created_at, title: formatDateTime(d.created_at) },
                    formatRelativeTime(d.created_at),
                  ),
                ),
                h(
                  'td',
                  { 'data-label': 'Actions' },
                  h(
                    'div',
                    { class: 'row-actions' },
                    h(
                      'a',
                      { class: 'btn btn-small', href: routeHref(['train'], { dataset: d.id }) },
                      'Train',
                    ),
                    h(
                      'button',
                      {
                        class: 'btn btn-small',
                        type: 'button',
                        'aria-label': `Delete ${d.name}`,
                        onclick: async () => {
                          if (
                            !(await confirmDialog(
                              `Delete ${d.name}?`,
                              'The file is removed from the server. Models trained on it keep working.',
                              'Delete',
                              true,
                            ))
                          )
                            return;
                          try {
                            await api.deleteDataset(d.id);
                            void loadList();
                          } catch (error) {
                            status.replaceChildren(notice('error', (error as Error).message));
                          }
                        },
                      },
                      'Delete',
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }
  void loadList();
};

const datasetPage: Page = async (root, route, context) => {
  const { signal } = context;
  const id = Number(route.rest[0]);
  const back = h('a', { class: 'back-link', href: '#/data' }, '← All data sets');
  mount(root, back, pageHeader('Data set'), loading('Reading the profile…'));
  let dataset: Dataset;
  try {
    dataset = await api.dataset(id);
  } catch (error) {
    if (!signal.aborted)
      mount(
        root,
        back,
        pageHeader('Data set'),
        errorState(error, () => datasetPage(root, route, context)),
      );
    return;
  }
  if (signal.aborted) return;
  const profile = dataset.profile!;
  const setup = {
    target: route.query.get('target') ?? guessTarget(profile) ?? '',
    positive: route.query.get('positive') ?? '',
    id: route.query.get('id') ?? identifierColumns(profile)[0] ?? '',
  };

  const figures = h(
    'div',
    { class: 'kpis' },
    kpi('Rows', formatCount(profile.rows), 'customers in the file', 'accent'),
    kpi(
      'Columns',
      formatCount(profile.columns),
      `${plural(profile.column_profiles.filter((c) => c.type === 'numeric').length, 'number')}, ${plural(profile.column_profiles.filter((c) => c.type === 'categorical' || c.type === 'boolean').length, 'category', 'categories')}`,
    ),
    kpi(
      term('Missing values', 'Missing cells', 'empty cells or values such as NA, null or ?'),
      formatCount(totalMissing(profile)),
      `in ${plural(profile.column_profiles.filter((c) => c.missing > 0).length, 'column')}`,
    ),
    kpi(
      term(
        'Duplicate rows',
        'Exact duplicates',
        'rows equal to an earlier row on every column except IDs; left out of training',
      ),
      formatCount(profile.duplicate_rows),
      formatPercent(profile.rows ? profile.duplicate_rows / profile.rows : 0),
    ),
  );

  const setupBody = h('div');
  const warningsBody = h('div');
  const columnsBody = h('div', { class: 'column-grid' });
  mount(
    root,
    back,
    pageHeader(
      dataset.name,
      `${formatCount(profile.rows)} rows × ${formatCount(profile.columns)} columns · uploaded ${formatRelativeTime(dataset.created_at)}`,
      h(
        'a',
        { class: 'btn btn-primary', href: routeHref(['train'], { dataset: dataset.id }) },
        'Train on this data',
      ),
    ),
    figures,
    card('What should the model predict?', setupBody, {
      help: 'Pick the column that says whether a customer left; the profile then shows how each column relates to it.',
    }),
    card('Things to check', warningsBody),
    h('h2', { class: 'section-heading' }, 'Columns'),
    columnsBody,
  );

  const renderProfile = (p: Profile) => {
    renderWarnings(warningsBody, p);
    mount(columnsBody, ...p.column_profiles.map((c) => columnCard(c, p)));
  };
  let targetRate: HTMLElement | null = null;
  let sequence = 0;
  renderProfile(profile);
  renderSetup();

  // The set-up form; choosing a target reloads the profile with per-column predictive power.
  function renderSetup(): void {
    const columns = profile.column_profiles;
    const targetColumn = columns.find((c) => c.name === setup.target);
    const levels = targetLevels(targetColumn);
    if (!levels.includes(setup.positive)) setup.positive = guessPositive(levels);
    const targetId = uid('target');
    const positiveId = uid('positive');
    const idId = uid('idcol');
    const trainHref = routeHref(['train'], {
      dataset: dataset.id,
      target: setup.target,
      positive: setup.positive,
      id: setup.id,
    });
    const rate = h('div', { class: 'target-rate', 'aria-live': 'polite' });
    mount(
      setupBody,
      h(
        'div',
        { class: 'form-grid' },
        h(
          'div',
          { class: 'field' },
          h('label', { for: targetId }, 'Column to predict (target)'),
          h(
            'select',
            {
              id: targetId,
              name: 'target',
              onchange: (e: Event) => {
                setup.target = (e.target as HTMLSelectElement).value;
                setup.positive = '';
                renderSetup();
                void withTarget();
              },
            },
            h('option', { value: '', selected: !setup.target }, 'Choose a column…'),
            ...columns
              .filter((c) => c.type !== 'identifier' && c.type !== 'constant' && c.distinct <= 20)
              .map((c) =>
                h('option', { value: c.name, selected: c.name === setup.target }, c.name),
              ),
          ),
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { for: positiveId }, 'Value that means “left”'),
          h(
            'select',
            {
              id: positiveId,
              name: 'positive',
              disabled: levels.length === 0,
              onchange: (e: Event) => {
                setup.positive = (e.target as HTMLSelectElement).value;
                renderSetup();
                void withTarget();
              },
            },
            ...levels.map((l) => h('option', { value: l, selected: l === setup.positive }, l)),
          ),
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { for: idId }, 'Customer ID column'),
          h(
            'select',
            {
              id: idId,
              name: 'id',
              onchange: (e: Event) => {
                setup.id = (e.target as HTMLSelectElement).value;
                renderSetup();
              },
            },
            h('option', { value: '', selected: !setup.id }, 'None'),
            ...columns
              .filter(
                (c) => c.type === 'identifier' || c.type === 'categorical' || c.type === 'numeric',
              )
              .map((c) => h('option', { value: c.name, selected: c.name === setup.id }, c.name)),
          ),
        ),
      ),
      rate,
      h(
        'div',
        { class: 'actions' },
        setup.target
          ? h('a', { class: 'btn btn-primary', href: trainHref }, 'Continue to training →')
          : h(
              'button',
              { class: 'btn btn-primary', type: 'button', disabled: true },
              'Continue to training →',
            ),
        h(
          'span',
          { class: 'muted small' },
          'The ID column is kept with the scores but never used to predict.',
        ),
      ),
    );
    history.replaceState(
      null,
      '',
      routeHref(['data', dataset.id], {
        target: setup.target,
        positive: setup.positive,
        id: setup.id,
      }),
    );
    targetRate = rate;
  }

  async function withTarget(): Promise<void> {
    const mine = ++sequence;
    if (!setup.target) {
      renderProfile(profile);
      return;
    }
    targetRate?.replaceChildren(loading('Measuring how each column relates to the target…'));
    try {
      const p = await api.datasetProfile(dataset.id, setup.target, setup.positive || undefined);
      if (signal.aborted || mine !== sequence) return;
      if (p.target) {
        targetRate?.replaceChildren(
          notice(
            'info',
            `${formatPercent(p.target.rate)} of customers left (${formatCount(p.target.positives)} of ${formatCount(p.rows)}, “${p.target.positive_label}”).`,
          ),
        );
      } else {
        targetRate?.replaceChildren();
      }
      renderProfile(p);
    } catch (error) {
      if (!signal.aborted && mine === sequence)
        targetRate?.replaceChildren(notice('error', (error as Error).message));
    }
  }
  if (setup.target) void withTarget();
};

function renderWarnings(body: HTMLElement, profile: Profile): void {
  if (profile.warnings.length === 0) {
    mount(
      body,
      notice(
        'success',
        'Nothing unusual found: no ID-like, constant, duplicated or leaking columns.',
      ),
    );
    return;
  }
  mount(
    body,
    h(
      'ul',
      { class: 'warning-list' },
      ...profile.warnings.map((w) =>
        h(
          'li',
          { class: `warning warning-${w.kind}` },
          h('span', { class: 'warning-title' }, warningTitle(w.kind)),
          h('span', { class: 'warning-columns' }, w.columns.join(', ')),
          h('span', { class: 'warning-text' }, w.message),
        ),
      ),
    ),
  );
}

function columnCard(column: ColumnProfile, profile: Profile): HTMLElement {
  const isTarget = profile.target?.column === column.name;
  const warnings = profile.warnings.filter((w) => w.columns.includes(column.name));
  const power = isTarget ? null : powerLabel(column.target_auc);
  const stats: [string | HTMLElement, string][] = [];
  stats.push([
    term('Missing', 'Missing values', 'empty cells or NA-like values'),
    `${formatCount(column.missing)} (${formatPercent(column.missing_pct / 100)})`,
  ]);
  stats.push(['Different values', formatCount(column.distinct)]);
  if (column.numeric) {
    const n = column.numeric;
    stats.push(['Range', `${formatNumber(n.min, 2)} to ${formatNumber(n.max, 2)}`]);
    stats.push([
      term('Typical', 'Median', 'half the values are below, half above'),
      formatNumber(n.median, 2),
    ]);
    stats.push([
      term(
        'Unusual values',
        'Outliers (IQR rule)',
        'values beyond 1.5 × the interquartile range from the middle half',
      ),
      formatCount(n.outliers),
    ]);
  }
  return h(
    'article',
    { class: `column-card${isTarget ? ' is-target' : ''}`, 'data-column': column.name },
    h(
      'header',
      { class: 'column-head' },
      h('h3', null, column.name),
      h(
        'span',
        { class: `type-badge type-${column.type}` },
        isTarget ? 'Target' : (TYPE_LABELS[column.type] ?? column.type),
      ),
    ),
    miniChart(column, profile.rows),
    h(
      'dl',
      { class: 'column-stats' },
      ...stats.map(([label, value]) => h('div', null, h('dt', null, label), h('dd', null, value))),
    ),
    power
      ? h(
          'div',
          { class: 'power' },
          h(
            'span',
            { class: 'power-label' },
            term(
              'Predictive power',
              'Univariate ROC-AUC',
              `${formatNumber(column.target_auc, 3)}: how well this column alone separates leavers from stayers`,
            ),
          ),
          h(
            'span',
            { class: 'power-bar', 'aria-hidden': 'true' },
            h('span', { style: { width: `${Math.round(power.strength * 100)}%` } }),
          ),
          h('span', { class: 'power-value' }, power.label),
        )
      : null,
    warnings.length
      ? h(
          'ul',
          { class: 'column-warnings' },
          ...warnings.map((w) => h('li', null, warningTitle(w.kind))),
        )
      : null,
  );
}

// A small distribution chart: histogram bars for numbers, most frequent values for categories.
function miniChart(column: ColumnProfile, rows: number): HTMLElement {
  if (column.type === 'identifier')
    return h(
      'p',
      { class: 'mini-note' },
      'Every value is different: used to tell customers apart, not to predict.',
    );
  if (!column.numeric && column.distinct > 0.5 * rows)
    return h(
      'p',
      { class: 'mini-note' },
      `Almost every value is different (${formatCount(column.distinct)} values): more an ID than a pattern.`,
    );
  if (column.numeric && column.numeric.histogram && column.numeric.histogram.length > 0) {
    const counts = column.numeric.histogram;
    const max = Math.max(...counts, 1);
    const width = 100 / counts.length;
    return h(
      'div',
      {
        class: 'mini-chart',
        role: 'img',
        'aria-label': `Distribution of ${column.name} from ${column.numeric.min} to ${column.numeric.max}`,
      },
      svg(
        'svg',
        { viewBox: '0 0 100 40', preserveAspectRatio: 'none', class: 'histogram' },
        ...counts.map((count, i) =>
          svg('rect', {
            x: (i * width + 0.6).toFixed(2),
            width: (width - 1.2).toFixed(2),
            y: (40 - (count / max) * 38).toFixed(2),
            height: ((count / max) * 38).toFixed(2),
            rx: 0.8,
          }),
        ),
      ),
      h(
        'div',
        { class: 'mini-axis', 'aria-hidden': 'true' },
        h('span', null, formatNumber(column.numeric.min, 2)),
        h('span', null, formatNumber(column.numeric.max, 2)),
      ),
    );
  }
  const present = Math.max(1, rows - column.missing);
  const max = Math.max(...column.top.map((t) => t.count), 1);
  return h(
    'ul',
    { class: 'mini-bars', 'aria-label': `Most frequent values of ${column.name}` },
    ...column.top
      .slice(0, 4)
      .map((t) =>
        h(
          'li',
          null,
          h(
            'span',
            { class: 'mini-bar-label', title: t.value },
            t.value === '' ? '(empty)' : t.value,
          ),
          h(
            'span',
            { class: 'mini-bar-track', 'aria-hidden': 'true' },
            h('span', { style: { width: `${(t.count / max) * 100}%` } }),
          ),
          h('span', { class: 'mini-bar-value' }, formatPercent(t.count / present, 0)),
        ),
      ),
    column.distinct > 4
      ? h(
          'li',
          { class: 'mini-more' },
          `+ ${formatCount(column.distinct - Math.min(4, column.top.length))} more`,
        )
      : null,
  );
}
