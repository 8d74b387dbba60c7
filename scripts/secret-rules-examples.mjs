// The examples gitleaks writes next to each rule (cmd/generate/config/rules/*.go): `tps` must be found,
// `fps` must not. Only literal examples are taken; the ones gitleaks builds at random (`secrets.NewSecret`,
// `fmt.Sprintf`, concatenations) are skipped. `utils.GenerateSampleSecrets(id, "literal")` is expanded with
// the templates read from utils/generate.go, as gitleaks does. Used only by scripts/secret-rules.mjs.

/** Go tokens: strings (value), identifiers, punctuation, and newlines; comments dropped. */
function tokenize(go) {
  const tokens = [];
  let i = 0;
  while (i < go.length) {
    const c = go[i];
    if (go.startsWith('//', i)) while (i < go.length && go[i] !== '\n') i++;
    else if (go.startsWith('/*', i)) i = go.indexOf('*/', i) + 2;
    else if (c === '\n') {
      tokens.push({ t: 'nl' });
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '`') {
      const end = go.indexOf('`', i + 1);
      tokens.push({ t: 'str', v: go.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (go[j] !== '"') j += go[j] === '\\' ? 2 : 1;
      tokens.push({ t: 'str', v: unquote(go.slice(i, j + 1)) });
      i = j + 1;
    } else if (c === "'") {
      let j = i + 1;
      while (go[j] !== "'") j += go[j] === '\\' ? 2 : 1;
      tokens.push({ t: 'rune' });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(go.slice(i, i + 200))[0];
      tokens.push({ t: 'id', v: m });
      i += m.length;
    } else if (go.startsWith(':=', i)) {
      tokens.push({ t: 'p', v: ':=' });
      i += 2;
    } else {
      tokens.push({ t: 'p', v: c });
      i++;
    }
  }
  return tokens;
}

/** A Go interpreted string literal; null when it uses an escape JSON lacks (then it is skipped). */
function unquote(lit) {
  try {
    return JSON.parse(lit.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1'));
  } catch {
    return null;
  }
}

/** The sample templates of `GenerateSampleSecrets`: the string pairs of its `samples` map. */
function templates(generateGo) {
  const start = generateGo.indexOf('func GenerateSampleSecrets(');
  const tokens = tokenize(generateGo.slice(start, generateGo.indexOf('\n}', start)));
  const out = [];
  for (let k = 0; k + 2 < tokens.length; k++) {
    const [a, b, c] = [tokens[k], tokens[k + 1], tokens[k + 2]];
    if (a.t === 'str' && b.v === ':' && c.t === 'str' && c.v !== null) out.push(c.v);
  }
  return out;
}

const fill = (template, id, secret) =>
  template.replaceAll('{i}', id).replaceAll('{I}', id.toUpperCase()).replaceAll('{s}', secret);

/** Literal examples of one `tps`/`fps` statement, starting at the token after `=`/`:=`. */
function statementExamples(tokens, k, samples) {
  const found = [];
  const open = [];
  for (; k < tokens.length; k++) {
    const tok = tokens[k];
    if (tok.t === 'nl' && open.length === 0) break;
    if (tok.v === '(' || tok.v === '{') {
      const callee = tokens[k - 1]?.t === 'id' ? tokens[k - 1].v : '';
      open.push({ callee, args: 0 });
    } else if (tok.v === ')' || tok.v === '}') open.pop();
    else if (tok.v === ',' && open.length) open[open.length - 1].args++;
    else if (tok.t === 'str' && tok.v !== null && open.length) {
      const prev = tokens.slice(0, k).findLast((t) => t.t !== 'nl');
      const next = tokens.slice(k + 1).find((t) => t.t !== 'nl');
      const alone = ['(', '{', ','].includes(prev?.v) && [')', '}', ','].includes(next?.v);
      const ctx = open[open.length - 1];
      if (!alone) continue;
      if (/GenerateSampleSecrets?$/.test(ctx.callee) && ctx.args === 1) {
        const before = tokens.slice(0, k).filter((t) => t.t !== 'nl');
        const id = before[before.length - 2]?.t === 'str' ? before[before.length - 2].v : null;
        if (id === null) continue;
        if (ctx.callee.endsWith('Secrets')) found.push(...samples.map((t) => fill(t, id, tok.v)));
        else found.push(`${id}_api_token = "${tok.v}"`);
      } else if (['', 'append', 'string'].includes(ctx.callee)) found.push(tok.v);
    }
  }
  return found;
}

/** `{ [ruleId]: { tps, fps } }` from the rule files; a function with several rule ids is skipped. */
export function extractExamples(goFiles, generateGo) {
  const samples = templates(generateGo);
  const out = {};
  for (const go of goFiles) {
    for (const fn of go.split(/\nfunc /).slice(1)) {
      const ids = [...fn.matchAll(/RuleID:\s*"([^"]+)"/g)].map((m) => m[1]);
      if (ids.length !== 1) continue;
      const tokens = tokenize(fn);
      const entry = { tps: [], fps: [] };
      for (let k = 0; k + 1 < tokens.length; k++) {
        const name = tokens[k].v;
        const assign = tokens[k + 1].v;
        if ((name === 'tps' || name === 'fps') && (assign === '=' || assign === ':=')) {
          entry[name].push(...statementExamples(tokens, k + 2, samples));
        }
      }
      if (entry.tps.length || entry.fps.length)
        out[ids[0]] = { tps: [...new Set(entry.tps)], fps: [...new Set(entry.fps)] };
    }
  }
  return out;
}
