// What every page gets: the element to fill, the route, and the page's lifetime.
import type { Route } from './state';

export interface PageContext {
  signal: AbortSignal; // aborted when the user navigates away: stop timers, streams, charts
  navigate: (href: string) => void;
}

export type Page = (root: HTMLElement, route: Route, context: PageContext) => void | Promise<void>;

// Runs `load` and shows its result; a failure is shown by `onError` unless the page has gone.
export async function guarded<T>(
  signal: AbortSignal,
  load: () => Promise<T>,
  onError: (error: unknown) => void,
): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    if (!signal.aborted) onError(error);
    return undefined;
  }
}
