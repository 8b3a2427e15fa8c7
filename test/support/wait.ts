import { inspect } from 'node:util';

/**
 * The one way tests wait: poll for the condition they need instead of sleeping a fixed time.
 *
 *   await waitFor(async () => (await repo.findOneBy({ userid }))?.active === false, 'member deactivated');
 *   const row = await waitFor(() => repo.findOneBy({ id }), 'row stored'); // resolves to the truthy value
 *
 * `check` is called at once and then every `intervalMs` until it returns something truthy; a check that
 * throws counts as "not yet" (its last error is quoted if time runs out). On timeout it throws an Error
 * naming `what`, so a failing test says which condition never held.
 */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000, intervalMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError === undefined ? '' : ` (last error: ${lastError instanceof Error ? lastError.message : inspect(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(1, deadline - Date.now()))));
  }
}
