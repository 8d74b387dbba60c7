/** When a store tells its listeners: at most once per animation frame, so a burst of changes is one render. */
export type Scheduler = (flush: () => void) => void;

/** Runs `flush` before the next frame (or soon, where there are no frames). */
export const frameScheduler: Scheduler = (flush) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => flush());
  else setTimeout(flush, 16);
};
