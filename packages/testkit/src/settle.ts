/** How a call ended in a dispose-in-flight test. */
export type DisposeOutcome = 'result' | 'disposed';

/**
 * Settles a call within `boundMs`: `'result'` when it resolved, `'disposed'` when it rejected with
 * @ondevice's `DisposedError` (code `ERR_DISPOSED`); any other rejection is rethrown, and a call
 * still pending after the bound fails the test by name instead of hanging it.
 *
 * @example
 * ```ts
 * const outcome = settleOrDisposed(spotter.spot(clip), 20_000);
 * spotter.dispose();
 * expect(await outcome).toBe('disposed');
 * ```
 */
export async function settleOrDisposed(p: Promise<unknown>, boundMs: number): Promise<DisposeOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${boundMs} ms`)), boundMs);
  });
  try {
    await Promise.race([p, hang]);
    return 'result';
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'ERR_DISPOSED') return 'disposed';
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
