/**
 * Secret redaction for everything Gluon persists or broadcasts: agent text, tool input and output, logs.
 * Two sources of truth: the secret values Gluon knows (from its environment and configuration), and token
 * shapes that are secrets wherever they appear. Both are compiled into one regular expression so a large
 * tool output is scanned once.
 */

export const REDACTED = '[REDACTED]';

/** Shorter values would hit ordinary words and numbers (a port, "true", a short password is rare anyway). */
const MIN_SECRET_LENGTH = 8;

/** No letter, digit, `_` or `-` just before: keeps `task-…` from being read as an `sk-…` key. */
const START = '(?<![A-Za-z0-9_-])';
/** No token character just after, so the match covers the whole token. */
const END = '(?![A-Za-z0-9_-])';

/**
 * Token shapes, each specific enough that prose never matches:
 * - Anthropic `sk-ant-…` and OpenAI-style `sk-…` / `sk-proj-…` keys of 20+ characters with a digit (so a
 *   long kebab-case name after `sk-` is left alone);
 * - GitHub `ghp_ gho_ ghs_ ghu_ ghr_` tokens and fine-grained `github_pat_…`;
 * - Slack `xoxb- xoxp- xoxa- xoxr- xoxs-` tokens;
 * - AWS access key ids `AKIA…` / temporary `ASIA…` (16 upper-case characters after);
 * - Telegram bot tokens `<bot id>:<35-character secret>`, also glued to `bot` in an API URL;
 * - JSON Web Tokens `eyJ….eyJ….…` (Claude and many APIs use them as bearer tokens);
 * - PEM private key blocks;
 * - `Bearer <token>` with a digit in the token, in a header or a curl line (the word `Bearer` is kept;
 *   the digit spares prose such as "Bearer authentication").
 */
const TOKEN_PATTERNS = [
  `${START}sk-(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{20,}`,
  `${START}gh[pousr]_[A-Za-z0-9]{30,}${END}`,
  `${START}github_pat_[A-Za-z0-9_]{22,}`,
  `${START}xox[bpars]-[A-Za-z0-9-]{10,}`,
  `${START}(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Za-z])`,
  `(?<![0-9:])[0-9]{6,12}:[A-Za-z0-9_-]{35}${END}`,
  `${START}eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}`,
  '-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----',
  '\\b[Bb]earer[ \\t]+(?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,}',
];

/** Escapes a literal value for use inside a regular expression. */
function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds a redactor that replaces known secret values and token shapes with `[REDACTED]`.
 * - secret values shorter than 8 characters are ignored (too likely to occur by chance);
 * - longer values are tried first, so a secret that contains another is replaced whole;
 * - `Bearer xyz…` becomes `Bearer [REDACTED]` so the text still says what was there.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const values = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))];
  values.sort((a, b) => b.length - a.length);
  const alternatives = [...values.map(escapeRegExp), ...TOKEN_PATTERNS];
  const pattern = new RegExp(alternatives.map((a) => `(?:${a})`).join('|'), 'g');
  const replace = (match: string): string =>
    /^bearer[ \t]/i.test(match) ? `${match.slice(0, 6)} ${REDACTED}` : REDACTED;
  return (text: string): string => (typeof text === 'string' ? text.replace(pattern, replace) : text);
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
