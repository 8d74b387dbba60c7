/**
 * Secret rules as data (gitleaks' and Gluon's own), compiled once and run the way gitleaks runs them:
 * keyword prefilter, regex, secret group, entropy threshold, then allowlists. What they find is a list of
 * spans to hide; redact.ts does the hiding.
 */
import { createKeywordIndex } from './redact-keywords.js';

/** A JavaScript regex as `[source, flags]` (the generator has translated gitleaks' Go syntax). */
export type RegexData = readonly [source: string, flags: string];

export interface AllowlistData {
  /** `AND`: every criterion given must hold; default: any one does. */
  condition?: 'AND';
  /** What the regexes test: the secret (default), the whole match, or the match's line. */
  target?: 'match' | 'line';
  /** The allowlist also names file paths: never true for text without a path. */
  paths?: boolean;
  regexes?: readonly RegexData[];
  /** Space-separated words; a secret containing one (any case) is allowed. */
  stopwords?: string;
}

export interface RuleData {
  id: string;
  regex: RegexData;
  /** Lower-case words one of which the text must contain for the rule to run; none: always runs. */
  keywords: readonly string[];
  /** The secret's Shannon entropy must be above this (bits per character). */
  entropy?: number;
  /** The capture group holding the secret; default: the first non-empty group, else the whole match. */
  secretGroup?: number;
  allowlists?: readonly AllowlistData[];
}

/** A range of the text to hide, `[start, end)`, and the rule that found it. */
export interface Span {
  start: number;
  end: number;
  rule: string;
}

interface Allowlist {
  and: boolean;
  target: 'secret' | 'match' | 'line';
  paths: boolean;
  regexes: RegExp[];
  stopwords: string[];
}

interface Rule {
  id: string;
  regex: RegExp;
  /** How far a match may reach left over `[\w.-]` characters before where the regex matched. */
  leftReach: number;
  entropy: number;
  secretGroup: number;
  allowlists: Allowlist[];
}

export interface RuleSet {
  /** The spans every rule finds in `text`, in rule order (they may overlap). */
  scan(text: string): Span[];
  readonly ids: readonly string[];
  /**
   * Keywords (lower case) of the rules that allow white space between their keyword and the secret
   * (`password = …`, `Bearer …`, `-----BEGIN …`): in streamed text, a secret may still follow them.
   */
  readonly cues: readonly string[];
}

const compileRegex = ([source, flags]: RegexData, extra = ''): RegExp => new RegExp(source, flags + extra);

/**
 * gitleaks' "identifier" rules start with a lazy `[\w.-]{0,50}?` before their keyword: it only widens the
 * match to the left, yet makes V8 try it at every position (ten times slower). It is cut from the regex
 * and the match widened afterwards; the secret found is the same.
 */
const LAZY_PREFIX = /^\[\\w\.\\-\]\{0,(\d+)\}\?(?=\(\?:)/;

function compileAllowlist(a: AllowlistData): Allowlist {
  return {
    and: a.condition === 'AND',
    target: a.target ?? 'secret',
    paths: a.paths === true,
    regexes: (a.regexes ?? []).map((r) => compileRegex(r)),
    stopwords: a.stopwords ? a.stopwords.split(' ') : [],
  };
}

/** Rules and the allowlist that applies to all of them (gitleaks' global one, for its rules). */
export interface RuleGroup {
  rules: readonly RuleData[];
  allowlist?: AllowlistData;
}

/** Compiles groups of rules into one set with one keyword index; throws if a regex does not compile. */
export function compileRules(groups: readonly RuleGroup[]): RuleSet {
  const none = compileAllowlist({});
  const compiled: { rule: Rule; global: Allowlist }[] = [];
  for (const group of groups) {
    const global = group.allowlist ? compileAllowlist(group.allowlist) : none;
    for (const r of group.rules) {
      const prefix = LAZY_PREFIX.exec(r.regex[0]);
      const source = prefix ? r.regex[0].slice(prefix[0].length) : r.regex[0];
      const rule: Rule = {
        id: r.id,
        regex: compileRegex([source, r.regex[1]], 'gd'),
        leftReach: prefix ? Number(prefix[1]) : 0,
        entropy: r.entropy ?? 0,
        secretGroup: r.secretGroup ?? 0,
        allowlists: (r.allowlists ?? []).map(compileAllowlist),
      };
      compiled.push({ rule, global });
    }
  }
  const all = groups.flatMap((g) => g.rules);
  const index = createKeywordIndex(all.map((r) => r.keywords));
  const cues = all.filter((r) => /\\s|\\t| |\[\^\\n\]/.test(beforeSecret(r.regex[0])));
  return {
    ids: compiled.map((c) => c.rule.id),
    cues: [...new Set(cues.flatMap((r) => r.keywords))],
    scan(text) {
      const spans: Span[] = [];
      for (const i of index.rulesIn(text)) findAll(compiled[i]!.rule, compiled[i]!.global, text, spans);
      return spans;
    },
  };
}

/** The regex source before its first capture group (the secret), or all of it when it has none. */
function beforeSecret(source: string): string {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && source[i + 1] !== '?') return source.slice(0, i);
  }
  return source;
}

function findAll(rule: Rule, global: Allowlist, text: string, out: Span[]): void {
  const re = rule.regex;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    // gitleaks trims newlines the regex took in at the end of a match.
    const matchEnd = m.index + m[0].replace(/\n+$/, '').length;
    let [start, end] = [m.index, matchEnd];
    const group = rule.secretGroup || m.findIndex((g, k) => k > 0 && g !== undefined && g !== '');
    const at = group > 0 ? m.indices?.[group] : undefined;
    if (at) [start, end] = [at[0], Math.min(at[1], matchEnd)];
    if (end <= start) continue;
    const secret = text.slice(start, end);
    if (rule.entropy > 0 && shannonEntropy(secret) <= rule.entropy) continue;
    let matchStart = m.index;
    while (matchStart > m.index - rule.leftReach && matchStart > 0 && /[\w.-]/.test(text[matchStart - 1]!))
      matchStart--;
    const finding = { secret, match: text.slice(matchStart, matchEnd), text, at: matchStart };
    if (allowed(global, finding) || rule.allowlists.some((a) => allowed(a, finding))) continue;
    out.push({ start, end, rule: rule.id });
  }
}

/** Bits per character of `s` (0 for the empty string). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/**
 * Whether an allowlist lets a finding through, as gitleaks decides it.
 * - `OR` (default): a regex matching the target, or a stopword inside the secret, allows it;
 * - `AND`: every criterion given must hold, and a path criterion never holds here (there is no file).
 */
function allowed(a: Allowlist, f: { secret: string; match: string; text: string; at: number }): boolean {
  const target =
    a.target === 'secret' ? f.secret : a.target === 'match' ? f.match : lineAround(f.text, f.at, f.match);
  const regex = a.regexes.length > 0 && a.regexes.some((r) => r.test(target));
  const lower = a.stopwords.length > 0 ? f.secret.toLowerCase() : '';
  const stopword = a.stopwords.length > 0 && a.stopwords.some((w) => lower.includes(w));
  if (!a.and) return regex || stopword;
  if (a.paths) return false;
  return (a.regexes.length === 0 || regex) && (a.stopwords.length === 0 || stopword);
}

/** The line(s) a match sits on. */
function lineAround(text: string, at: number, match: string): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const newline = text.indexOf('\n', at + match.length);
  return text.slice(start, newline === -1 ? text.length : newline);
}
