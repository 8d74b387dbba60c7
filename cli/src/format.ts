/**
 * Terminal building blocks for human output: ANSI styles that switch off for pipes and NO_COLOR, and
 * aligned tables. Money and text folding are shared with every surface (shared/text.ts).
 */

/** Styling functions; each is the identity when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  cyan(text: string): string;
}

/**
 * Whether to colour: only when stdout is a terminal, `NO_COLOR` is not set at all (any value, even empty,
 * turns colour off) and the terminal is not `dumb`.
 */
export function shouldColor(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): boolean {
  return isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

/** Builds the styles for `enabled`. */
export function createStyle(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled && text ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    enabled,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    blue: wrap(34, 39),
    cyan: wrap(36, 39),
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** The printed width of a string, ignoring ANSI escapes. */
export function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/**
 * Lays out rows under a header with columns separated by two spaces. The last column is not padded.
 * The header is styled with `headerStyle` (bold when colour is on).
 */
export function renderTable(
  header: string[],
  rows: string[][],
  headerStyle: (s: string) => string = (s) => s,
) {
  const widths = header.map((title, column) =>
    Math.max(visibleLength(title), ...rows.map((row) => visibleLength(row[column] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column]! - visibleLength(cell)),
      )
      .join('  ')
      .trimEnd();
  return [headerStyle(line(header)), ...rows.map(line)];
}
