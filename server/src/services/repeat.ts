/**
 * Background work on an interval (polling GitHub, sweeping worktrees): one pass at a time — a tick while
 * the last pass still runs is skipped — errors logged, and the timer never keeps the process alive.
 */

/** Runs `pass` every `intervalMs` (0 or less: never) until the returned function is called. */
export function repeatEvery(
  intervalMs: number,
  pass: () => Promise<unknown>,
  onError: (error: unknown) => void,
): () => void {
  if (intervalMs <= 0) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    pass()
      .catch(onError)
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
