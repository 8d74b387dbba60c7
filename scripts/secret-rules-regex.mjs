// Go (RE2) regex syntax → JavaScript, for the gitleaks rules. Used only by scripts/secret-rules.mjs.
//
// Rules:
// - a pattern whose only flag is a leading `(?i)` keeps it as the JS `i` flag;
// - any other inline flag (`(?i)` later on, `(?i:…)`, `(?-i:…)`, `(?s)`, `(?s:…)`) is applied by rewriting:
//   letters become `[aA]`, classes gain the other case, `.` under `s` becomes `[\s\S]`;
// - Go's `.` matches everything but `\n` (JS's also stops at `\r`, U+2028, U+2029): it becomes `[^\n]`;
// - `\z` → `$`, `\A` → `^` (no `m` flag, so these mean the ends of the text), `\Q…\E` → escaped literal;
// - in a class, a leading `]` is a literal and POSIX names (`[:alnum:]`) are expanded;
// - named groups `(?P<n>…)` / `(?<n>…)` become non-capturing (gitleaks takes the first capture as the
//   secret: for a rule of named alternatives the whole match is the secret worth hiding);
// - anything else unknown (`\p{…}`, `\x{…}`, backreferences, other flags) throws, so a new rule cannot
//   slip through mistranslated.

const POSIX = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '\\w',
  xdigit: '0-9A-Fa-f',
};

const isLetter = (c) => /^[A-Za-z]$/.test(c);
const other = (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
const escapeClassChar = (c) => (/[\\\]\[^-]/.test(c) ? `\\${c}` : c);

/** Translates one Go regex; returns `{ source, flags }` for `new RegExp`. */
export function translateGoRegex(go) {
  const leadingI = go.startsWith('(?i)') && !/\(\?[a-zA-Z-]+[:)]/.test(go.slice(4));
  const t = { go, src: leadingI ? go.slice(4) : go, i: 0, out: '', stack: [{ ci: false, dotall: false }] };
  while (t.i < t.src.length) {
    const c = t.src[t.i];
    if (c === '\\') escape(t);
    else if (c === '[') klass(t);
    else if (c === '(') open(t);
    else if (c === ')') {
      if (t.stack.length === 1) fail(t, 'unbalanced )');
      t.stack.pop();
      t.out += ')';
      t.i++;
    } else if (c === '.') {
      t.out += top(t).dotall ? '[\\s\\S]' : '[^\\n]';
      t.i++;
    } else {
      t.out += isLetter(c) ? literal(t, c) : c === '/' ? '\\/' : c;
      t.i++;
    }
  }
  if (t.stack.length !== 1) fail(t, 'unbalanced (');
  return { source: t.out, flags: leadingI ? 'i' : '' };
}

const top = (t) => t.stack[t.stack.length - 1];

function fail(t, what) {
  throw new Error(`untranslatable Go regex (${what}) at ${t.i}: ${t.go}`);
}

/** A literal character, in both cases when case-insensitive, escaped when special. */
function literal(t, c) {
  if (top(t).ci && isLetter(c)) return `[${c}${other(c)}]`;
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** An escape outside a class. */
function escape(t) {
  const n = t.src[t.i + 1];
  if (n === undefined) fail(t, 'trailing backslash');
  if (n === 'Q') {
    const end = t.src.indexOf('\\E', t.i + 2);
    for (const c of t.src.slice(t.i + 2, end === -1 ? t.src.length : end)) t.out += literal(t, c);
    t.i = end === -1 ? t.src.length : end + 2;
    return;
  }
  if (n === 'p' || n === 'P' || /[0-9]/.test(n) || (n === 'x' && t.src[t.i + 2] === '{')) fail(t, `\\${n}`);
  const width = n === 'x' ? 4 : 2;
  t.out += n === 'z' ? '$' : n === 'A' ? '^' : t.src.slice(t.i, t.i + width);
  t.i += width;
}

/** A group opening: inline flags, a flag group, a named group, a plain or non-capturing one. */
function open(t) {
  const rest = t.src.slice(t.i);
  const flags = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
  const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
  if (flags && (flags[1] || flags[2] !== undefined)) {
    const next = { ...top(t) };
    for (const f of flags[1]) setFlag(t, next, f, true);
    for (const f of flags[2] ?? '') setFlag(t, next, f, false);
    if (flags[3] === ')') t.stack[t.stack.length - 1] = next;
    else {
      t.stack.push(next);
      t.out += '(?:';
    }
    t.i += flags[0].length;
    return;
  }
  if (!named && !rest.startsWith('(?:') && rest[1] === '?') fail(t, 'group kind');
  const opening = named ? named[0] : rest.startsWith('(?:') ? '(?:' : '(';
  t.stack.push({ ...top(t) });
  t.out += opening === '(' ? '(' : '(?:';
  t.i += opening.length;
}

function setFlag(t, state, flag, on) {
  if (flag === 'i') state.ci = on;
  else if (flag === 's') state.dotall = on;
  else fail(t, `flag ${flag}`);
}

/** A character class: a leading `]` is literal, POSIX names expand, case-insensitivity adds the other case. */
function klass(t) {
  t.i++;
  let head = '[';
  if (t.src[t.i] === '^') {
    head += '^';
    t.i++;
  }
  const items = [];
  const extra = [];
  for (let first = true; first || t.src[t.i] !== ']'; first = false) {
    if (t.i >= t.src.length) fail(t, 'unterminated class');
    if (t.src.startsWith('[:', t.i)) {
      const end = t.src.indexOf(':]', t.i);
      const name = t.src.slice(t.i + 2, end);
      if (!(name in POSIX)) fail(t, `POSIX class ${name}`);
      items.push(POSIX[name]);
      if (top(t).ci && (name === 'lower' || name === 'upper')) extra.push('A-Za-z');
      t.i = end + 2;
      continue;
    }
    const lo = classChar(t, items);
    if (lo === null) continue;
    let hi = lo;
    if (t.src[t.i] === '-' && t.src[t.i + 1] !== ']' && t.src[t.i + 1] !== undefined) {
      t.i++;
      hi = classChar(t, null);
    }
    items.push(lo === hi ? escapeClassChar(lo) : `${escapeClassChar(lo)}-${escapeClassChar(hi)}`);
    if (top(t).ci) extra.push(...caseCounterparts(lo.charCodeAt(0), hi.charCodeAt(0)));
  }
  t.i++;
  t.out += `${head}${items.join('')}${extra.join('')}]`;
}

/**
 * One character of a class, or null when it was a class escape (`\w`, `\d`…), which goes straight into
 * `items` (not allowed, `items` null, as the end of a range).
 */
function classChar(t, items) {
  const c = t.src[t.i];
  if (c !== '\\') {
    t.i++;
    return c;
  }
  const n = t.src[t.i + 1];
  if (n === 'x' && t.src[t.i + 2] !== '{') {
    t.i += 4;
    return String.fromCharCode(parseInt(t.src.slice(t.i - 2, t.i), 16));
  }
  if (!/[a-zA-Z0-9]/.test(n)) {
    t.i += 2;
    return n;
  }
  if (items === null || 'pPQx'.includes(n)) fail(t, `\\${n} in a class`);
  items.push(`\\${n}`);
  t.i += 2;
  return null;
}

/** The other-case ranges of the letters inside [lo, hi], as class items. */
function caseCounterparts(lo, hi) {
  const out = [];
  for (const [a, z, shift] of [
    [97, 122, -32],
    [65, 90, 32],
  ]) {
    const from = Math.max(lo, a);
    const to = Math.min(hi, z);
    if (from > to) continue;
    const l = String.fromCharCode(from + shift);
    const h = String.fromCharCode(to + shift);
    out.push(l === h ? l : `${l}-${h}`);
  }
  return out;
}
