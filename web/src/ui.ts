// Shared building blocks of the pages: headers, cards, figures, badges, states and dialogs.
import { ApiError, storeToken } from './api';
import { h, type Child, uid } from './dom';
import { formatProbability } from './format';
import type { Tier } from './types';

export const TIER_LABELS: Record<Tier, string> = {
  low: 'Low risk',
  medium: 'Medium risk',
  high: 'High risk',
};

export function pageHeader(title: string, subtitle?: Child, ...actions: Child[]): HTMLElement {
  return h(
    'header',
    { class: 'page-header' },
    h(
      'div',
      { class: 'page-title' },
      h('h1', null, title),
      subtitle ? h('p', { class: 'subtitle' }, subtitle) : null,
    ),
    actions.length ? h('div', { class: 'page-actions' }, ...actions) : null,
  );
}

export function card(
  title: Child,
  body: Child,
  options: { help?: Child; actions?: Child; class?: string; id?: string } = {},
): HTMLElement {
  return h(
    'section',
    { class: `card ${options.class ?? ''}`.trim(), id: options.id },
    title
      ? h(
          'div',
          { class: 'card-head' },
          h(
            'div',
            null,
            h('h2', null, title),
            options.help ? h('p', { class: 'card-help' }, options.help) : null,
          ),
          options.actions ?? null,
        )
      : null,
    h('div', { class: 'card-body' }, body),
  );
}

// One floating tooltip for every term, placed with fixed coordinates and kept inside the window,
// so a term near the edge of a phone screen never makes the page scroll sideways.
export function installTooltips(): void {
  const tip = h('div', { class: 'tooltip', role: 'tooltip', id: 'tooltip', hidden: true });
  document.body.append(tip);
  const show = (target: EventTarget | null) => {
    const element = target instanceof Element ? target.closest<HTMLElement>('.term') : null;
    if (!element) return;
    tip.textContent = element.dataset.tip ?? '';
    tip.hidden = false;
    const anchor = element.getBoundingClientRect();
    const margin = 8;
    const width = tip.offsetWidth;
    const left = Math.max(margin, Math.min(anchor.left, window.innerWidth - width - margin));
    const below = anchor.bottom + 6;
    const top =
      below + tip.offsetHeight > window.innerHeight - margin
        ? anchor.top - tip.offsetHeight - 6
        : below;
    tip.style.left = `${left}px`;
    tip.style.top = `${Math.max(margin, top)}px`;
  };
  const hide = () => {
    tip.hidden = true;
  };
  document.addEventListener('mouseover', (e) => show(e.target));
  document.addEventListener('mouseout', (e) => {
    if (e.target instanceof Element && e.target.closest('.term')) hide();
  });
  document.addEventListener('focusin', (e) => show(e.target));
  document.addEventListener('focusout', hide);
  document.addEventListener('scroll', hide, { passive: true, capture: true });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') hide();
  });
}

// A plain-language label whose technical name and meaning appear on hover or keyboard focus.
export function term(label: string, technical: string, meaning?: string): HTMLElement {
  const tip = meaning ? `${technical}: ${meaning}` : technical;
  return h(
    'span',
    { class: 'term', tabindex: 0, 'data-tip': tip, 'aria-label': `${label} (${tip})` },
    label,
  );
}

export function kpi(
  label: Child,
  value: Child,
  detail?: Child,
  tone?: Tier | 'accent',
): HTMLElement {
  return h(
    'div',
    { class: `kpi ${tone ? `kpi-${tone}` : ''}`.trim() },
    h('div', { class: 'kpi-label' }, label),
    h('div', { class: 'kpi-value' }, value),
    detail ? h('div', { class: 'kpi-detail' }, detail) : null,
  );
}

export function tierBadge(tier: Tier): HTMLElement {
  return h(
    'span',
    { class: `badge badge-${tier}` },
    h('span', { class: 'dot', 'aria-hidden': 'true' }),
    TIER_LABELS[tier] ?? tier,
  );
}

// A probability with a small bar, coloured by tier.
export function probabilityBar(p: number, tier: Tier): HTMLElement {
  return h(
    'span',
    { class: 'prob' },
    h(
      'span',
      { class: 'prob-track', 'aria-hidden': 'true' },
      h('span', {
        class: `prob-fill fill-${tier}`,
        style: { width: `${Math.max(2, Math.round(p * 100))}%` },
      }),
    ),
    h('span', { class: 'prob-text' }, formatProbability(p)),
  );
}

export function loading(text = 'Loading…'): HTMLElement {
  return h(
    'div',
    { class: 'state state-loading', role: 'status', 'aria-live': 'polite' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    h('span', null, text),
  );
}

export function emptyState(title: string, text: Child, action?: Child): HTMLElement {
  return h(
    'div',
    { class: 'state state-empty' },
    h('div', { class: 'state-icon', 'aria-hidden': 'true' }, '∅'),
    h('h3', null, title),
    h('p', null, text),
    action ?? null,
  );
}

// An API error, shown with its message. A 401 offers to enter the server's API token.
export function errorState(error: unknown, retry?: () => void): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  const box = h(
    'div',
    { class: 'state state-error', role: 'alert' },
    h('div', { class: 'state-icon', 'aria-hidden': 'true' }, '!'),
    h(
      'h3',
      null,
      error instanceof ApiError && error.status === 401
        ? 'This server needs an API token'
        : 'Something went wrong',
    ),
    h('p', { class: 'error-message' }, message),
    retry ? h('button', { class: 'btn', type: 'button', onclick: retry }, 'Try again') : null,
  );
  if (error instanceof ApiError && (error.status === 401 || error.status === 403))
    box.append(tokenForm());
  return box;
}

function tokenForm(): HTMLElement {
  const id = uid('token');
  const input = h('input', {
    id,
    type: 'password',
    autocomplete: 'off',
    placeholder: 'paste the token',
  });
  return h(
    'form',
    {
      class: 'token-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        storeToken(input.value.trim() || null);
        location.reload();
      },
    },
    h('label', { for: id }, 'API token'),
    input,
    h('button', { class: 'btn btn-primary', type: 'submit' }, 'Save'),
  );
}

// Inline message under a form (errors keep their text; success is short-lived in spirit).
export function notice(kind: 'error' | 'success' | 'info', text: Child): HTMLElement {
  return h(
    'div',
    { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    text,
  );
}

export function progressBar(label: string): {
  element: HTMLElement;
  set: (fraction: number, text?: string) => void;
} {
  const fill = h('div', { class: 'progress-fill' });
  const caption = h('div', { class: 'progress-caption' }, label);
  const bar = h(
    'div',
    {
      class: 'progress',
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': 0,
      'aria-label': label,
    },
    fill,
  );
  const element = h('div', { class: 'progress-wrap' }, bar, caption);
  return {
    element,
    set(fraction: number, text?: string) {
      const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
      fill.style.width = `${percent}%`;
      bar.setAttribute('aria-valuenow', String(percent));
      caption.textContent = text ? `${text} · ${percent}%` : `${percent}%`;
    },
  };
}

// A modal confirmation; resolves true when confirmed. Escape and the Cancel button refuse.
export function confirmDialog(
  title: string,
  text: Child,
  confirmLabel: string,
  danger = false,
): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h('dialog', {
      class: 'dialog',
      'aria-labelledby': 'dialog-title',
    }) as HTMLDialogElement;
    const close = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    dialog.append(
      h('h2', { id: 'dialog-title' }, title),
      h('div', { class: 'dialog-body' }, text),
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', { class: 'btn', type: 'button', onclick: () => close(false) }, 'Cancel'),
        h(
          'button',
          {
            class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`,
            type: 'button',
            'data-confirm': '',
            onclick: () => close(true),
          },
          confirmLabel,
        ),
      ),
    );
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    (dialog.querySelector('[data-confirm]') as HTMLButtonElement).focus();
  });
}

// A select with a visible label.
export function selectField(
  label: Child,
  options: { value: string; label: string }[],
  value: string,
  onChange: (value: string) => void,
  attrs: { name?: string; id?: string } = {},
): HTMLElement {
  const id = attrs.id ?? uid('select');
  const select = h(
    'select',
    {
      id,
      name: attrs.name,
      onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value),
    },
    ...options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)),
  );
  return h('div', { class: 'field' }, h('label', { for: id }, label), select);
}

export function link(
  href: string,
  text: Child,
  attrs: Record<string, string> = {},
): HTMLAnchorElement {
  return h('a', { href, ...attrs }, text);
}

// A download of text content as a file, without a server round trip.
export function downloadText(text: string, fileName: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const anchor = h('a', { href: url, download: fileName, style: { display: 'none' } });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
