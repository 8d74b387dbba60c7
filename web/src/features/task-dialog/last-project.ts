/**
 * Which project the new task dialog starts with, so that `/` and `@` complete from the first keystroke:
 * the one the user works in (remembered in localStorage after each task created), else the first listed.
 */
import type { ProjectDto } from '../../../../shared/api.js';

const KEY = 'gluon.lastProject';

/** The project the last task was created in, by name (null when unknown or storage is unavailable). */
export function readLastProject(storage: Pick<Storage, 'getItem'> = localStorage): string | null {
  try {
    return storage.getItem(KEY);
  } catch {
    return null;
  }
}

export function rememberProject(name: string, storage: Pick<Storage, 'setItem'> = localStorage): void {
  try {
    storage.setItem(KEY, name);
  } catch {
    // Private windows may refuse storage; the dialog then starts with the first project.
  }
}

/**
 * The project the dialog shows as chosen.
 * Rules, first that names an existing project wins: the one picked in the dialog; the one the board is
 * filtered on; the last used; else the first in the list's order (none while the list is empty).
 */
export function pickProject(
  listed: readonly ProjectDto[],
  names: { picked?: string | null; filtered?: string | null; last?: string | null },
): ProjectDto | undefined {
  for (const name of [names.picked, names.filtered, names.last]) {
    const found = name ? listed.find((p) => p.name === name) : undefined;
    if (found) return found;
  }
  return listed[0];
}
