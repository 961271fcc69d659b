// Bounded concurrency for the calls of one operation: a pool that takes work as slots free up (so
// work can be added while it runs, and the limit can shrink when X-Ray throttles), and a sleep that
// a cancellation ends at once.

/** Waits ms, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const done = () => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/**
 * Runs work on items from take(), at most limit() at a time. take() is asked again whenever a slot
 * frees, so work can queue more items; undefined means "nothing now". The pool ends when nothing
 * runs and take() has nothing. The first failure (or an abort) stops new work, lets the running
 * ones finish, then rejects with it.
 */
export function runPool<T>(
  take: () => T | undefined,
  work: (item: T) => Promise<void>,
  limit: () => number,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let running = 0;
    let failure: { error: unknown } | undefined;
    let settled = false;
    const pump = () => {
      if (settled) return;
      if (signal?.aborted && !failure) failure = { error: signal.reason };
      while (!failure && running < Math.max(1, limit())) {
        const item = take();
        if (item === undefined) break;
        running++;
        work(item)
          .then(
            () => undefined,
            (e: unknown) => void (failure ??= { error: e }),
          )
          .finally(() => {
            running--;
            pump();
          });
      }
      if (running === 0) {
        settled = true;
        signal?.removeEventListener('abort', pump);
        if (failure) reject(failure.error as Error);
        else resolve();
      }
    };
    signal?.addEventListener('abort', pump, { once: true });
    pump();
  });
}

/** Exponential backoff with full jitter: a random wait up to base·2^(attempt-1), capped. */
export function backoffMs(attempt: number, baseMs = 250, capMs = 8000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
