import { describe, expect, it } from 'vitest';
import {
  humanize,
  plural,
  formatBytes,
  formatCount,
  formatDate,
  formatMoney,
  formatNumber,
  formatPercent,
  formatProbability,
  formatRelativeTime,
  formatScore,
  formatSeconds,
  parseTimestamp,
} from '../../src/format';

describe('numbers for people', () => {
  it('groups thousands and shows a dash for nothing', () => {
    expect(formatCount(7043)).toBe('7,043');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567.4)).toBe('1,234,567');
    expect(formatCount(null)).toBe('—');
    expect(formatCount(Number.NaN)).toBe('—');
  });

  it('writes shares as percentages without hiding tiny ones', () => {
    expect(formatPercent(0.2653)).toBe('26.5%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(0.0004)).toBe('<0.1%');
    expect(formatPercent(0.5, 0)).toBe('50%');
    expect(formatPercent(undefined)).toBe('—');
  });

  it('rounds probabilities down but keeps a decimal near 0 and 1', () => {
    expect(formatProbability(0.7054)).toBe('70%');
    expect(formatProbability(0.5996)).toBe('59%'); // not "60%" while below the high-risk cut point
    expect(formatProbability(0.29)).toBe('29%'); // 28.999... in floating point
    expect(formatProbability(0.6)).toBe('60%');
    expect(formatProbability(0.005)).toBe('0.5%');
    expect(formatProbability(0.996)).toBe('99.6%');
    expect(formatProbability(0)).toBe('0%');
    expect(formatProbability(1)).toBe('100%');
  });

  it('writes money compactly when large and exactly when small', () => {
    expect(formatMoney(950.4)).toBe('$950');
    expect(formatMoney(9999)).toBe('$9,999');
    expect(formatMoney(48_340)).toBe('$48.3k');
    expect(formatMoney(120_000)).toBe('$120k');
    expect(formatMoney(1_234_567)).toBe('$1.23M');
    expect(formatMoney(-2500)).toBe('-$2,500');
    expect(formatMoney(12, '€')).toBe('€12');
  });

  it('formats metrics, numbers, sizes and durations', () => {
    expect(formatScore(0.84873)).toBe('0.849');
    expect(formatScore(1)).toBe('1.000');
    expect(formatNumber(0.84873)).toBe('0.849');
    expect(formatNumber(29.85, 2)).toBe('29.85');
    expect(formatNumber(8684.8)).toBe('8,684.8');
    expect(formatNumber(123456.7)).toBe('123,457');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(977_501)).toBe('955 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatSeconds(0.0694)).toBe('69 ms');
    expect(formatSeconds(2.345)).toBe('2.3 s');
    expect(formatSeconds(75)).toBe('1 min 15 s');
  });
});

describe('column names for people', () => {
  it('turns snake, kebab and camel case into words', () => {
    expect(humanize('payment_method')).toBe('Payment method');
    expect(humanize('PaymentMethod')).toBe('Payment method');
    expect(humanize('tenure')).toBe('Tenure');
    expect(humanize('customerID')).toBe('Customer ID');
    expect(humanize('late_payments_12m')).toBe('Late payments 12m');
    expect(humanize('Total_Trans_Ct')).toBe('Total trans ct');
    expect(humanize('customer_id')).toBe('Customer ID');
    expect(humanize('streaming_tv')).toBe('Streaming TV');
    expect(humanize('data_usage_gb')).toBe('Data usage GB');
  });

  it('counts words', () => {
    expect(plural(1, 'column')).toBe('1 column');
    expect(plural(1200, 'column')).toBe('1,200 columns');
    expect(plural(0, 'customer')).toBe('0 customers');
  });
});

describe('times for people', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('reads server timestamps with or without a zone as UTC', () => {
    expect(parseTimestamp('2026-03-10T10:00:00Z')?.toISOString()).toBe('2026-03-10T10:00:00.000Z');
    expect(parseTimestamp('2026-03-10 10:00:00')?.toISOString()).toBe('2026-03-10T10:00:00.000Z');
    expect(parseTimestamp('not a date')).toBeNull();
    expect(parseTimestamp('')).toBeNull();
  });

  it('says how long ago', () => {
    expect(formatRelativeTime('2026-03-10T11:59:50Z', now)).toBe('just now');
    expect(formatRelativeTime('2026-03-10T11:58:00Z', now)).toBe('2 minutes ago');
    expect(formatRelativeTime('2026-03-10T09:00:00Z', now)).toBe('3 hours ago');
    expect(formatRelativeTime('2026-03-09T12:00:00Z', now)).toBe('1 day ago');
    expect(formatRelativeTime('2025-03-10T12:00:00Z', now)).toBe('1 year ago');
    expect(formatRelativeTime('2026-03-10T15:00:00Z', now)).toBe('in 3 hours');
    expect(formatRelativeTime(null, now)).toBe('—');
  });

  it('writes dates in UTC', () => {
    expect(formatDate('2026-03-10T23:30:00Z')).toBe('Mar 10, 2026');
  });
});
