/**
 * Reads git's unified diff text into files, hunks and lines with old/new line numbers, and pairs
 * removed/added runs into rows for the split (side-by-side) view.
 */
export interface DiffLine {
  kind: 'context' | 'add' | 'del' | 'meta';
  text: string;
  oldNo: number | null;
  newNo: number | null;
}

export interface DiffHunk {
  header: string;
  lines: DiffLine[];
}

export interface DiffFile {
  oldPath: string | null;
  newPath: string | null;
  binary: boolean;
  hunks: DiffHunk[];
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** Parses `git diff` / `git show` output (headers, hunks); unknown lines are kept as meta. */
export function parseUnifiedDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
  let file: DiffFile | null = null;
  let hunk: DiffHunk | null = null;
  let oldNo = 0;
  let newNo = 0;
  const pathOf = (raw: string) =>
    raw === '/dev/null' ? null : raw.replace(/^[ab]\//, '').replace(/\t.*$/, '');
  for (const line of text.split('\n')) {
    if (line.startsWith('diff --git ')) {
      const m = /^diff --git a\/(.*) b\/(.*)$/.exec(line);
      file = { oldPath: m?.[1] ?? null, newPath: m?.[2] ?? null, binary: false, hunks: [] };
      files.push(file);
      hunk = null;
      continue;
    }
    if (!file) {
      if (!line.startsWith('--- ')) continue;
      file = { oldPath: null, newPath: null, binary: false, hunks: [] };
      files.push(file);
    }
    if (!hunk && line.startsWith('--- ')) {
      file.oldPath = pathOf(line.slice(4));
      continue;
    }
    if (!hunk && line.startsWith('+++ ')) {
      file.newPath = pathOf(line.slice(4));
      continue;
    }
    if (line.startsWith('Binary files ')) {
      file.binary = true;
      continue;
    }
    const h = HUNK.exec(line);
    if (h) {
      hunk = { header: line, lines: [] };
      file.hunks.push(hunk);
      oldNo = Number(h[1]);
      newNo = Number(h[2]);
      continue;
    }
    if (!hunk) continue;
    if (line.startsWith('+'))
      hunk.lines.push({ kind: 'add', text: line.slice(1), oldNo: null, newNo: newNo++ });
    else if (line.startsWith('-'))
      hunk.lines.push({ kind: 'del', text: line.slice(1), oldNo: oldNo++, newNo: null });
    else if (line.startsWith(' '))
      hunk.lines.push({ kind: 'context', text: line.slice(1), oldNo: oldNo++, newNo: newNo++ });
    else if (line.startsWith('\\')) hunk.lines.push({ kind: 'meta', text: line, oldNo: null, newNo: null });
    else if (line.startsWith('diff ') || line.startsWith('commit ')) hunk = null;
  }
  return files;
}

export interface SplitRow {
  left: DiffLine | null;
  right: DiffLine | null;
}

/**
 * Side-by-side rows of a hunk.
 * Rules: context lines sit on both sides; a run of removals followed by a run of additions is paired
 * line by line, the longer run's extra lines facing an empty cell.
 */
export function splitRows(hunk: DiffHunk): SplitRow[] {
  const rows: SplitRow[] = [];
  let dels: DiffLine[] = [];
  let adds: DiffLine[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i += 1)
      rows.push({ left: dels[i] ?? null, right: adds[i] ?? null });
    dels = [];
    adds = [];
  };
  for (const line of hunk.lines) {
    if (line.kind === 'del') {
      if (adds.length) flush();
      dels.push(line);
    } else if (line.kind === 'add') adds.push(line);
    else {
      flush();
      rows.push({ left: line, right: line.kind === 'context' ? line : null });
    }
  }
  flush();
  return rows;
}
