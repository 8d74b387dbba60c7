/**
 * The scenario directive a test writes into its prompt:
 * `[[scenario:NAME key=value key2="quoted value"]]`.
 *
 * Quoted values understand `\"`, `\\`, `\n` and `\t`, so a test can put newlines or spaces into a
 * parameter without the prompt itself containing them.
 */

export type Params = Readonly<Record<string, string>>;

export interface Directive {
  name: string;
  params: Params;
  /** Offsets of the whole `[[…]]` in the text it was found in, so it can be cut out. */
  start: number;
  end: number;
}

export type DirectiveResult = { ok: true; directive: Directive | null } | { ok: false; error: string };

const OPEN = '[[scenario:';
const CLOSE = ']]';
const NAME = /^[a-z0-9][a-z0-9-]*/;
const KEY = /^[A-Za-z_][\w-]*/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\' };

/**
 * Finds the first directive in `text`. A text without `[[scenario:` has no directive (not an error);
 * a malformed one is an error, so a typo in a test fails loudly instead of running the demo.
 */
export function findDirective(text: string): DirectiveResult {
  const start = text.indexOf(OPEN);
  if (start < 0) return { ok: true, directive: null };
  let pos = start + OPEN.length;
  const name = NAME.exec(text.slice(pos))?.[0];
  if (!name) return { ok: false, error: 'directive has no scenario name' };
  pos += name.length;
  const params: Record<string, string> = {};
  for (;;) {
    const afterSpace = skipSpace(text, pos);
    if (text.startsWith(CLOSE, afterSpace)) {
      return { ok: true, directive: { name, params, start, end: afterSpace + CLOSE.length } };
    }
    if (afterSpace >= text.length) return { ok: false, error: 'directive is not closed with ]]' };
    if (afterSpace === pos) return { ok: false, error: `unexpected text in directive at offset ${pos}` };
    const key = KEY.exec(text.slice(afterSpace))?.[0];
    if (!key || text[afterSpace + key.length] !== '=') {
      return { ok: false, error: `expected key=value in directive at offset ${afterSpace}` };
    }
    const value = readValue(text, afterSpace + key.length + 1);
    if (!value) return { ok: false, error: `unterminated value for ${key}` };
    params[key] = value.value;
    pos = value.end;
  }
}

/** Removes the directive from `text` and trims what is left: the prompt as the human meant it. */
export function stripDirective(text: string, directive: Directive | null): string {
  if (!directive) return text.trim();
  return (text.slice(0, directive.start) + text.slice(directive.end)).trim();
}

function skipSpace(text: string, pos: number): number {
  let p = pos;
  while (p < text.length && /\s/.test(text[p] ?? '')) p += 1;
  return p;
}

function readValue(text: string, pos: number): { value: string; end: number } | null {
  if (text[pos] !== '"') {
    let end = pos;
    while (end < text.length && !/\s/.test(text[end] ?? '') && !text.startsWith(CLOSE, end)) end += 1;
    return { value: text.slice(pos, end), end };
  }
  let value = '';
  for (let p = pos + 1; p < text.length; p += 1) {
    const ch = text[p] ?? '';
    if (ch === '"') return { value, end: p + 1 };
    if (ch === '\\' && p + 1 < text.length) {
      const next = text[p + 1] ?? '';
      value += ESCAPES[next] ?? next;
      p += 1;
    } else {
      value += ch;
    }
  }
  return null;
}
