import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GITLEAKS_ALLOWLIST, GITLEAKS_RULES, GITLEAKS_VERSION } from './redact-gitleaks.generated.js';
import { GLUON_RULES } from './redact-gluon-rules.js';
import { compileRules, shannonEntropy, type RuleData } from './redact-rules.js';

/** Each gitleaks rule's own examples, taken from its source by scripts/secret-rules.mjs. */
const EXAMPLES = JSON.parse(
  readFileSync(new URL('./redact-gitleaks.examples.json', import.meta.url), 'utf8'),
) as {
  version: string;
  examples: Record<string, { tps: string[]; fps: string[] }>;
};

const alone = (rule: RuleData, withGlobal = true) =>
  compileRules([{ rules: [rule], ...(withGlobal ? { allowlist: GITLEAKS_ALLOWLIST } : {}) }]);

describe('the rule data', () => {
  it('holds gitleaks rules of one version, with unique ids, beside Gluon rules', () => {
    expect(EXAMPLES.version).toBe(GITLEAKS_VERSION);
    expect(GITLEAKS_RULES.length).toBeGreaterThan(200);
    const ids = [...GITLEAKS_RULES, ...GLUON_RULES].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([...GITLEAKS_RULES, ...GLUON_RULES].map((r) => [r.id, r] as const))(
    '%s compiles and has lower-case keywords',
    (_id, rule) => {
      expect(() => new RegExp(rule.regex[0], `${rule.regex[1]}gd`)).not.toThrow();
      expect(rule.keywords.every((k) => k === k.toLowerCase())).toBe(true);
      expect(() => alone(rule)).not.toThrow();
    },
  );
});

describe("gitleaks' own examples", () => {
  const rows = Object.entries(EXAMPLES.examples).map(([id, e]) => [id, e] as const);

  it('cover many rules', () => expect(rows.length).toBeGreaterThan(80));

  it.each(rows)('%s: finds every true positive and none of the false ones', (id, { tps, fps }) => {
    const rule = GITLEAKS_RULES.find((r) => r.id === id)!;
    const set = alone(rule);
    expect(tps.filter((t) => set.scan(t).length === 0)).toEqual([]);
    expect(fps.filter((f) => set.scan(f).length > 0)).toEqual([]);
  });
});

describe('how a rule decides', () => {
  const rule = (over: Partial<RuleData>): RuleData => ({
    id: 't',
    regex: ['tok_([A-Za-z0-9]{12})', ''],
    keywords: ['tok_'],
    ...over,
  });
  const rows: [name: string, rule: RuleData, text: string, found: string[]][] = [
    ['the secret is the first capture group', rule({}), 'x tok_aB3dE5gH7jK9 y', ['aB3dE5gH7jK9']],
    ['no keyword, no run', rule({ keywords: ['nope'] }), 'tok_aB3dE5gH7jK9', []],
    [
      'keywords ignore case',
      rule({ regex: ['tok_([A-Za-z0-9]{12})', 'i'] }),
      'TOK_aB3dE5gH7jK9',
      ['aB3dE5gH7jK9'],
    ],
    ['an entropy at or below the threshold is no secret', rule({ entropy: 3.6 }), 'tok_aaaaaabbbbbb', []],
    ['an entropy above it is', rule({ entropy: 3 }), 'tok_aB3dE5gH7jK9', ['aB3dE5gH7jK9']],
    [
      'secretGroup picks a group',
      rule({ regex: ['(tok)_([a-z0-9]{12})', 'i'], secretGroup: 2 }),
      'tok_ab3de5gh7jk9',
      ['ab3de5gh7jk9'],
    ],
    [
      'a stopword in the secret allows it',
      rule({ allowlists: [{ stopwords: 'example sample' }] }),
      'tok_SAMPLE123456',
      [],
    ],
    [
      'an allowlist regex on the secret',
      rule({ allowlists: [{ regexes: [['^0+$', '']] }] }),
      'tok_000000000000',
      [],
    ],
    [
      'an allowlist regex on the match',
      rule({ allowlists: [{ target: 'match', regexes: [['^tok_A', '']] }] }),
      'tok_AB3dE5gH7jK9',
      [],
    ],
    [
      'an allowlist regex on the line',
      rule({ allowlists: [{ target: 'line', regexes: [['^# test', '']] }] }),
      'a\n# test tok_aB3dE5gH7jK9\nb',
      [],
    ],
    [
      'AND with a path criterion never holds on text',
      rule({ allowlists: [{ condition: 'AND', paths: true, regexes: [['.', '']] }] }),
      'tok_aB3dE5gH7jK9',
      ['aB3dE5gH7jK9'],
    ],
    [
      'AND needs every criterion',
      rule({ allowlists: [{ condition: 'AND', regexes: [['^a', '']], stopwords: 'zzz' }] }),
      'tok_aB3dE5gH7jK9',
      ['aB3dE5gH7jK9'],
    ],
  ];
  it.each(rows)('%s', (_name, r, text, found) => {
    const set = compileRules([{ rules: [r] }]);
    expect(set.scan(text).map((s) => text.slice(s.start, s.end))).toEqual(found);
  });

  it("applies gitleaks' global allowlist to gitleaks rules only", () => {
    const r = rule({ regex: ['tok_(\\S+)', ''] });
    const text = 'tok_${SOME_VAR}';
    expect(compileRules([{ rules: [r], allowlist: GITLEAKS_ALLOWLIST }]).scan(text)).toEqual([]);
    expect(compileRules([{ rules: [r] }]).scan(text)).toHaveLength(1);
  });

  it('widens a match over the lazy identifier prefix it cut, for allowlists on the match', () => {
    const generic = GITLEAKS_RULES.find((r) => r.id === 'generic-api-key')!;
    // gitleaks allows matches reading `rapid…`: the word starts before the keyword (`api`) the regex
    // now starts on.
    expect(alone(generic).scan('rapid_token = "aB3dE5gH7jK9mN2pQ4"')).toEqual([]);
    expect(alone(generic).scan('"client_secret": "6da89121079f83b2eb6acccf8219ea98"')).toHaveLength(1);
  });

  it('computes Shannon entropy in bits per character', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abab')).toBe(1);
    expect(shannonEntropy('abcd')).toBe(2);
  });

  it('names as cues the keywords a secret may follow at a distance, not token prefixes', () => {
    const { cues } = compileRules([{ rules: GITLEAKS_RULES }, { rules: GLUON_RULES }]);
    for (const cue of ['password', 'token', 'bearer', '-----begin', 'curl']) expect(cues).toContain(cue);
    for (const prefix of ['ghp_', 'akia', 'sk-ant-api03', 'xoxb']) expect(cues).not.toContain(prefix);
  });
});
