/**
 * A page's single-key shortcut (e.g. N for a new task): it fires on the window, except while typing into a
 * field or with Ctrl, ⌘ or Alt held.
 */
import { useEffect } from 'react';

/** Whether a key press is typed into a field (shortcuts must not fire there). */
function typing(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/** Calls `run` on a press of one of `keys`; `keys` and `run` should be stable (a constant, a callback). */
export function useKeyShortcut(keys: readonly string[], run: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (keys.includes(e.key)) {
        e.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keys, run]);
}
