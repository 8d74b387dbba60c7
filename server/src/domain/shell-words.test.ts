import { describe, expect, it } from 'vitest';
import { splitShellCommands, type SimpleCommand } from './shell-words.js';

const cmd = (words: string[], extra: Partial<SimpleCommand> = {}): SimpleCommand => ({
  words,
  redirects: [],
  substitutions: [],
  pipedInput: false,
  ...extra,
});

describe('splitShellCommands', () => {
  const rows: [source: string, expected: SimpleCommand[]][] = [
    ['ls -la', [cmd(['ls', '-la'])]],
    ['a && b || c; d & e', [cmd(['a']), cmd(['b']), cmd(['c']), cmd(['d']), cmd(['e'])]],
    ['a | b |& c', [cmd(['a']), cmd(['b'], { pipedInput: true }), cmd(['c'], { pipedInput: true })]],
    ['(cd x && y)', [cmd(['cd', 'x']), cmd(['y'])]],
    ['a\nb', [cmd(['a']), cmd(['b'])]],
    [`echo 'a  b' "c \\"d\\" e" f\\ g`, [cmd(['echo', 'a  b', 'c "d" e', 'f g'])]],
    ['echo "x$(rm -rf y)z"', [cmd(['echo', 'x$(…)z'], { substitutions: ['rm -rf y'] })]],
    ['echo `date`', [cmd(['echo', '$(…)'], { substitutions: ['date'] })]],
    ['echo $(a $(b) "c)")', [cmd(['echo', '$(…)'], { substitutions: ['a $(b) "c)"'] })]],
    ['diff <(a) <(b)', [cmd(['diff', '<(…)', '<(…)'], { substitutions: ['a', 'b'] })]],
    ["echo '$(not run)'", [cmd(['echo', '$(not run)'])]],
    ['make 2>&1 > log.txt', [cmd(['make'], { redirects: ['log.txt'] })]],
    ['x >> out 2> err &> all', [cmd(['x'], { redirects: ['out', 'err', 'all'] })]],
    ['sort < in.txt', [cmd(['sort'])]],
    ['cat <<-"END" > f\n\trm -rf /\n\tEND\nnext', [cmd(['cat'], { redirects: ['f'] }), cmd(['next'])]],
    ['grep x <<< "$v"', [cmd(['grep', 'x'])]],
    ['echo hi # rm -rf /', [cmd(['echo', 'hi'])]],
    ['echo a#b', [cmd(['echo', 'a#b'])]],
    ['a \\\n  b', [cmd(['a', 'b'])]],
    ['echo "unclosed', [cmd(['echo', 'unclosed'])]],
    ["echo 'unclosed", [cmd(['echo', 'unclosed'])]],
    ['echo $(unclosed', [cmd(['echo', '$(…)'], { substitutions: ['unclosed'] })]],
    ['echo ""', [cmd(['echo', ''])]],
    ['', []],
    [' ;; && ', []],
  ];
  it.each(rows)('%j', (source, expected) => expect(splitShellCommands(source)).toEqual(expected));
});
