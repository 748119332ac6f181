// A teacher command reaches every team's ClusterObject: in parallel, a bounded number at a time.
// Serial awaits made a 60-team "start" cost 60 round trips end to end; unbounded parallelism
// would open as many outgoing calls at once as there are teams, while the platform allows 6
// simultaneous outgoing connections per request ("Simultaneous outgoing connections/request: 6",
// developers.cloudflare.com/durable-objects/platform/limits/) and queues the rest anyway.
// docs/performance.md, "Lab fan-out", has the figures behind FAN_OUT_CONCURRENCY.

/** Calls in flight at once from one lab to its team clusters. */
export const FAN_OUT_CONCURRENCY = 6;

/** Teams 1..count, the lab's numbering. */
export const allTeams = (count: number): number[] => Array.from({ length: count }, (_, i) => i + 1);

/**
 * Runs `fn` on every item, at most `limit` at once, and returns the results in the items' order.
 * Every call is made even when one throws (a team's failure must not leave later teams in the
 * previous state); the first error is thrown once all have settled.
 */
export async function fanOut<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, limit = FAN_OUT_CONCURRENCY): Promise<R[]> {
  const results = new Array<R>(items.length);
  let failed: { err: unknown } | null = null;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw (failed as { err: unknown }).err;
  return results;
}
