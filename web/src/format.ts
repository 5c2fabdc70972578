// Numbers, dates and sizes written for people: "5,043", "26.5%", "$12.4k", "3 hours ago".

const LOCALE = 'en-US';

const integerFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return integerFormat.format(n);
}

// 0.2653 -> "26.5%"; digits adapts so tiny non-zero shares do not read as 0%.
export function formatPercent(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  const percent = share * 100;
  if (percent !== 0 && Math.abs(percent) < 0.1 && digits < 2)
    return percent > 0 ? '<0.1%' : '>-0.1%';
  return `${percent.toFixed(digits)}%`;
}

// A churn probability as people read it: "70%"; below 1% and above 99% keep a decimal. Rounded
// down, so a customer just under a tier's cut point (59.96% with high risk from 60%) never reads
// as the cut point itself.
export function formatProbability(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  const percent = p * 100;
  const down = (digits: number) =>
    (Math.floor(percent * 10 ** digits + 1e-9) / 10 ** digits).toFixed(digits);
  if (percent > 0 && percent < 1) return `${down(1)}%`;
  if (percent > 99 && percent < 100) return `${down(1)}%`;
  return `${down(0)}%`;
}

const ACRONYMS = new Set([
  'id',
  'tv',
  'gb',
  'mb',
  'sms',
  'url',
  'ip',
  'usd',
  'eur',
  'api',
  'csv',
  'vip',
]);

// "1 column", "3 columns".
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${formatCount(count)} ${count === 1 ? word : many}`;
}

// A column name as words: "PaymentMethod" and "payment_method" -> "Payment method".
export function humanize(name: string): string {
  const words = name
    .replace(/[_\-.]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .map((word, i) => {
      if (ACRONYMS.has(word.toLowerCase())) return word.toUpperCase();
      if (/^[A-Z0-9]+$/.test(word) && word.length > 1) return word;
      return i === 0
        ? word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()
        : word.toLowerCase();
    });
  return words.join(' ');
}

// Large amounts compact ("$1.2M", "$48.3k"), small ones exact ("$950").
export function formatMoney(amount: number | null | undefined, currency = '$'): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  if (abs >= 1e6) return `${sign}${currency}${trimZero((abs / 1e6).toFixed(abs >= 1e7 ? 1 : 2))}M`;
  if (abs >= 1e4) return `${sign}${currency}${trimZero((abs / 1e3).toFixed(1))}k`;
  return `${sign}${currency}${integerFormat.format(Math.round(abs))}`;
}

// A plain decimal with at most `digits` decimals: 0.84873 -> "0.849", 12 -> "12".
export function formatNumber(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  if (abs >= 1e5) return integerFormat.format(Math.round(x));
  if (abs >= 100) return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 }).format(x);
  return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits }).format(x);
}

// A metric in [0, 1] such as ROC-AUC: always 3 decimals so a column lines up.
export function formatScore(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x.toFixed(3);
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 10 ? 0 : 1)} ${units[unit]}`;
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 1) return `${Math.max(1, Math.round(seconds * 1000))} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

// Server timestamps are UTC ISO strings ("2024-05-01T10:00:00Z"); some omit the zone.
export function parseTimestamp(text: string | null | undefined): Date | null {
  if (!text) return null;
  const normalised = /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`;
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatRelativeTime(
  text: string | null | undefined,
  now: Date = new Date(),
): string {
  const date = parseTimestamp(text);
  if (!date) return '—';
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const steps: [number, string][] = [
    [60, 'minute'],
    [3600, 'hour'],
    [86400, 'day'],
    [86400 * 30, 'month'],
    [86400 * 365, 'year'],
  ];
  let chosen = steps[0];
  for (const step of steps) if (Math.abs(seconds) >= step[0] * 0.9) chosen = step;
  const count = Math.max(1, Math.round(Math.abs(seconds) / chosen[0]));
  const unit = `${chosen[1]}${count === 1 ? '' : 's'}`;
  return seconds >= 0 ? `${count} ${unit} ago` : `in ${count} ${unit}`;
}

export function formatDateTime(text: string | null | undefined): string {
  const date = parseTimestamp(text);
  if (!date) return '—';
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(text: string | null | undefined): string {
  const date = parseTimestamp(text);
  if (!date) return '—';
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

function trimZero(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
