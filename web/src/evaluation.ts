// How good a model is, shown the same way on the Train and Models pages: ROC and precision-recall
// curves, the confusion matrix at a threshold you slide, calibration, lift and feature importance.
import { COLORS, makeChart, percentTick } from './charts';
import { h, uid } from './dom';
import { formatCount, formatNumber, formatPercent, formatScore } from './format';
import { bestF1Threshold, reading, rowAtThreshold } from './metrics';
import type { EvaluationReport } from './types';
import { card, term } from './ui';

export interface EvaluationOptions {
  importance?: { column: string; importance: number }[] | null;
  importanceNote?: string; // why importance is missing, when it is
  signal: AbortSignal;
}

export function evaluationSection(
  report: EvaluationReport,
  options: EvaluationOptions,
): HTMLElement {
  const { signal } = options;
  const roc = card(
    term(
      'How well it ranks customers',
      'ROC curve',
      'share of leavers caught (true positive rate) against share of stayers wrongly flagged (false positive rate) at every threshold; the area under it is the ROC-AUC',
    ),
    null,
    {
      help: `Area under the curve ${formatScore(report.metrics.roc_auc)}; the dashed line is guessing.`,
    },
  );
  const pr = card(
    term(
      'Precision against recall',
      'Precision-recall curve',
      'for every threshold: of the flagged customers, the share who leave (precision), against the share of leavers flagged (recall)',
    ),
    null,
    {
      help: `Area under the curve ${formatScore(report.metrics.pr_auc)}; the dashed line is the share who leave.`,
    },
  );
  const threshold = thresholdCard(report);
  const calibration = card(
    term(
      'Are the probabilities honest?',
      'Calibration plot',
      'mean predicted probability against the observed churn rate, in ten bins; on the diagonal means well calibrated',
    ),
    null,
    { help: 'Predicted chance against how many really left' },
  );
  const lift = card(
    term(
      'Who to call first',
      'Lift by decile',
      'customers sorted by predicted risk in ten equal groups; lift is each group’s churn rate divided by the overall rate',
    ),
    null,
    { help: 'How much more often the riskiest tenth leaves than average' },
  );
  const importance = card(
    term(
      'What drives the predictions',
      'Feature importance',
      'the share of the model’s decisions each input column accounts for (gain for trees, scaled coefficients for logistic regression)',
    ),
    null,
    { help: 'Input columns by how much the model relies on them', class: 'span-2' },
  );

  const body = (c: HTMLElement) => c.querySelector('.card-body') as HTMLElement;
  const section = h(
    'div',
    { class: 'grid grid-2 evaluation' },
    threshold,
    roc,
    pr,
    calibration,
    lift,
    importance,
  );

  makeChart(
    body(roc),
    curveConfig(
      report.roc_curve.map((p) => ({ x: p.x, y: p.y })),
      [
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ],
      'Stayers wrongly flagged',
      'Leavers caught',
      COLORS.primary,
    ),
    {
      name: 'roc',
      label: `ROC curve, area ${formatScore(report.metrics.roc_auc)}`,
      height: 250,
      signal,
    },
  );
  const base = report.metrics.rows ? report.metrics.positives / report.metrics.rows : 0;
  makeChart(
    body(pr),
    curveConfig(
      report.pr_curve.map((p) => ({ x: p.x, y: p.y })),
      [
        { x: 0, y: base },
        { x: 1, y: base },
      ],
      'Leavers caught (recall)',
      'Flagged who leave (precision)',
      COLORS.series[1],
    ),
    {
      name: 'pr',
      label: `Precision-recall curve, area ${formatScore(report.metrics.pr_auc)}`,
      height: 250,
      signal,
    },
  );

  const bins = report.calibration.filter((b) => b.count > 0);
  makeChart(
    body(calibration),
    {
      type: 'scatter',
      data: {
        datasets: [
          {
            label: 'Model',
            data: bins.map((b) => ({ x: b.mean_predicted, y: b.observed_rate })),
            showLine: true,
            borderColor: COLORS.series[2],
            backgroundColor: COLORS.series[2],
            pointRadius: 4,
            borderWidth: 2,
          },
          {
            label: 'Perfectly honest',
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
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              label: (item) =>
                ` predicted ${formatPercent(item.parsed.x ?? 0)}, really left ${formatPercent(item.parsed.y ?? 0)}`,
            },
          },
        },
        scales: {
          x: {
            min: 0,
            max: 1,
            ticks: { callback: percentTick },
            title: { display: true, text: 'Predicted chance' },
          },
          y: {
            min: 0,
            max: 1,
            ticks: { callback: percentTick },
            title: { display: true, text: 'Really left' },
          },
        },
      },
    },
    { name: 'calibration', label: 'Calibration plot', height: 250, signal },
  );

  makeChart(
    body(lift),
    {
      type: 'bar',
      data: {
        labels: report.lift.map((r) => `${r.decile}`),
        datasets: [
          {
            label: 'Lift',
            data: report.lift.map((r) => r.lift),
            backgroundColor: report.lift.map((r) => (r.lift >= 1 ? COLORS.primary : '#c5cdf5')),
            borderRadius: 3,
          },
        ],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) =>
                `Group ${items[0].label} (${items[0].label === '1' ? 'riskiest' : 'by risk'} tenth)`,
              label: (item) => {
                const r = report.lift[item.dataIndex];
                return ` ${formatNumber(r.lift, 2)}× the average; ${formatPercent(r.rate)} leave; ${formatPercent(r.cumulative_gain)} of all leavers by here`;
              },
            },
          },
        },
        scales: {
          x: {
            grid: { display: false },
            title: { display: true, text: 'Tenth of customers, riskiest first' },
          },
          y: { beginAtZero: true, title: { display: true, text: 'Times the average churn rate' } },
        },
      },
    },
    { name: 'lift', label: 'Lift by decile', height: 250, signal },
  );

  const importanceList = options.importance ?? [];
  if (importanceList.length === 0) {
    body(importance).append(
      h(
        'p',
        { class: 'muted' },
        options.importanceNote ?? 'No importance is available for this model.',
      ),
    );
  } else {
    const top = importanceList.slice(0, 15);
    makeChart(
      body(importance),
      {
        type: 'bar',
        data: {
          labels: top.map((f) => f.column),
          datasets: [
            {
              label: 'Share of importance',
              data: top.map((f) => f.importance),
              backgroundColor: COLORS.primary,
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
                label: (item) => ` ${formatPercent(Number(item.raw))} of the model’s reliance`,
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
        name: 'importance',
        label: 'Feature importance',
        height: Math.max(160, 30 + top.length * 26),
        signal,
      },
    );
    if (options.importanceNote)
      body(importance).append(h('p', { class: 'muted small' }, options.importanceNote));
  }
  return section;
}

function curveConfig(
  points: { x: number; y: number }[],
  reference: { x: number; y: number }[],
  xTitle: string,
  yTitle: string,
  colour: string,
) {
  return {
    type: 'scatter' as const,
    data: {
      datasets: [
        {
          label: 'Model',
          data: points,
          showLine: true,
          borderColor: colour,
          backgroundColor: `${colour}22`,
          pointRadius: 0,
          borderWidth: 2.5,
          fill: false,
        },
        {
          label: 'Reference',
          data: reference,
          showLine: true,
          borderColor: COLORS.reference,
          borderDash: [5, 5],
          pointRadius: 0,
          borderWidth: 1.5,
        },
      ],
    },
    options: {
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: {
          min: 0,
          max: 1,
          ticks: { callback: percentTick, maxTicksLimit: 6 },
          title: { display: true, text: xTitle },
        },
        y: {
          min: 0,
          max: 1,
          ticks: { callback: percentTick, maxTicksLimit: 6 },
          title: { display: true, text: yTitle },
        },
      },
    },
  };
}

// The slider moves the cut-off; the matrix and the three measures follow it.
function thresholdCard(report: EvaluationReport): HTMLElement {
  const sweep = report.thresholds;
  const start = bestF1Threshold(sweep);
  const sliderId = uid('threshold');
  const output = h('output', { for: sliderId, class: 'threshold-value' });
  const matrix = h('div', { class: 'confusion' });
  const measures = h('div', { class: 'measures' });
  const slider = h('input', {
    id: sliderId,
    type: 'range',
    min: 1,
    max: 99,
    step: 1,
    value: Math.round(start * 100),
    name: 'threshold',
    'aria-describedby': `${sliderId}-help`,
    oninput: () => update(),
  });
  function update(): void {
    const t = Number(slider.value) / 100;
    output.textContent = formatPercent(t, 0);
    slider.setAttribute('aria-valuetext', `${formatPercent(t, 0)} chance of leaving`);
    const row = rowAtThreshold(sweep, t);
    if (!row) return;
    const r = reading(row);
    matrix.replaceChildren(
      h('div', { class: 'cm-corner' }),
      h('div', { class: 'cm-head' }, 'Really left'),
      h('div', { class: 'cm-head' }, 'Really stayed'),
      h('div', { class: 'cm-side' }, 'Flagged'),
      h(
        'div',
        { class: 'cm-cell cm-good', 'data-cell': 'tp' },
        h('strong', null, formatCount(row.tp)),
        h('span', null, term('caught', 'True positives')),
      ),
      h(
        'div',
        { class: 'cm-cell cm-bad', 'data-cell': 'fp' },
        h('strong', null, formatCount(row.fp)),
        h('span', null, term('false alarms', 'False positives')),
      ),
      h('div', { class: 'cm-side' }, 'Not flagged'),
      h(
        'div',
        { class: 'cm-cell cm-bad', 'data-cell': 'fn' },
        h('strong', null, formatCount(row.fn)),
        h('span', null, term('missed', 'False negatives')),
      ),
      h(
        'div',
        { class: 'cm-cell cm-good', 'data-cell': 'tn' },
        h('strong', null, formatCount(row.tn)),
        h('span', null, term('correctly left alone', 'True negatives')),
      ),
    );
    measures.replaceChildren(
      measure(
        'precision',
        term(
          'Flagged who really leave',
          'Precision',
          'of the customers flagged, the share who really leave',
        ),
        row.precision,
      ),
      measure(
        'recall',
        term('Leavers caught', 'Recall', 'of the customers who really leave, the share flagged'),
        row.recall,
      ),
      measure(
        'f1',
        term('Balance of both', 'F1 score', 'the harmonic mean of precision and recall'),
        row.f1,
      ),
      h(
        'p',
        { class: 'muted small measures-note' },
        `Flagging everyone from ${formatPercent(row.threshold, 0)} up means contacting ${formatCount(r.flagged)} customers to reach ${formatCount(r.caught)} of the ${formatCount(r.leavers)} who leave.`,
      ),
    );
  }
  update();
  return card(
    term(
      'Choosing who to flag',
      'Confusion matrix at a threshold',
      'customers at or above the threshold are flagged as likely to leave',
    ),
    h(
      'div',
      null,
      h(
        'div',
        { class: 'threshold-row' },
        h('label', { for: sliderId }, 'Flag customers from'),
        output,
      ),
      slider,
      h(
        'p',
        { class: 'muted small', id: `${sliderId}-help` },
        'A lower threshold catches more leavers but raises more false alarms. It starts at the best balance (highest F1).',
      ),
      h('div', { class: 'threshold-layout' }, matrix, measures),
    ),
    {
      help: 'Cross-validated: each customer was scored by a model that had not seen them',
      class: 'threshold-card span-2',
    },
  );
}

function measure(key: string, label: HTMLElement, value: number): HTMLElement {
  return h(
    'div',
    { class: 'measure', 'data-measure': key },
    h('div', { class: 'measure-label' }, label),
    h('div', { class: 'measure-value' }, formatPercent(value)),
    h(
      'div',
      { class: 'measure-bar', 'aria-hidden': 'true' },
      h('span', { style: { width: `${Math.round(value * 100)}%` } }),
    ),
  );
}
