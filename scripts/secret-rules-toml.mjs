// A TOML reader for the subset gitleaks.toml uses: comments, [table], [[array.of.tables]], `key = value`
// with strings ('…', '''…''', "…", """…"""), numbers, booleans and (multi-line) arrays. Used only by
// scripts/secret-rules.mjs.

/** Parses `text`; throws with a position on anything outside the subset. */
export function parseToml(text) {
  const root = {};
  let table = root;
  let i = 0;
  const fail = (what) => {
    throw new Error(`gitleaks.toml: ${what} at offset ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const skip = () => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i])) i++;
      if (text[i] !== '#') return;
      while (i < text.length && text[i] !== '\n') i++;
    }
  };
  const key = () => {
    if (text[i] === '"' || text[i] === "'") return string();
    const m = /^[A-Za-z0-9_-]+/.exec(text.slice(i, i + 200));
    if (!m) fail('expected a key');
    i += m[0].length;
    return m[0];
  };
  const dotted = () => {
    const parts = [key()];
    while (text[i] === '.') {
      i++;
      parts.push(key());
    }
    return parts;
  };
  const string = () => {
    for (const [open, raw] of [
      ["'''", true],
      ['"""', false],
      ["'", true],
      ['"', false],
    ]) {
      if (!text.startsWith(open, i)) continue;
      i += open.length;
      if (open.length === 3 && text[i] === '\n') i++;
      let out = '';
      while (!text.startsWith(open, i)) {
        if (i >= text.length) fail('unterminated string');
        if (!raw && text[i] === '\\') {
          const e = text[i + 1];
          const simple = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' }[e];
          if (simple !== undefined) {
            out += simple;
            i += 2;
          } else if (e === 'u' || e === 'U') {
            const n = e === 'u' ? 4 : 8;
            out += String.fromCodePoint(parseInt(text.slice(i + 2, i + 2 + n), 16));
            i += 2 + n;
          } else fail('unknown escape');
        } else out += text[i++];
      }
      i += open.length;
      return out;
    }
    return fail('expected a string');
  };
  const value = () => {
    if (text[i] === '[') {
      i++;
      const list = [];
      for (;;) {
        skip();
        if (text[i] === ']') {
          i++;
          return list;
        }
        list.push(value());
        skip();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') fail('expected , or ]');
      }
    }
    if (text[i] === '"' || text[i] === "'") return string();
    const m = /^(true|false|[+-]?\d+(?:\.\d+)?)/.exec(text.slice(i, i + 40));
    if (!m) fail('expected a value');
    i += m[0].length;
    return m[0] === 'true' ? true : m[0] === 'false' ? false : Number(m[0]);
  };
  /** Walks to the table a header names: arrays of tables step into their last element. */
  const walk = (parts) => {
    let t = root;
    for (const p of parts) {
      t[p] ??= {};
      t = Array.isArray(t[p]) ? t[p][t[p].length - 1] : t[p];
    }
    return t;
  };

  for (skip(); i < text.length; skip()) {
    if (text.startsWith('[[', i)) {
      i += 2;
      const parts = dotted();
      if (!text.startsWith(']]', i)) fail('expected ]]');
      i += 2;
      const parent = walk(parts.slice(0, -1));
      const last = parts[parts.length - 1];
      parent[last] ??= [];
      parent[last].push((table = {}));
    } else if (text[i] === '[') {
      i++;
      const parts = dotted();
      if (text[i] !== ']') fail('expected ]');
      i++;
      table = walk(parts);
    } else {
      const k = key();
      skip();
      if (text[i] !== '=') fail('expected =');
      i++;
      skip();
      table[k] = value();
    }
  }
  return root;
}
