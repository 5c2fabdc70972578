// Runs a request a moment after the last change and only ever shows the newest answer: a new
// change cancels the pending timer and aborts the request in flight, whose answer would be stale.
export interface LatestOptions<A, T> {
  delay: number; // ms to wait after the last change
  run: (arg: A, signal: AbortSignal) => Promise<T>;
  onStart?: (arg: A) => void; // the request is sent
  onResult: (result: T, arg: A) => void; // only for the newest request
  onError: (error: unknown, arg: A) => void; // never for a cancelled one
  lifetime?: AbortSignal; // the page's: stops everything
}

export interface Latest<A> {
  schedule: (arg: A) => void; // after `delay`
  now: (arg: A) => void; // at once
  cancel: () => void;
}

export function latestRequest<A, T>(options: LatestOptions<A, T>): Latest<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | null = null;

  const cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    inFlight?.abort();
    inFlight = null;
  };

  const now = (arg: A) => {
    cancel();
    if (options.lifetime?.aborted) return;
    const controller = new AbortController();
    inFlight = controller;
    options.onStart?.(arg);
    options.run(arg, controller.signal).then(
      (result) => {
        if (controller.signal.aborted || inFlight !== controller) return;
        inFlight = null;
        options.onResult(result, arg);
      },
      (error) => {
        if (controller.signal.aborted || inFlight !== controller) return;
        inFlight = null;
        options.onError(error, arg);
      },
    );
  };

  const schedule = (arg: A) => {
    cancel();
    if (options.lifetime?.aborted) return;
    timer = setTimeout(() => {
      timer = undefined;
      now(arg);
    }, options.delay);
  };

  options.lifetime?.addEventListener('abort', cancel, { once: true });
  return { schedule, now, cancel };
}
