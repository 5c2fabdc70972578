// Navigation state lives in the URL hash (#/customers?tier=high&page=2), so every view can be
// bookmarked, shared and restored with the back button. These functions are pure.
import type { CustomerQuery } from './api';
import type { Tier } from './types';

export interface Route {
  page: string; // first path segment: '' (overview), customers, score, data, train, models
  rest: string[]; // further segments, decoded
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '').replace(/^\/+/, '');
  const questionMark = text.indexOf('?');
  const path = questionMark < 0 ? text : text.slice(0, questionMark);
  const query = new URLSearchParams(questionMark < 0 ? '' : text.slice(questionMark + 1));
  const segments = path
    .split('/')
    .filter((s) => s.length > 0)
    .map(safeDecode);
  return { page: segments[0] ?? '', rest: segments.slice(1), query };
}

export function routeHref(
  segments: (string | number)[],
  query: Record<string, string | number | undefined | null> = {},
): string {
  const path = segments.map((s) => encodeURIComponent(String(s))).join('/');
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return `#/${path}${text ? `?${text}` : ''}`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// The customer list's filters, sort and page as the URL holds them.
export interface CustomerListState {
  q: string;
  tier: Tier | '';
  sort: string;
  page: number; // 1-based
  pageSize: number;
  segment: string; // column name, '' = none
  segmentValue: string;
}

export const SORTS = [
  '-churn_probability',
  'churn_probability',
  'customer_id',
  '-customer_id',
] as const;
export const PAGE_SIZES = [25, 50, 100] as const;
const DEFAULT_LIST: CustomerListState = {
  q: '',
  tier: '',
  sort: '-churn_probability',
  page: 1,
  pageSize: 25,
  segment: '',
  segmentValue: '',
};

export function customerListFromQuery(query: URLSearchParams): CustomerListState {
  const tier = query.get('tier') ?? '';
  const sort = query.get('sort') ?? DEFAULT_LIST.sort;
  const page = Number.parseInt(query.get('page') ?? '1', 10);
  const size = Number.parseInt(query.get('size') ?? String(DEFAULT_LIST.pageSize), 10);
  const segment = query.get('segment') ?? '';
  return {
    q: (query.get('q') ?? '').trim(),
    tier: tier === 'low' || tier === 'medium' || tier === 'high' ? tier : '',
    sort: (SORTS as readonly string[]).includes(sort) ? sort : DEFAULT_LIST.sort,
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_LIST.pageSize,
    segment,
    segmentValue: segment ? (query.get('value') ?? '') : '',
  };
}

// Only what differs from the defaults goes into the URL.
export function customerListToQuery(
  state: CustomerListState,
): Record<string, string | number | undefined> {
  return {
    q: state.q || undefined,
    tier: state.tier || undefined,
    sort: state.sort === DEFAULT_LIST.sort ? undefined : state.sort,
    page: state.page > 1 ? state.page : undefined,
    size: state.pageSize === DEFAULT_LIST.pageSize ? undefined : state.pageSize,
    segment: state.segment || undefined,
    value: state.segment ? state.segmentValue : undefined,
  };
}

export function customerApiQuery(state: CustomerListState): CustomerQuery {
  return {
    q: state.q || undefined,
    tier: state.tier || undefined,
    sort: state.sort,
    limit: state.pageSize,
    offset: (state.page - 1) * state.pageSize,
    segment: state.segment || undefined,
    segmentValue: state.segment ? state.segmentValue : undefined,
  };
}

// Changing a filter goes back to page 1; changing only the page keeps the rest.
export function withFilter(
  state: CustomerListState,
  change: Partial<CustomerListState>,
): CustomerListState {
  const next = { ...state, ...change };
  if (!('page' in change)) next.page = 1;
  return next;
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

// "Showing 26–50 of 5,000" pieces.
export function pageRange(
  total: number,
  page: number,
  pageSize: number,
): { first: number; last: number } {
  if (total === 0) return { first: 0, last: 0 };
  const first = (page - 1) * pageSize + 1;
  return { first: Math.min(first, total), last: Math.min(page * pageSize, total) };
}
