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
 * Buffer) are returned as they are; an object met twice (a cycle, a shared part) is copied once. It runs
 * on every event's data before it is stored: no closure and no map per call, a map of the copies only
 * once an object holds another (an event's data is mostly one flat object).
 */
export function redactDeep<T>(value: T, redactor: (text: string) => string): T {
  if (typeof value === 'string') return redactor(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  return copyOf(value, { redactor, root: value, rootCopy: undefined, copies: null }) as T;
}

interface DeepWalk {
  redactor: (text: string) => string;
  /** The value redactDeep was given, and its copy (the root is referred to without the map). */
  root: object;
  rootCopy: unknown;
  /** Every other object copied so far, with its copy; made when the first one is met. */
  copies: Map<object, unknown> | null;
}

function walkValue(v: unknown, w: DeepWalk): unknown {
  if (typeof v === 'string') return w.redactor(v);
  if (typeof v !== 'object' || v === null) return v;
  if (v === w.root) return w.rootCopy;
  w.copies ??= new Map();
  const copy = w.copies.get(v);
  return copy !== undefined ? copy : copyOf(v, w);
}

function copyOf(v: object, w: DeepWalk): unknown {
  let out: unknown[] | Record<string, unknown>;
  if (Array.isArray(v)) out = [];
  else {
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return v;
    out = {};
  }
  if (v === w.root) w.rootCopy = out;
  else w.copies!.set(v, out);
  if (Array.isArray(out)) for (const item of v as unknown[]) out.push(walkValue(item, w));
  else
    for (const key in v)
      if (Object.hasOwn(v, key)) out[key] = walkValue((v as Record<string, unknown>)[key], w);
  return out;
}
