// The app shell: navigation, the hash router, and one page at a time in <main>.
import './styles.css';
import { h, mount } from './dom';
import type { Page } from './page';
import { customerPage } from './pages/customer';
import { customersPage } from './pages/customers';
import { dataPage } from './pages/data';
import { modelsPage } from './pages/models';
import { overviewPage } from './pages/overview';
import { scorePage } from './pages/score';
import { trainPage } from './pages/train';
import { parseRoute, type Route } from './state';
import { emptyState, errorState, installTooltips } from './ui';

interface NavItem {
  page: string;
  label: string;
  icon: string; // an SVG path
}

const NAV: NavItem[] = [
  { page: '', label: 'Overview', icon: 'M3 13h8V3H3zm10 8h8V11h-8zM3 21h8v-6H3zm10-18v6h8V3z' },
  {
    page: 'customers',
    label: 'Customers',
    icon: 'M16 11a4 4 0 1 0-4-4 4 4 0 0 0 4 4zM8 11a3 3 0 1 0-3-3 3 3 0 0 0 3 3zm0 2c-2.7 0-6 1.3-6 4v2h6v-2c0-1.2.5-2.3 1.5-3.1A9 9 0 0 0 8 13zm8 0c-3 0-7 1.5-7 4.5V20h14v-2.5c0-3-4-4.5-7-4.5z',
  },
  {
    page: 'score',
    label: 'Score',
    icon: 'M12 2a10 10 0 1 0 10 10A10 10 0 0 0 12 2zm1 15h-2v-6h2zm0-8h-2V7h2z',
  },
  {
    page: 'data',
    label: 'Data',
    icon: 'M12 3C7 3 3 4.8 3 7v10c0 2.2 4 4 9 4s9-1.8 9-4V7c0-2.2-4-4-9-4zm0 2c4.4 0 7 1.5 7 2s-2.6 2-7 2-7-1.5-7-2 2.6-2 7-2zm7 12c0 .5-2.6 2-7 2s-7-1.5-7-2v-2.3A15.7 15.7 0 0 0 12 16a15.7 15.7 0 0 0 7-1.3zm0-5c0 .5-2.6 2-7 2s-7-1.5-7-2V9.7A15.7 15.7 0 0 0 12 11a15.7 15.7 0 0 0 7-1.3z',
  },
  { page: 'train', label: 'Train', icon: 'M4 19h16v2H4zM6 17V9h3v8zm5 0V4h3v13zm5 0v-6h3v6z' },
  {
    page: 'models',
    label: 'Models',
    icon: 'M12 2 3 7v10l9 5 9-5V7zm0 2.3L18.7 8 12 11.7 5.3 8zM5 9.7l6 3.3v6.6l-6-3.3zm8 9.9V13l6-3.3v6.6z',
  },
];

const PAGES: Record<string, Page> = {
  '': overviewPage,
  customers: (root, route, context) =>
    route.rest.length > 0
      ? customerPage(root, route, context)
      : customersPage(root, route, context),
  score: scorePage,
  data: dataPage,
  train: trainPage,
  models: modelsPage,
};

function icon(path: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'nav-icon');
  const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  p.setAttribute('d', path);
  svg.append(p);
  return svg;
}

function brand(): HTMLElement {
  return h(
    'a',
    { class: 'brand', href: '#/' },
    h('img', { src: './favicon.svg', alt: '', width: 28, height: 28 }),
    h('span', null, 'Smart', h('strong', null, 'Churn')),
  );
}

function buildShell(): { main: HTMLElement; nav: HTMLElement; shell: HTMLElement } {
  const nav = h(
    'nav',
    { class: 'nav', 'aria-label': 'Main' },
    h(
      'ul',
      null,
      ...NAV.map((item) =>
        h(
          'li',
          null,
          h(
            'a',
            { href: `#/${item.page}`, 'data-page': item.page },
            icon(item.icon),
            h('span', null, item.label),
          ),
        ),
      ),
    ),
  );
  const menuButton = h(
    'button',
    {
      class: 'menu-button',
      type: 'button',
      'aria-expanded': 'false',
      'aria-controls': 'sidebar',
      'aria-label': 'Menu',
    },
    h('span', { class: 'menu-bars', 'aria-hidden': 'true' }),
  );
  const sidebar = h(
    'aside',
    { class: 'sidebar', id: 'sidebar' },
    brand(),
    nav,
    h('p', { class: 'sidebar-foot' }, 'Churn prediction for retention teams'),
  );
  const main = h('main', { id: 'main', tabindex: -1 });
  const shell = h(
    'div',
    { class: 'shell' },
    h(
      'a',
      {
        class: 'skip-link',
        href: '#main',
        onclick: (e: Event) => {
          e.preventDefault();
          main.focus();
        },
      },
      'Skip to content',
    ),
    h('header', { class: 'topbar' }, brand(), menuButton),
    sidebar,
    h('div', { class: 'content' }, main),
  );
  menuButton.addEventListener('click', () => {
    const open = shell.classList.toggle('menu-open');
    menuButton.setAttribute('aria-expanded', String(open));
  });
  nav.addEventListener('click', (event) => {
    if ((event.target as HTMLElement).closest('a')) {
      shell.classList.remove('menu-open');
      menuButton.setAttribute('aria-expanded', 'false');
    }
  });
  return { main, nav, shell };
}

function start(): void {
  const app = document.getElementById('app')!;
  const { main, nav, shell } = buildShell();
  mount(app, shell);
  installTooltips();
  let current: AbortController | null = null;
  let first = true;

  const navigate = (href: string) => {
    if (location.hash === href) render();
    else location.hash = href;
  };

  function render(): void {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    const route: Route = parseRoute(location.hash);
    for (const link of nav.querySelectorAll<HTMLAnchorElement>('a[data-page]')) {
      if (link.dataset.page === route.page) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const item = NAV.find((n) => n.page === route.page);
    document.title = item && item.page ? `${item.label} · SmartChurn` : 'SmartChurn';
    const page = PAGES[route.page];
    main.replaceChildren();
    window.scrollTo(0, 0);
    if (!page) {
      mount(
        main,
        emptyState(
          'Page not found',
          'There is no page at this address.',
          h('a', { class: 'btn btn-primary', href: '#/' }, 'Go to the overview'),
        ),
      );
    } else {
      Promise.resolve(page(main, route, { signal: controller.signal, navigate })).catch((error) => {
        if (!controller.signal.aborted) mount(main, errorState(error));
      });
    }
    // Keyboard and screen-reader users land on the new page, not on the old link.
    if (!first) main.focus({ preventScroll: true });
    first = false;
  }

  window.addEventListener('hashchange', render);
  render();
}

start();
