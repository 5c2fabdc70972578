// The score form's fields rendered from the model's inputs schema (a number box with the range
// seen in training, or a list of levels), shared by the Score page and the what-if editor.
import { h, uid } from './dom';
import { numberStep, type FormValues } from './form';
import { formatNumber, humanize } from './format';
import type { ModelInput } from './types';

// One labelled field; typing writes values[input.name] and calls `changed`. `errors` receives the
// element that shows this field's error or range note.
export function inputField(
  input: ModelInput,
  values: FormValues,
  errors: Map<string, HTMLElement>,
  changed: () => void,
): HTMLElement {
  const id = uid('f');
  const hintId = `${id}-hint`;
  const error = h('div', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  errors.set(input.name, error);
  const update = (e: Event) => {
    values[input.name] = (e.target as HTMLInputElement).value;
    changed();
  };
  let control: HTMLElement;
  let hint = '';
  if (input.type === 'numeric') {
    control = h('input', {
      id,
      name: input.name,
      type: 'number',
      inputmode: input.integer ? 'numeric' : 'decimal',
      step: numberStep(input),
      value: values[input.name],
      'aria-describedby': `${hintId} ${id}-error`,
      oninput: update,
    });
    if (input.min !== undefined && input.max !== undefined) {
      hint = `Seen in training: ${formatNumber(input.min, 2)} to ${formatNumber(input.max, 2)}${input.median !== undefined ? `, typically ${formatNumber(input.median, 2)}` : ''}`;
    }
  } else {
    const levels =
      input.type === 'boolean'
        ? [input.true_label ?? 'Yes', input.false_label ?? 'No']
        : (input.levels ?? []);
    control = h(
      'select',
      { id, name: input.name, 'aria-describedby': `${hintId} ${id}-error`, onchange: update },
      ...levels.map((level) =>
        h('option', { value: level, selected: values[input.name] === level }, level),
      ),
      h('option', { value: '', selected: values[input.name] === '' }, 'Unknown'),
    );
  }
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id, title: input.name }, humanize(input.name)),
    control,
    h('div', { class: 'hint', id: hintId }, hint),
    error,
  );
}
