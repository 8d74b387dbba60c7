/**
 * Secret redaction for everything Gluon persists, sends or logs: agent text, tool input and output,
 * diffs, errors, logs. Two sources of truth: the secret values Gluon knows (its token, secrets from its
 * environment and configuration), and secret shapes — gitleaks' maintained rules (as data, see
 * redact-gitleaks.generated.ts) plus a few of Gluon's own (redact-gluon-rules.ts).
 */
import { GITLEAKS_ALLOWLIST, GITLEAKS_RULES } from './redact-gitleaks.generated.js';
import { GLUON_RULES } from './redact-gluon-rules.js';
import { compileRules, type RuleData, type Span } from './redact-rules.js';

export type { Span } from './redact-rules.js';

export const REDACTED = '[REDACTED]';

/** Shorter values would hit ordinary words and numbers (a port, "true"; a short password is rare anyway). */
const MIN_SECRET_LENGTH = 8;
/** No rule can match less text than this (`a://b:c@`, a known value): shorter strings are left as they are. */
const MIN_TEXT_LENGTH = 8;

/** Replaces secrets with `[REDACTED]`; `spans` tells where they are without replacing. */
export interface Redactor {
  (text: string): string;
  spans(text: string): Span[];
  /** Words after which a secret may follow at some distance (see redact-stream.ts). */
  readonly cues: readonly string[];
}

/**
 * Builds a redactor for the known secret values plus every rule.
 * - secret values shorter than 8 characters are ignored (too likely to occur by chance); the others are
 *   one more rule, whose keywords are the values themselves: the keyword pass that already reads every
 *   character finds them, instead of one more scan of the text per value;
 * - where a rule names a capture group the secret is that group, so the context stays readable
 *   (`Authorization: Bearer [REDACTED]`, `DB_PASSWORD=[REDACTED]`);
 * - overlapping or touching findings become one `[REDACTED]`.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const values = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))];
  values.sort((a, b) => b.length - a.length);
  // Compiling the rules is the costly part, and a process asks for the same secrets several times at start.
  const key = values.join('\0');
  if (lastBuilt?.key === key) return lastBuilt.redactor;
  const redactor = buildRedactor(values);
  lastBuilt = { key, redactor };
  return redactor;
}

let lastBuilt: { key: string; redactor: Redactor } | null = null;

function buildRedactor(values: string[]): Redactor {
  const known: RuleData[] =
    values.length === 0
      ? []
      : [{ id: 'known-value', regex: [values.map(escapeRegExp).join('|'), ''], keywords: values }];
  // Compiled on first use: a server starts listening without paying for it.
  let rules: ReturnType<typeof compileRules> | null = null;
  const compiled = () =>
    (rules ??= compileRules([
      { rules: GITLEAKS_RULES, allowlist: GITLEAKS_ALLOWLIST },
      { rules: [...GLUON_RULES, ...known] },
    ]));
  const spans = (text: string): Span[] =>
    typeof text !== 'string' || text.length < MIN_TEXT_LENGTH ? [] : mergeSpans(compiled().scan(text));
  const redact = (text: string): string => {
    const found = spans(text);
    return found.length === 0 ? text : replaceSpans(text, found);
  };
  return Object.defineProperties(redact, {
    spans: { value: spans, enumerable: true },
    cues: { get: () => compiled().cues, enumerable: true },
  }) as Redactor;
}

/** Escapes a literal value for use inside a regular expression. */
function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Sorts spans and joins the ones that overlap or touch. */
export function mergeSpans(spans: Span[]): Span[] {
  if (spans.length < 2) return spans;
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [{ ...sorted[0]! }];
  for (const s of sorted.slice(1)) {
    const last = out[out.length - 1]!;
    if (s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** `text` with each (merged, sorted) span replaced by `[REDACTED]`. */
export function replaceSpans(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + REDACTED;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * Redacts every string inside a JSON-like value (object keys are left alone: they name fields, and changing
 * them would change the shape). Returns a copy; the input is not modified. Non-plain objects (a Date, a
 * Buffer) are returned as they are, and a cycle is kept as a cycle rather than followed forever.
 */
export function redactDeep<T>(value: T, redactor: (text: string) => string): T {
  const seen = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactor(v);
    if (typeof v !== 'object' || v === null) return v;
    const copy = seen.get(v);
    if (copy !== undefined) return copy;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const item of v) out.push(walk(item));
      return out;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return v;
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [key, item] of Object.entries(v)) out[key] = walk(item);
    return out;
  };
  return walk(value) as T;
}
