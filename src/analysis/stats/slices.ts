// Long work on a thread that must stay responsive (the extension host): run it in slices of a few
// milliseconds and yield to the event loop in between.

/** How a sliced run went. */
export interface SliceReport {
  readonly slices: number;
  /** Wall-clock time of the longest slice: how long the thread was held at once. */
  readonly longestSliceMs: number;
  /** Main-thread CPU time of the longest slice, where Node can tell (22.x cannot): wall time less preemption by other processes. */
  readonly longestSliceCpuMs?: number;
  /** Time spent in slices, yields excluded. */
  readonly busyMs: number;
}

type ThreadCpu = () => { user: number; system: number };
const threadCpuUsage = (process as unknown as { threadCpuUsage?: ThreadCpu }).threadCpuUsage?.bind(process);
const cpuMs = threadCpuUsage
  ? (): number => {
      const u = threadCpuUsage();
      return (u.user + u.system) / 1000;
    }
  : undefined;

/**
 * Calls step until it returns false, in slices of about budgetMs; the clock is read every
 * `every` steps (cheap steps need not pay for it each time, and a slice overshoots by at most that).
 */
export async function inSlices(
  step: () => boolean,
  budgetMs: number,
  every = 1,
  signal?: AbortSignal,
): Promise<SliceReport> {
  let slices = 0;
  let longest = 0;
  let longestCpu = 0;
  let busy = 0;
  for (let more = true; more;) {
    signal?.throwIfAborted();
    const started = performance.now();
    const cpuStarted = cpuMs?.() ?? 0;
    for (let k = 1; (more = step()); k++) if (k % every === 0 && performance.now() - started >= budgetMs) break;
    const took = performance.now() - started;
    longest = Math.max(longest, took);
    if (cpuMs) longestCpu = Math.max(longestCpu, cpuMs() - cpuStarted);
    busy += took;
    slices++;
    if (more) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return cpuMs
    ? { slices, longestSliceMs: longest, longestSliceCpuMs: longestCpu, busyMs: busy }
    : { slices, longestSliceMs: longest, busyMs: busy };
}
