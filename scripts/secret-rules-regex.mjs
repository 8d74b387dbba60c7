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
// - anything else unknown (`\p{…}`, backreferences, other flags) throws, so a new rule cannot slip through
//   mistranslated.

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
  const src = leadingI ? go.slice(4) : go;
  let i = 0;
  let out = '';
  const stack = [{ ci: false, dotall: false }];
  const top = () => stack[stack.length - 1];
  const fail = (what) => {
    throw new Error(`untranslatable Go regex (${what}) at ${i}: ${go}`);
  };

  const escape = () => {
    const n = src[i + 1];
    if (n === undefined) fail('trailing backslash');
    if (n === 'z') return void ((out += '$'), (i += 2));
    if (n === 'A') return void ((out += '^'), (i += 2));
    if (n === 'Q') {
      const end = src.indexOf('\\E', i + 2);
      const lit = src.slice(i + 2, end === -1 ? src.length : end);
      for (const c of lit) out += literal(c);
      i = end === -1 ? src.length : end + 2;
      return;
    }
    if (n === 'x' && src[i + 2] === '{') {
      const end = src.indexOf('}', i);
      out += `\\u{${src.slice(i + 3, end)}}`;
      fail('\\x{…} needs the u flag');
    }
    if (n === 'p' || n === 'P' || /[0-9]/.test(n)) fail(`\\${n}`);
    if (n === 'x') return void ((out += src.slice(i, i + 4)), (i += 4));
    out += `\\${n}`;
    i += 2;
  };

  const literal = (c) => {
    if (top().ci && isLetter(c)) return `[${c}${other(c)}]`;
    return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
  };

  const klass = () => {
    i++; // [
    let head = '[';
    if (src[i] === '^') {
      head += '^';
      i++;
    }
    const items = [];
    const extra = [];
    let first = true;
    while (first || src[i] !== ']') {
      if (i >= src.length) fail('unterminated class');
      first = false;
      const c = src[i];
      if (src.startsWith('[:', i)) {
        const end = src.indexOf(':]', i);
        const name = src.slice(i + 2, end);
        if (!(name in POSIX)) fail(`POSIX class ${name}`);
        items.push(POSIX[name]);
        if (top().ci && (name === 'lower' || name === 'upper')) extra.push('A-Za-z');
        i = end + 2;
        continue;
      }
      let lo;
      if (c === '\\') {
        const n = src[i + 1];
        if (n === 'x' && src[i + 2] !== '{') {
          lo = String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16));
          i += 4;
        } else if (/[a-zA-Z0-9]/.test(n)) {
          if (n === 'p' || n === 'P' || n === 'Q' || n === 'x') fail(`\\${n} in a class`);
          items.push(`\\${n}`);
          i += 2;
          continue;
        } else {
          lo = n;
          i += 2;
        }
      } else {
        lo = c;
        i++;
      }
      let hi = lo;
      if (src[i] === '-' && src[i + 1] !== ']' && src[i + 1] !== undefined) {
        i++;
        if (src[i] === '\\') {
          const n = src[i + 1];
          if (n === 'x') {
            hi = String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16));
            i += 4;
          } else if (/[a-zA-Z0-9]/.test(n)) fail('class escape as a range end');
          else {
            hi = n;
            i += 2;
          }
        } else hi = src[i++];
      }
      items.push(lo === hi ? escapeClassChar(lo) : `${escapeClassChar(lo)}-${escapeClassChar(hi)}`);
      if (top().ci) extra.push(...caseCounterparts(lo.charCodeAt(0), hi.charCodeAt(0)));
    }
    i++; // ]
    out += `${head}${items.join('')}${extra.join('')}]`;
  };

  while (i < src.length) {
    const c = src[i];
    if (c === '\\') escape();
    else if (c === '[') klass();
    else if (c === '(') {
      const flags = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(src.slice(i));
      const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(src.slice(i));
      if (flags && (flags[1] || flags[2] !== undefined)) {
        const next = { ...top() };
        for (const f of flags[1]) set(next, f, true, fail);
        for (const f of flags[2] ?? '') set(next, f, false, fail);
        if (flags[3] === ')') stack[stack.length - 1] = next;
        else {
          stack.push(next);
          out += '(?:';
        }
        i += flags[0].length;
      } else if (named) {
        stack.push({ ...top() });
        out += '(?:';
        i += named[0].length;
      } else if (src.startsWith('(?:', i)) {
        stack.push({ ...top() });
        out += '(?:';
        i += 3;
      } else if (src[i + 1] === '?') fail('group kind');
      else {
        stack.push({ ...top() });
        out += '(';
        i++;
      }
    } else if (c === ')') {
      if (stack.length === 1) fail('unbalanced )');
      stack.pop();
      out += ')';
      i++;
    } else if (c === '.') {
      out += top().dotall ? '[\\s\\S]' : '[^\\n]';
      i++;
    } else if (isLetter(c)) {
      out += literal(c);
      i++;
    } else {
      out += c === '/' ? '\\/' : c;
      i++;
    }
  }
  if (stack.length !== 1) fail('unbalanced (');
  return { source: out, flags: leadingI ? 'i' : '' };
}

function set(state, flag, on, fail) {
  if (flag === 'i') state.ci = on;
  else if (flag === 's') state.dotall = on;
  else fail(`flag ${flag}`);
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
