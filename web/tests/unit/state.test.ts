import { describe, expect, it } from 'vitest';
import {
  customerApiQuery,
  customerListFromQuery,
  customerListToQuery,
  pageCount,
  pageRange,
  parseRoute,
  routeHref,
  withFilter,
} from '../../src/state';

describe('routes in the URL hash', () => {
  it('splits page, path and query', () => {
    const route = parseRoute('#/customers/7590-VHVEG?tab=history');
    expect(route.page).toBe('customers');
    expect(route.rest).toEqual(['7590-VHVEG']);
    expect(route.query.get('tab')).toBe('history');
    expect(parseRoute('').page).toBe('');
    expect(parseRoute('#/').page).toBe('');
    expect(parseRoute('#/train/job/3').rest).toEqual(['job', '3']);
  });

  it('round-trips ids with slashes, spaces and dots', () => {
    const href = routeHref(['customers', 'A/B 1.5'], { q: 'x y' });
    expect(href).toBe('#/customers/A%2FB%201.5?q=x+y');
    const route = parseRoute(href);
    expect(route.rest).toEqual(['A/B 1.5']);
    expect(route.query.get('q')).toBe('x y');
  });

  it('leaves empty query values out and survives malformed escapes', () => {
    expect(routeHref(['models'], { a: 1, b: '', c: undefined })).toBe('#/models?a=1');
    expect(parseRoute('#/customers/%E0%A4%A').rest).toEqual(['%E0%A4%A']);
  });
});

describe('the customer list state', () => {
  it('has defaults and rejects unknown values', () => {
    const state = customerListFromQuery(
      new URLSearchParams('tier=extreme&sort=name&page=-3&size=7'),
    );
    expect(state).toEqual({
      q: '',
      tier: '',
      sort: '-churn_probability',
      page: 1,
      pageSize: 25,
      segment: '',
      segmentValue: '',
    });
  });

  it('round-trips through the URL, writing only what differs from the defaults', () => {
    const state = customerListFromQuery(
      new URLSearchParams(
        'q=77&tier=high&sort=customer_id&page=3&size=50&segment=Contract&value=Month-to-month',
      ),
    );
    expect(state).toEqual({
      q: '77',
      tier: 'high',
      sort: 'customer_id',
      page: 3,
      pageSize: 50,
      segment: 'Contract',
      segmentValue: 'Month-to-month',
    });
    const query = customerListToQuery(state);
    expect(customerListFromQuery(new URLSearchParams(query as Record<string, string>))).toEqual(
      state,
    );
    expect(customerListToQuery(customerListFromQuery(new URLSearchParams()))).toEqual({
      q: undefined,
      tier: undefined,
      sort: undefined,
      page: undefined,
      size: undefined,
      segment: undefined,
      value: undefined,
    });
  });

  it('turns a page into an API offset', () => {
    const state = customerListFromQuery(new URLSearchParams('page=3&size=50&tier=low'));
    expect(customerApiQuery(state)).toMatchObject({
      tier: 'low',
      limit: 50,
      offset: 100,
      sort: '-churn_probability',
    });
  });

  it('goes back to page 1 when a filter changes, not when the page does', () => {
    const state = customerListFromQuery(new URLSearchParams('page=4'));
    expect(withFilter(state, { tier: 'high' }).page).toBe(1);
    expect(withFilter(state, { page: 5 }).page).toBe(5);
  });

  it('counts pages and the rows shown', () => {
    expect(pageCount(0, 25)).toBe(1);
    expect(pageCount(5000, 25)).toBe(200);
    expect(pageCount(5001, 25)).toBe(201);
    expect(pageRange(5001, 201, 25)).toEqual({ first: 5001, last: 5001 });
    expect(pageRange(60, 2, 25)).toEqual({ first: 26, last: 50 });
    expect(pageRange(0, 1, 25)).toEqual({ first: 0, last: 0 });
  });
});
