// The score form's logic, kept pure for tests: field defaults and turning typed-in text into the
// JSON record /predict expects.
import type { ModelInput } from './types';

export type FormValues = Record<string, string>;

export function defaultValues(inputs: ModelInput[]): FormValues {
  const values: FormValues = {};
  for (const input of inputs)
    values[input.name] =
      input.default === null || input.default === undefined ? '' : String(input.default);
  return values;
}

// A scored customer's stored inputs as form values (for "what if"); fields the customer lacks keep
// the typical value, missing ones stay empty (the model treats them as missing).
export function valuesFromCustomer(
  inputs: ModelInput[],
  stored: Record<string, unknown>,
): FormValues {
  const values = defaultValues(inputs);
  for (const input of inputs) {
    if (!(input.name in stored)) continue;
    const value = stored[input.name];
    values[input.name] = value === null || value === undefined ? '' : String(value);
  }
  return values;
}

export interface RecordResult {
  record: Record<string, string | number | null>;
  errors: Record<string, string>; // field name -> message
}

// Empty fields are sent as missing (the model handles them); numbers must parse and lie in range
// only loosely: values outside the training range are allowed but flagged by `rangeNote`.
export function toRecord(
  inputs: ModelInput[],
  values: FormValues,
  idColumn?: string | null,
  customerId?: string,
): RecordResult {
  const record: Record<string, string | number | null> = {};
  const errors: Record<string, string> = {};
  if (idColumn && customerId && customerId.trim()) record[idColumn] = customerId.trim();
  for (const input of inputs) {
    const raw = (values[input.name] ?? '').trim();
    if (raw === '') {
      record[input.name] = null;
      continue;
    }
    if (input.type === 'numeric') {
      const number = Number(raw.replace(/,/g, ''));
      if (!Number.isFinite(number)) {
        errors[input.name] = 'Enter a number';
        continue;
      }
      record[input.name] = number;
    } else {
      record[input.name] = raw;
    }
  }
  return { record, errors };
}

// A note when a number lies outside what the model saw in training.
export function rangeNote(input: ModelInput, value: string): string | null {
  if (input.type !== 'numeric' || value.trim() === '') return null;
  const number = Number(value);
  if (!Number.isFinite(number)) return null;
  if (input.min !== undefined && number < input.min)
    return `Below anything seen in training (lowest ${input.min})`;
  if (input.max !== undefined && number > input.max)
    return `Above anything seen in training (highest ${input.max})`;
  return null;
}

// A step for a number input: whole numbers step by 1, others by a round fraction of the range.
export function numberStep(input: ModelInput): string {
  if (input.integer) return '1';
  if (input.min === undefined || input.max === undefined || input.max <= input.min) return 'any';
  return 'any';
}
