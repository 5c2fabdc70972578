// Pure logic behind the pages: CSV in and out, the event-stream parser, the threshold arithmetic,
// reading a profile, and the score form.
import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../src/csv';
import { defaultValues, rangeNote, toRecord, valuesFromCustomer } from '../../src/form';
import { aucVerdict, bestF1Threshold, reading, rowAtThreshold } from '../../src/metrics';
import {
  guessPositive,
  guessTarget,
  identifierColumns,
  powerLabel,
  totalMissing,
} from '../../src/profile';
import { SseParser, type ServerEvent } from '../../src/sse';
import type { ModelInput, Profile, ThresholdRow } from '../../src/types';

describe('CSV', () => {
  it('quotes what needs quoting and round-trips', () => {
    const csv = toCsv(
      ['id', 'note', 'p'],
      [
        { id: 'A1', note: 'says "hi", then\nleaves', p: 0.5 },
        { id: ' B', note: null, p: 0 },
      ],
    );
    expect(csv).toBe('id,note,p\r\nA1,"says ""hi"", then\nleaves",0.5\r\n" B",,0\r\n');
    const parsed = parseCsv(csv);
    expect(parsed.header).toEqual(['id', 'note', 'p']);
    expect(parsed.rows).toEqual([
      ['A1', 'says "hi", then\nleaves', '0.5'],
      [' B', '', '0'],
    ]);
    expect(parsed.truncated).toBe(false);
  });

  it('reads LF files with a BOM and no final newline, and stops at maxRows', () => {
    const parsed = parseCsv('\ufeffa,b\n1,2\n3,4\n5,6', 2);
    expect(parsed.header).toEqual(['a', 'b']);
    expect(parsed.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parsed.truncated).toBe(true);
    expect(parseCsv('a,b\n1,2').rows).toEqual([['1', '2']]);
  });
});

describe('server-sent events', () => {
  it('handles split lines, CRLF, comments and multi-line data', () => {
    const events: ServerEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.push('event: progress\r');
    parser.push('\ndata: {"a":');
    parser.push('1}\r\n\r\n: ping\n\ndata: line 1\ndata: line 2\n\nevent: done\ndata:x\n');
    expect(events).toEqual([
      { event: 'progress', data: '{"a":1}' },
      { event: 'message', data: 'line 1\nline 2' },
    ]);
    parser.push('\n');
    expect(events[2]).toEqual({ event: 'done', data: 'x' });
  });
});

describe('thresholds', () => {
  const row = (threshold: number, tp: number, fp: number, fn: number, tn: number): ThresholdRow => {
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp / (tp + fn);
    return {
      threshold,
      tp,
      fp,
      fn,
      tn,
      precision,
      recall,
      f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
      accuracy: (tp + tn) / (tp + fp + fn + tn),
    };
  };
  const sweep = [
    row(0, 10, 90, 0, 0),
    row(0.3, 8, 20, 2, 70),
    row(0.5, 6, 5, 4, 85),
    row(0.8, 2, 0, 8, 90),
  ];

  it('finds the nearest sweep row and the best balance', () => {
    expect(rowAtThreshold(sweep, 0.52)?.threshold).toBe(0.5);
    expect(rowAtThreshold(sweep, 0.39)?.threshold).toBe(0.3);
    expect(rowAtThreshold([], 0.5)).toBeNull();
    expect(bestF1Threshold(sweep)).toBe(0.5);
    expect(bestF1Threshold([])).toBe(0.5);
  });

  it('reads a matrix in people terms', () => {
    expect(reading(sweep[1])).toEqual({ flagged: 28, caught: 8, leavers: 10, falseAlarms: 20 });
  });

  it('puts ROC-AUC in words', () => {
    expect(aucVerdict(0.95)).toBe('excellent');
    expect(aucVerdict(0.849)).toBe('good');
    expect(aucVerdict(0.5)).toBe('no better than guessing');
    expect(aucVerdict(null)).toBe('unknown');
  });
});

describe('reading a profile', () => {
  const column = (
    name: string,
    type: Profile['column_profiles'][number]['type'],
    distinct: number,
    missing = 0,
    top: string[] = [],
  ) => ({
    name,
    type,
    distinct,
    missing,
    missing_pct: 0,
    top_share: 0,
    top: top.map((value) => ({ value, count: 1 })),
    target_auc: null,
  });
  const profile: Profile = {
    source: 'telco.csv',
    rows: 100,
    columns: 4,
    duplicate_rows: 0,
    target: null,
    warnings: [],
    column_profiles: [
      column('customerID', 'identifier', 100),
      column('Partner', 'boolean', 2, 0, ['No', 'Yes']),
      column('TotalCharges', 'numeric', 90, 11),
      column('Churn', 'boolean', 2, 0, ['No', 'Yes']),
    ],
  };

  it('guesses the target, its positive value and the id column', () => {
    expect(guessTarget(profile)).toBe('Churn');
    expect(
      guessTarget({ ...profile, column_profiles: [column('Attrition_Flag', 'categorical', 2)] }),
    ).toBe('Attrition_Flag');
    expect(
      guessTarget({ ...profile, column_profiles: [column('Partner', 'boolean', 2)] }),
    ).toBeNull();
    expect(identifierColumns(profile)).toEqual(['customerID']);
    // A repeated id (duplicate rows) is typed as a category but is still the id by its name.
    const repeated = {
      ...profile,
      column_profiles: [
        column('customer_id', 'categorical', 98),
        column('Region_ID', 'categorical', 5),
        column('paid', 'categorical', 99),
      ],
    };
    expect(identifierColumns(repeated)).toEqual(['customer_id']);
    expect(guessPositive(['No', 'Yes'])).toBe('Yes');
    expect(guessPositive(['Existing Customer', 'Attrited Customer'])).toBe('Attrited Customer');
    expect(guessPositive(['0', '1'])).toBe('1');
    expect(guessPositive([])).toBe('');
  });

  it('sums missing cells and names predictive power', () => {
    expect(totalMissing(profile)).toBe(11);
    expect(powerLabel(0.5)?.label).toBe('Little');
    expect(powerLabel(0.75)?.label).toBe('Strong');
    expect(powerLabel(0.35)?.label).toBe('Moderate'); // below 0.5 predicts the other way round
    expect(powerLabel(0.999)?.label).toBe('Suspiciously strong');
    expect(powerLabel(null)).toBeNull();
  });
});

describe('the score form', () => {
  const inputs: ModelInput[] = [
    { name: 'tenure', type: 'numeric', integer: true, min: 0, max: 72, median: 29, default: 29 },
    {
      name: 'Contract',
      type: 'categorical',
      levels: ['Month-to-month', 'One year'],
      default: 'Month-to-month',
    },
    { name: 'Partner', type: 'boolean', true_label: 'Yes', false_label: 'No', default: 'No' },
    { name: 'TotalCharges', type: 'numeric', default: null },
  ];

  it('starts from the typical values', () => {
    expect(defaultValues(inputs)).toEqual({
      tenure: '29',
      Contract: 'Month-to-month',
      Partner: 'No',
      TotalCharges: '',
    });
  });

  it('turns the fields into a record, empty as missing', () => {
    const { record, errors } = toRecord(
      inputs,
      { tenure: '1,200', Contract: 'One year', Partner: 'Yes', TotalCharges: '' },
      'customerID',
      ' C-1 ',
    );
    expect(errors).toEqual({});
    expect(record).toEqual({
      customerID: 'C-1',
      tenure: 1200,
      Contract: 'One year',
      Partner: 'Yes',
      TotalCharges: null,
    });
  });

  it('starts from a stored customer for a what-if', () => {
    expect(
      valuesFromCustomer(inputs, {
        tenure: 3,
        Contract: 'One year',
        TotalCharges: null,
        Churn: 'Yes',
      }),
    ).toEqual({ tenure: '3', Contract: 'One year', Partner: 'No', TotalCharges: '' });
  });

  it('names fields that are not numbers', () => {
    expect(
      toRecord(inputs, { tenure: 'twelve', Contract: 'One year', Partner: 'No', TotalCharges: '5' })
        .errors,
    ).toEqual({ tenure: 'Enter a number' });
  });

  it('notes values outside the training range', () => {
    expect(rangeNote(inputs[0], '80')).toBe('Above anything seen in training (highest 72)');
    expect(rangeNote(inputs[0], '-1')).toBe('Below anything seen in training (lowest 0)');
    expect(rangeNote(inputs[0], '12')).toBeNull();
    expect(rangeNote(inputs[1], 'x')).toBeNull();
  });
});
