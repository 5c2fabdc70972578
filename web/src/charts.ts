// Chart.js, with only the pieces the dashboard uses registered (keeps the bundle small), and one
// helper that sizes a chart, labels it for screen readers and destroys it when the page goes.
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import { h } from './dom';

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
);

export const COLORS = {
  low: '#1f9d61',
  medium: '#e09b0b',
  high: '#d9443f',
  primary: '#3d5afe',
  primarySoft: 'rgba(61, 90, 254, 0.14)',
  grid: '#e8ebf2',
  text: '#5b6478',
  reference: '#9aa3b5',
  series: ['#3d5afe', '#0f9d9a', '#c2418a', '#e09b0b', '#6b4fd8'],
};

const reducedMotion =
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
Chart.defaults.font.family =
  getComputedStyle(document.documentElement).getPropertyValue('--font').trim() ||
  'system-ui, sans-serif';
Chart.defaults.font.size = 12;
Chart.defaults.color = COLORS.text;
Chart.defaults.borderColor = COLORS.grid;
Chart.defaults.animation = reducedMotion ? false : { duration: 350 };
Chart.defaults.plugins.legend.labels.boxWidth = 12;
Chart.defaults.plugins.legend.labels.boxHeight = 12;
Chart.defaults.plugins.tooltip.padding = 10;
Chart.defaults.plugins.tooltip.cornerRadius = 6;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.responsive = true;

// Marks the canvas once drawn, so tests (and people with dev tools) can tell a chart rendered.
Chart.register({
  id: 'renderedMarker',
  afterDraw(chart) {
    chart.canvas.dataset.rendered = 'true';
  },
});

export interface ChartOptions {
  name: string; // data-chart attribute, for tests and styling
  label: string; // what the chart shows, for screen readers
  height?: number;
  signal: AbortSignal; // the page's lifetime
}

// Creates the chart inside `parent`; returns it (already drawn).
export function makeChart<T extends ChartConfiguration>(
  parent: HTMLElement,
  config: T,
  options: ChartOptions,
): Chart {
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': options.label,
    'data-chart': options.name,
  });
  const box = h(
    'div',
    { class: 'chart-box', style: { height: `${options.height ?? 260}px` } },
    canvas,
  );
  parent.append(box);
  const chart = new Chart(canvas, config as ChartConfiguration);
  options.signal.addEventListener('abort', () => chart.destroy(), { once: true });
  return chart;
}

export const percentTick = (value: string | number) => `${Math.round(Number(value) * 100)}%`;
