import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff, splitRows } from './diff-parse.js';

const DIFF = `diff --git a/src/a.ts b/src/a.ts
index 1111111..2222222 100644
--- a/src/a.ts
+++ b/src/a.ts
@@ -1,4 +1,4 @@ function x()
 keep
-old one
-old two
+new one
 tail
\\ No newline at end of file
diff --git a/new.txt b/new.txt
new file mode 100644
--- /dev/null
+++ b/new.txt
@@ -0,0 +1 @@
+hello
diff --git a/img.png b/img.png
Binary files a/img.png and b/img.png differ
`;

describe('parseUnifiedDiff', () => {
  it('reads files, hunks and line numbers', () => {
    const files = parseUnifiedDiff(DIFF);
    expect(files.map((f) => [f.oldPath, f.newPath, f.binary])).toEqual([
      ['src/a.ts', 'src/a.ts', false],
      [null, 'new.txt', false],
      ['img.png', 'img.png', true],
    ]);
    const lines = files[0]!.hunks[0]!.lines;
    expect(lines.map((l) => [l.kind, l.oldNo, l.newNo])).toEqual([
      ['context', 1, 1],
      ['del', 2, null],
      ['del', 3, null],
      ['add', null, 2],
      ['context', 4, 3],
      ['meta', null, null],
    ]);
    expect(files[1]!.hunks[0]!.lines).toEqual([{ kind: 'add', text: 'hello', oldNo: null, newNo: 1 }]);
  });

  it('pairs removals with additions for the split view', () => {
    const rows = splitRows(parseUnifiedDiff(DIFF)[0]!.hunks[0]!);
    expect(rows.map((r) => [r.left?.text ?? null, r.right?.text ?? null])).toEqual([
      ['keep', 'keep'],
      ['old one', 'new one'],
      ['old two', null],
      ['tail', 'tail'],
      ['\\ No newline at end of file', null],
    ]);
  });
});
