/** Waiting on a fake from a test: what the system under test sends arrives when it arrives. */

/**
 * Polls `find` every 25 ms until it returns a value; after `timeoutMs` fails with
 * `<fake>: timed out waiting for <what>`.
 */
export async function pollUntil<T>(
  fake: string,
  find: () => T | undefined | null | false,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`${fake}: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
