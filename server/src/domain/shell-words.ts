/**
 * A small shell reader for the approval policy: it splits a Bash command line into simple commands the
 * way a POSIX shell would see them (quotes removed, separators `; & && || | ( )` and newlines honoured),
 * and hands back what runs inside `$(…)`, backticks and `<(…)` separately so it can be checked too. It
 * never executes or expands anything; it only has to be right about which words are commands.
 */

export interface SimpleCommand {
  /** Words with quotes removed; a substitution inside a word reads as `$(…)`. */
  words: string[];
  /** Targets of output redirections (`> x`, `>> x`, `&> x`). */
  redirects: string[];
  /** Sources of `$(…)`, backtick and `<(…)`/`>(…)` substitutions met in this command. */
  substitutions: string[];
  /** Whether the previous command's output is piped into this one. */
  pipedInput: boolean;
}

type Pending = 'out' | 'in' | 'heredoc' | null;

/**
 * Splits `source` into simple commands.
 * - single quotes are literal; double quotes allow `\` escapes and substitutions;
 * - `#` at the start of a word begins a comment;
 * - here-document bodies are skipped (they are data, like a quoted string);
 * - an unclosed quote or substitution runs to the end of the text rather than failing.
 */
export function splitShellCommands(source: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let cur = emptyCommand(false);
  let word: string | null = null;
  let pending: Pending = null;
  let heredocs: string[] = [];
  let i = 0;

  const append = (text: string) => (word = (word ?? '') + text);
  const endWord = () => {
    if (word === null) return;
    if (pending === 'out') cur.redirects.push(word);
    else if (pending === 'heredoc') heredocs.push(word);
    else if (pending === null) cur.words.push(word);
    pending = null;
    word = null;
  };
  const endCommand = (pipedNext: boolean) => {
    endWord();
    if (cur.words.length + cur.redirects.length + cur.substitutions.length > 0) commands.push(cur);
    cur = emptyCommand(pipedNext);
  };
  const substitute = (open: number, label: string) => {
    const [inner, end] = readBalanced(source, open);
    cur.substitutions.push(inner);
    append(label);
    i = end;
  };

  /** `'…'`: literal up to the closing quote. */
  const singleQuoted = () => {
    const close = source.indexOf("'", i + 1);
    const end = close < 0 ? source.length : close;
    append(source.slice(i + 1, end));
    i = end + 1;
  };
  /** `>`, `>>`, `>|`, `2>&1`: an output target follows, unless it is a descriptor duplication. */
  const redirectOut = () => {
    if (word !== null && /^\d+$/.test(word)) word = null;
    endWord();
    i++;
    if (source[i] === '>' || source[i] === '|') i++;
    if (source[i] === '&') {
      i++;
      while (i < source.length && /[\d-]/.test(source[i] as string)) i++;
    } else pending = 'out';
  };
  /** `<` reads a file, `<<` and `<<-` open a here-document whose delimiter follows. */
  const redirectIn = () => {
    endWord();
    let count = 0;
    while (source[i] === '<') {
      i++;
      count++;
    }
    if (count === 2 && source[i] === '-') i++;
    pending = count === 2 ? 'heredoc' : 'in';
  };
  /** `|`, `||`, `|&`, `&`, `&&` (but `&>` is a redirection), `;`, `(`, `)` end a command. */
  const separator = (c: string, next: string | undefined) => {
    if (c === '|') {
      i += next === '|' || next === '&' ? 2 : 1;
      endCommand(next !== '|');
    } else if (c === '&' && next === '>') i++;
    else {
      i += c === '&' && next === '&' ? 2 : 1;
      endCommand(false);
    }
  };

  while (i < source.length) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '\n') {
      endCommand(false);
      i = skipHeredocs(source, i + 1, heredocs);
      heredocs = [];
    } else if (c === '\\') {
      if (next !== '\n' && next !== undefined) append(next);
      i += 2;
    } else if (c === "'") singleQuoted();
    else if (c === '"') {
      i = readDoubleQuoted(source, i + 1, append, (inner) => cur.substitutions.push(inner));
    } else if (c === '`') {
      const [inner, end] = readBackticks(source, i + 1);
      cur.substitutions.push(inner);
      append('$(…)');
      i = end;
    } else if (c === '$' && next === '(') substitute(i + 1, '$(…)');
    else if ((c === '<' || c === '>') && next === '(' && word === null) substitute(i + 1, `${c}(…)`);
    else if (c === '>') redirectOut();
    else if (c === '<') redirectIn();
    else if ('|&;()'.includes(c)) separator(c, next);
    else if (c === '#' && word === null) {
      while (i < source.length && source[i] !== '\n') i++;
    } else {
      append(c);
      i++;
    }
  }
  endCommand(false);
  return commands;
}

function emptyCommand(pipedInput: boolean): SimpleCommand {
  return { words: [], redirects: [], substitutions: [], pipedInput };
}

/** Reads a double-quoted string from `start` (after the quote); returns the index after the closing quote. */
function readDoubleQuoted(
  s: string,
  start: number,
  text: (t: string) => void,
  sub: (inner: string) => void,
): number {
  let out = '';
  let i = start;
  while (i < s.length && s[i] !== '"') {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length && '$`"\\\n'.includes(s[i + 1] as string)) {
      if (s[i + 1] !== '\n') out += s[i + 1];
      i += 2;
    } else if ((c === '$' && s[i + 1] === '(') || c === '`') {
      const [inner, end] = c === '`' ? readBackticks(s, i + 1) : readBalanced(s, i + 1);
      sub(inner);
      out += '$(…)';
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  text(out);
  return i + 1;
}

/** From the `(` at `open`, returns the text up to its matching `)` and the index after it. */
function readBalanced(s: string, open: number): [string, number] {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === "'" || c === '"') {
      const close = s.indexOf(c, i + 1);
      i = close < 0 ? s.length : close;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return [s.slice(open + 1, i), i + 1];
  }
  return [s.slice(open + 1), s.length];
}

/** From after an opening backtick, returns the text up to the closing one and the index after it. */
function readBackticks(s: string, start: number): [string, number] {
  for (let i = start; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '`') return [s.slice(start, i), i + 1];
  }
  return [s.slice(start), s.length];
}

/** Skips the bodies of the here-documents opened on the line just ended; returns where commands resume. */
function skipHeredocs(s: string, from: number, delimiters: string[]): number {
  let i = from;
  for (const delimiter of delimiters) {
    while (i < s.length) {
      const eol = s.indexOf('\n', i);
      const line = s.slice(i, eol < 0 ? s.length : eol);
      i = eol < 0 ? s.length : eol + 1;
      if (line.replace(/^\t+/, '') === delimiter) break;
    }
  }
  return i;
}
