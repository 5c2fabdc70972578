// The what-if editor of the customer page: the customer's inputs as the score form's fields; a
// pause in typing sends the changed fields to /what-if (a newer change cancels the request in
// flight) and the panel shows the new chance of leaving, its change, the action and the reasons.
import { api } from './api';
import { h, mount } from './dom';
import { formatPoints, reasonText } from './explain';
import { actionDetails } from './explanation-views';
import { rangeNote, toRecord, valuesFromCustomer, type FormValues } from './form';
import { inputField } from './form-fields';
import { formatProbability, humanize } from './format';
import { latestRequest } from './latest';
import type {
  Action,
  CustomerDetail,
  ModelDetail,
  Reason,
  Tier,
  WhatIfReason,
  WhatIfResult,
} from './types';
import { TIER_LABELS, card, notice, term, tierBadge } from './ui';

const REASONS_SHOWN = 5;

interface Shown {
  probability: number;
  tier: Tier;
  action: Action | null;
  reasons: (Reason | WhatIfReason)[];
  changed: string[];
}

export function whatIfEditor(
  customer: CustomerDetail,
  model: ModelDetail,
  currency: string,
  signal: AbortSignal,
): HTMLElement {
  const inputs = model.inputs ?? [];
  if (inputs.length === 0) {
    return card(
      'What if…',
      h(
        'p',
        { class: 'muted' },
        'The active model lists no inputs; train it again to try changes here.',
      ),
      { class: 'span-2', id: 'what-if' },
    );
  }
  const original: FormValues = valuesFromCustomer(inputs, customer.inputs ?? {});
  const values: FormValues = { ...original };
  const originalRecord = toRecord(inputs, original).record;
  const errors = new Map<string, HTMLElement>();
  // The summary stays in view on phones while the fields scroll by; the details follow the form.
  const result = h('div', { class: 'score-result whatif-summary', 'aria-live': 'polite' });
  const details = h('div', { class: 'whatif-details' });
  const start: Shown = {
    probability: customer.churn_probability,
    tier: customer.risk_tier,
    action: customer.recommended_action ?? null,
    reasons: customer.reasons ?? [],
    changed: [],
  };

  const latest = latestRequest<Record<string, unknown>, WhatIfResult>({
    delay: 250,
    lifetime: signal,
    run: (changes, abort) => api.whatIf(originalRecord, changes, abort),
    onStart: () => result.classList.add('updating'),
    onResult: (answer) => {
      result.classList.remove('updating');
      show({
        probability: answer.churn_probability,
        tier: answer.risk_tier,
        action: answer.recommended_action,
        reasons: answer.reasons,
        changed: answer.changed_columns,
      });
    },
    onError: (error) => {
      result.classList.remove('updating');
      result.replaceChildren(notice('error', (error as Error).message));
      details.replaceChildren();
    },
  });

  // Only the fields that differ from the customer's go to the server; none changed is the customer.
  function changed(): void {
    const { record, errors: invalid } = toRecord(inputs, values);
    for (const [name, box] of errors)
      box.textContent =
        invalid[name] ??
        rangeNote(
          inputs.find((i) => i.name === name)!,
          values[name],
        ) ??
        '';
    if (Object.keys(invalid).length > 0) {
      latest.cancel();
      result.classList.remove('updating');
      result.replaceChildren(
        notice('error', 'Fix the highlighted fields to see the new chance of leaving.'),
      );
      details.replaceChildren();
      return;
    }
    const changes = Object.fromEntries(
      Object.entries(record).filter(([name, value]) => value !== originalRecord[name]),
    );
    if (Object.keys(changes).length === 0) {
      latest.cancel();
      result.classList.remove('updating');
      show(start);
      return;
    }
    latest.schedule(changes);
  }

  function show(now: Shown): void {
    const delta = now.probability - start.probability;
    const top = now.reasons.slice(0, REASONS_SHOWN);
    result.replaceChildren(
      h(
        'div',
        { class: 'result-label' },
        now.changed.length ? 'Chance of leaving after the changes' : 'Chance of leaving now',
      ),
      h(
        'div',
        {
          class: `score-big tier-text-${now.tier}`,
          'data-testid': 'whatif-probability',
          'data-probability': String(now.probability),
        },
        formatProbability(now.probability),
      ),
      tierBadge(now.tier),
      h(
        'p',
        { class: 'whatif-delta', 'data-testid': 'whatif-delta' },
        now.changed.length === 0
          ? 'Change a field to see how the chance of leaving moves.'
          : [
              h(
                'strong',
                { class: delta > 0 ? 'delta-up' : delta < 0 ? 'delta-down' : undefined },
                formatPoints(delta),
              ),
              ` from ${formatProbability(start.probability)}`,
              now.tier !== start.tier ? ` (was ${TIER_LABELS[start.tier].toLowerCase()})` : '',
              ` after changing ${now.changed.map(humanize).join(', ')}`,
            ],
      ),
    );
    mount(
      details,
      h(
        'div',
        { class: 'whatif-action' },
        h('div', { class: 'result-label' }, 'Recommended action'),
        actionDetails(now.action, currency),
      ),
      top.length
        ? h(
            'div',
            { class: 'whatif-reasons' },
            h(
              'div',
              { class: 'result-label' },
              term(
                'Top reasons',
                'Contributions to the log-odds',
                'the columns that push this customer’s risk most, up or down',
              ),
            ),
            h(
              'ol',
              { class: 'reason-list', 'data-testid': 'whatif-reasons' },
              ...top.map((r) => reasonItem(r)),
            ),
          )
        : null,
    );
  }

  const fields = inputs.map((input) => inputField(input, values, errors, changed));
  const form = h(
    'form',
    { class: 'score-form whatif-form', onsubmit: (e: Event) => e.preventDefault() },
    h('div', { class: 'form-grid' }, ...fields),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          class: 'btn',
          type: 'button',
          'data-testid': 'whatif-reset',
          onclick: () => {
            Object.assign(values, original);
            for (const input of inputs) {
              const control = form.querySelector<HTMLInputElement | HTMLSelectElement>(
                `[name="${CSS.escape(input.name)}"]`,
              );
              if (control) control.value = values[input.name];
            }
            changed();
          },
        },
        'Reset to this customer',
      ),
    ),
  );
  show(start);
  return card(
    'What if…',
    h(
      'div',
      { class: 'single-layout whatif-layout' },
      form,
      h('aside', { class: 'result-panel' }, result, details),
    ),
    {
      help: 'Change this customer’s fields to see how the chance of leaving, the reasons and the action move. Nothing is saved.',
      class: 'span-2',
      id: 'what-if',
    },
  );
}

function reasonItem(reason: Reason | WhatIfReason): HTMLElement {
  const moved = 'changed' in reason && reason.changed;
  return h(
    'li',
    {
      class: `reason ${reason.contribution > 0 ? 'reason-up' : 'reason-down'}${moved ? ' reason-changed' : ''}`,
    },
    h('span', { class: 'reason-text' }, reasonText(reason)),
    moved ? h('span', { class: 'badge badge-neutral' }, 'changed') : null,
  );
}
