// Customers: the scored customer base, searchable, filterable by tier and segment, sortable,
// paged, and exportable as CSV exactly as filtered.
import { api } from '../api';
import { toCsv } from '../csv';
import { actionTitle, actionTitles } from '../explain';
import { h, mount, uid } from '../dom';
import { formatCount, formatRelativeTime, formatDateTime, humanize } from '../format';
import type { Page } from '../page';
import {
  PAGE_SIZES,
  customerApiQuery,
  customerListFromQuery,
  customerListToQuery,
  pageCount,
  pageRange,
  routeHref,
  withFilter,
  type CustomerListState,
} from '../state';
import type { CustomerRow, DashboardSummary } from '../types';
import {
  TIER_LABELS,
  card,
  downloadText,
  emptyState,
  errorState,
  loading,
  notice,
  pageHeader,
  probabilityBar,
  term,
  tierBadge,
} from '../ui';

const SORT_LABELS: Record<string, string> = {
  '-churn_probability': 'Riskiest first',
  churn_probability: 'Safest first',
  customer_id: 'Customer ID, A–Z',
  '-customer_id': 'Customer ID, Z–A',
};
const EXPORT_PAGE = 1000;
const EXPORT_MAX_ROWS = 100_000;

export const customersPage: Page = async (root, route, context) => {
  const { signal } = context;
  let state = customerListFromQuery(route.query);
  let summary: DashboardSummary | null = null;

  const results = h('div', { class: 'results', 'aria-live': 'polite' });
  const exportStatus = h('div');
  const exportButton = h(
    'button',
    { class: 'btn', type: 'button', onclick: () => exportCsv() },
    'Export CSV',
  );
  const toolbarHolder = h('div');
  mount(
    root,
    pageHeader(
      'Customers',
      'Everyone the active model has scored, most likely to leave first',
      exportButton,
    ),
    card(null, [toolbarHolder, results, exportStatus]),
  );

  // Filters change the URL without a page reload (replaceState does not fire hashchange).
  const apply = (next: CustomerListState) => {
    state = next;
    history.replaceState(null, '', routeHref(['customers'], customerListToQuery(state)));
    void load();
  };

  let loadToken = 0;
  async function load(): Promise<void> {
    const token = ++loadToken;
    shown = null;
    results.replaceChildren(loading('Loading customers…'));
    try {
      const page = await api.customers(customerApiQuery(state));
      if (signal.aborted || token !== loadToken) return;
      renderResults(page.total, page.customers);
    } catch (error) {
      if (!signal.aborted && token === loadToken)
        results.replaceChildren(errorState(error, () => void load()));
    }
  }

  function renderToolbar(): void {
    const searchId = uid('search');
    let timer = 0;
    const search = h('input', {
      id: searchId,
      type: 'search',
      placeholder: 'Customer ID contains…',
      value: state.q,
      autocomplete: 'off',
      oninput: (e: Event) => {
        window.clearTimeout(timer);
        const value = (e.target as HTMLInputElement).value.trim();
        timer = window.setTimeout(() => apply(withFilter(state, { q: value })), 250);
      },
    });
    signal.addEventListener('abort', () => window.clearTimeout(timer));
    const tierId = uid('tier');
    const tier = h(
      'select',
      {
        id: tierId,
        onchange: (e: Event) =>
          apply(
            withFilter(state, {
              tier: (e.target as HTMLSelectElement).value as CustomerListState['tier'],
            }),
          ),
      },
      h('option', { value: '', selected: state.tier === '' }, 'All tiers'),
      ...(['high', 'medium', 'low'] as const).map((t) =>
        h('option', { value: t, selected: state.tier === t }, TIER_LABELS[t]),
      ),
    );
    const segmentId = uid('segment');
    segmentSelect = h('select', {
      id: segmentId,
      onchange: (e: Event) => {
        const raw = (e.target as HTMLSelectElement).value;
        const [column, value] = raw ? (JSON.parse(raw) as [string, string]) : ['', ''];
        apply(withFilter(state, { segment: column, segmentValue: value }));
      },
    });
    fillSegments();
    const segment = segmentSelect;
    const sortId = uid('sort');
    const sort = h(
      'select',
      {
        id: sortId,
        onchange: (e: Event) =>
          apply(withFilter(state, { sort: (e.target as HTMLSelectElement).value })),
      },
      ...Object.entries(SORT_LABELS).map(([value, label]) =>
        h('option', { value, selected: state.sort === value }, label),
      ),
    );
    mount(
      toolbarHolder,
      h(
        'div',
        { class: 'toolbar', role: 'search' },
        h('div', { class: 'field grow' }, h('label', { for: searchId }, 'Search'), search),
        h('div', { class: 'field' }, h('label', { for: tierId }, 'Risk tier'), tier),
        h('div', { class: 'field' }, h('label', { for: segmentId }, 'Segment'), segment),
        h('div', { class: 'field' }, h('label', { for: sortId }, 'Order'), sort),
      ),
    );
  }

  // The segment choices: the overview's segment columns and their values.
  let segmentSelect: HTMLSelectElement | null = null;
  function fillSegments(): void {
    if (!segmentSelect) return;
    const segments = summary?.segments ?? [];
    const known = segments.some(
      (s) => s.column === state.segment && s.values.some((v) => v.value === state.segmentValue),
    );
    mount(
      segmentSelect,
      h('option', { value: '', selected: !state.segment }, 'All customers'),
      state.segment && !known
        ? h(
            'option',
            { value: JSON.stringify([state.segment, state.segmentValue]), selected: true },
            `${humanize(state.segment)}: ${state.segmentValue}`,
          )
        : null,
      ...segments.map((s) =>
        h(
          'optgroup',
          { label: humanize(s.column) },
          ...s.values.map((v) =>
            h(
              'option',
              {
                value: JSON.stringify([s.column, v.value]),
                selected: state.segment === s.column && state.segmentValue === v.value,
              },
              `${humanize(s.column)}: ${v.value}`,
            ),
          ),
        ),
      ),
    );
  }

  function sortHeader(
    label: HTMLElement | string,
    ascending: string,
    descending: string,
    numeric = false,
  ): HTMLElement {
    const active = state.sort === ascending || state.sort === descending;
    const next = state.sort === descending ? ascending : descending;
    const arrow = !active ? '↕' : state.sort === descending ? '↓' : '↑';
    return h(
      'th',
      {
        class: numeric ? 'num' : undefined,
        'aria-sort': !active ? 'none' : state.sort === descending ? 'descending' : 'ascending',
      },
      h(
        'button',
        {
          class: 'sort',
          type: 'button',
          'aria-pressed': String(active),
          onclick: () => apply(withFilter(state, { sort: next })),
        },
        label,
        h('span', { 'aria-hidden': 'true' }, arrow),
      ),
    );
  }

  let shown: { total: number; rows: CustomerRow[] } | null = null;
  function renderResults(total: number, rows: CustomerRow[]): void {
    shown = { total, rows };
    const titles = actionTitles(summary);
    if (total === 0) {
      const filtered = state.q || state.tier || state.segment;
      results.replaceChildren(
        filtered
          ? emptyState(
              'No customers match',
              'Try another search or remove a filter.',
              h(
                'button',
                {
                  class: 'btn',
                  type: 'button',
                  onclick: () => {
                    state = { ...state, q: '', tier: '', segment: '', segmentValue: '', page: 1 };
                    renderToolbar();
                    apply(state);
                  },
                },
                'Clear filters',
              ),
            )
          : emptyState(
              'No scored customers yet',
              'Train a model on your data or score a file: scored customers are listed here.',
              h('a', { class: 'btn btn-primary', href: '#/score' }, 'Score customers'),
            ),
      );
      return;
    }
    const pages = pageCount(total, state.pageSize);
    if (state.page > pages) {
      apply({ ...state, page: pages });
      return;
    }
    const { first, last } = pageRange(total, state.page, state.pageSize);
    const table = h(
      'table',
      { class: 'responsive customers-table' },
      h('caption', { class: 'sr-only' }, `Customers ${first} to ${last} of ${total}`),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          sortHeader('Customer', 'customer_id', '-customer_id'),
          sortHeader(
            term(
              'Chance of leaving',
              'Churn probability',
              'the model’s estimate that this customer leaves',
            ),
            'churn_probability',
            '-churn_probability',
            true,
          ),
          h('th', null, 'Risk'),
          h(
            'th',
            null,
            term(
              'Action',
              'Recommended retention action',
              'what the retention playbook suggests for this customer’s risk and top reasons',
            ),
          ),
          h('th', null, 'Scored'),
        ),
      ),
      h(
        'tbody',
        null,
        ...rows.map((c) =>
          h(
            'tr',
            null,
            h(
              'td',
              { 'data-label': 'Customer' },
              h(
                'a',
                { class: 'row-link', href: routeHref(['customers', c.customer_id]) },
                c.customer_id,
              ),
            ),
            h(
              'td',
              { class: 'num', 'data-label': 'Chance of leaving' },
              probabilityBar(c.churn_probability, c.risk_tier),
            ),
            h('td', { 'data-label': 'Risk' }, tierBadge(c.risk_tier)),
            h(
              'td',
              {
                class: 'cell-action',
                'data-label': 'Action',
                'data-action-id': c.recommended_action ?? '',
              },
              c.recommended_action
                ? actionTitle(titles, c.recommended_action)
                : h('span', { class: 'muted' }, 'none'),
            ),
            h(
              'td',
              { class: 'cell-muted', 'data-label': 'Scored' },
              h(
                'time',
                { datetime: c.scored_at, title: formatDateTime(c.scored_at) },
                formatRelativeTime(c.scored_at),
              ),
            ),
          ),
        ),
      ),
    );
    const sizeId = uid('size');
    results.replaceChildren(
      h('div', { class: 'table-wrap' }, table),
      h(
        'div',
        { class: 'pager' },
        h(
          'p',
          { class: 'pager-info' },
          `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} customers`,
        ),
        h(
          'div',
          { class: 'pager-buttons' },
          h('label', { for: sizeId, class: 'sr-only' }, 'Rows per page'),
          h(
            'select',
            {
              id: sizeId,
              onchange: (e: Event) =>
                apply(
                  withFilter(state, { pageSize: Number((e.target as HTMLSelectElement).value) }),
                ),
            },
            ...PAGE_SIZES.map((size) =>
              h('option', { value: size, selected: size === state.pageSize }, `${size} per page`),
            ),
          ),
          h(
            'button',
            {
              class: 'btn btn-small',
              type: 'button',
              disabled: state.page <= 1,
              onclick: () => apply({ ...state, page: state.page - 1 }),
            },
            '← Previous',
          ),
          h('span', { class: 'pager-info nowrap' }, `Page ${state.page} of ${formatCount(pages)}`),
          h(
            'button',
            {
              class: 'btn btn-small',
              type: 'button',
              disabled: state.page >= pages,
              onclick: () => apply({ ...state, page: state.page + 1 }),
            },
            'Next →',
          ),
        ),
      ),
    );
  }

  async function exportCsv(): Promise<void> {
    exportButton.disabled = true;
    exportStatus.replaceChildren();
    const rows: CustomerRow[] = [];
    try {
      let total = Infinity;
      for (let offset = 0; offset < total && offset < EXPORT_MAX_ROWS; offset += EXPORT_PAGE) {
        const page = await api.customers({
          ...customerApiQuery(state),
          limit: EXPORT_PAGE,
          offset,
        });
        if (signal.aborted) return;
        total = page.total;
        rows.push(...page.customers);
        exportButton.textContent = `Exporting… ${Math.round((rows.length / Math.max(1, Math.min(total, EXPORT_MAX_ROWS))) * 100)}%`;
        if (page.customers.length === 0) break;
      }
      const csv = toCsv(
        ['customer_id', 'churn_probability', 'risk_tier', 'recommended_action', 'scored_at'],
        rows.map((r) => ({ ...r })),
      );
      downloadText(csv, exportName(state));
      exportStatus.replaceChildren(
        notice(
          total > rows.length ? 'info' : 'success',
          total > rows.length
            ? `Exported the first ${formatCount(rows.length)} of ${formatCount(total)} customers.`
            : `Exported ${formatCount(rows.length)} customers.`,
        ),
      );
    } catch (error) {
      if (!signal.aborted)
        exportStatus.replaceChildren(notice('error', `Export failed: ${(error as Error).message}`));
    } finally {
      exportButton.disabled = false;
      exportButton.textContent = 'Export CSV';
    }
  }

  renderToolbar();
  void load();
  // Segments for the filter come from the overview summary; the list works without them.
  try {
    summary = await api.summary();
    if (signal.aborted) return;
    fillSegments();
    const last = shown as { total: number; rows: CustomerRow[] } | null;
    if (last) renderResults(last.total, last.rows); // action titles come with the summary
  } catch {
    // the segment filter keeps only the current choice
  }
};

function exportName(state: CustomerListState): string {
  const parts = ['customers'];
  if (state.tier) parts.push(state.tier);
  if (state.segment)
    parts.push(`${state.segment}-${state.segmentValue}`.replace(/[^A-Za-z0-9_-]+/g, '_'));
  if (state.q) parts.push(`q-${state.q.replace(/[^A-Za-z0-9_-]+/g, '_')}`);
  return `${parts.join('-')}.csv`;
}
