/**
 * Gluon's own secret rules, beside gitleaks': shapes gitleaks leaves to context or does not cover, and that
 * an agent's output shows often (a curl line, a `.env` file, a connection string, a truncated key). Same
 * data shape as the gitleaks rules; the secret is the first capture group when there is one, so the
 * context stays readable (`Bearer [REDACTED]`, `DB_PASSWORD=[REDACTED]`).
 */
import type { RuleData } from './redact-rules.js';

/**
 * No token character just before `prefix`: keeps `task-sk-…` from being read as an `sk-…` key. The
 * prefix comes first and the check looks behind it: an assertion opening a regex would run at every
 * position of the text.
 */
const startsWith = (prefix: string) => `${prefix}(?<![A-Za-z0-9_-]${prefix})`;

/** Key names that hold secrets in `.env` files, shell lines and INI/properties files. */
const SECRET_KEY =
  '(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|' +
  'SECRET_?KEY|CLIENT_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|MASTER_?KEY|CREDENTIALS?|AUTH|_PWD)(?:_?[0-9]+)?';

/** References and placeholders where a secret would be: `$VAR`, `${x}`, `%VAR%`, `{{ x }}`, `<password>`. */
const PLACEHOLDER = '^(?:\\$[A-Za-z_{(]|%[A-Za-z_]+%|\\{\\{|<[^>]*>$|\\*+$|x+$|\\.{2,}$|…$|\\[REDACTED\\]$)';

/**
 * Values under a secret-looking key that are plainly not secrets: flags, small numbers, placeholders, and
 * code (`token={token}` in JSX, `=(…)` in a regex).
 */
const NOT_A_VALUE = '^(?:true|false|null|nil|none|undefined|yes|no|on|off|[0-9]{1,6}|changeme)$|^[{(]';

export const GLUON_RULES: RuleData[] = [
  {
    // Anthropic `sk-ant-…` and OpenAI-style `sk-…`/`sk-proj-…` keys of any length gitleaks' exact shapes
    // miss; a digit is required so a long kebab-case name after `sk-` is left alone.
    id: 'gluon-sk-key',
    regex: [`${startsWith('sk-')}(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{20,}`, ''],
    keywords: ['sk-'],
  },
  {
    // GitHub tokens of any length, placeholders included: gitleaks wants exact lengths and skips
    // low-entropy or alphabet-like values, which a redactor should not.
    id: 'gluon-github-token',
    regex: [
      `(${startsWith('gh')}[pousr]_[A-Za-z0-9]{30,}|${startsWith('github_pat_')}[A-Za-z0-9_]{22,})`,
      '',
    ],
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  },
  {
    // AWS access key ids, whatever their entropy.
    id: 'gluon-aws-key-id',
    regex: [`${startsWith('A[KS]IA')}[0-9A-Z]{16}(?![0-9A-Za-z])`, ''],
    keywords: ['akia', 'asia'],
  },
  {
    // Telegram bot tokens anywhere (gitleaks wants the word "telegram" nearby), also glued to `bot` in
    // an API URL.
    id: 'gluon-telegram-bot-token',
    regex: ['[0-9]{6,12}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])', ''],
    keywords: [':aa'],
  },
  {
    // Google API keys anywhere (gitleaks wants a quote, a space or `;` after one: a URL's `&` is not).
    id: 'gluon-google-api-key',
    regex: [`${startsWith('AIza')}[\\w-]{35}(?![\\w-])`, ''],
    keywords: ['aiza'],
  },
  {
    // Slack tokens of any `xox?-` kind and length (gitleaks' rules want exact layouts).
    id: 'gluon-slack-token',
    regex: [`(${startsWith('xox')}[abeoprs]-(?=[A-Za-z0-9-]*[0-9])[A-Za-z0-9-]{10,})`, ''],
    keywords: ['xox'],
  },
  {
    // `Bearer <token>` in a header, a curl line or code; a digit in the token spares prose.
    id: 'gluon-bearer',
    regex: ['\\bbearer[ \\t]+((?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,})', 'i'],
    keywords: ['bearer'],
  },
  {
    // `Basic <base64 of user:password>`; a digit or base64 punctuation spares prose ("Basic usage").
    id: 'gluon-basic-auth',
    regex: ['\\bbasic[ \\t]+((?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])', 'i'],
    keywords: ['basic'],
  },
  {
    // A password inside a URL: `postgres://user:password@host`, `https://x:token@github.com/…`.
    id: 'gluon-url-password',
    regex: ['://(?<=\\b[A-Za-z][A-Za-z0-9+.-]{1,20}://)[^\\s:/?#@\'"`]{1,100}:([^\\s/?#@\'"`]{1,200})@', ''],
    keywords: ['://'],
    allowlists: [{ regexes: [[PLACEHOLDER, '']] }],
  },
  {
    // `.env`-style `KEY=value` (also `export KEY=value`, `KEY="value"`, `?token=…`) for secret-looking
    // keys. No space around `=`, so code such as `const token = getToken()` is left alone. The regex
    // opens on the `=` and checks the key behind it: much faster than trying every word as a key.
    id: 'gluon-env-assignment',
    regex: [
      `=(?<=(?<![\\w.$-])[A-Za-z0-9_]{0,64}${SECRET_KEY}=)(?!=)(?:"([^"\\n]+)"|'([^'\\n]+)'|([^\\s"'\`;&|<>#\\\\]+))`,
      'i',
    ],
    keywords: ['pass', 'pwd', 'secret', 'token', 'key', 'credential', 'auth'],
    allowlists: [
      {
        regexes: [
          [NOT_A_VALUE, 'i'],
          [PLACEHOLDER, ''],
        ],
      },
    ],
  },
  {
    // AWS secret access keys next to their name, in any notation (gitleaks leaves these to its generic
    // rule, whose entropy and stopword filters can let a real key through).
    id: 'gluon-aws-secret-key',
    regex: [
      '(?:aws_?)?secret_?access_?key["\']?\\s*(?:[:=]|=>)\\s*["\']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])',
      'i',
    ],
    keywords: ['secret'],
  },
  {
    // A PEM private key, to its END line or, when that is missing (output cut short), to the end of its
    // base64 body.
    id: 'gluon-private-key',
    regex: [
      '-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:[\\s\\S]*?-----END[ A-Z0-9_-]{0,100}' +
        'PRIVATE KEY(?: BLOCK)?-----|(?:\\r?\\n[A-Za-z-]+: [^\\r\\n]*)*(?:\\r?\\n(?=\\r?\\n[A-Za-z0-9+/=]))?' +
        '(?:\\r?\\n[A-Za-z0-9+/=]{1,100})*)',
      '',
    ],
    keywords: ['-----begin'],
  },
];
