/**
 * Realistic fake secrets for the redaction tests: the right shape and random-looking (gitleaks rejects
 * low-entropy placeholders), built at run time from a seeded generator so no token-shaped literal sits in
 * the repository and every run sees the same values.
 */

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const BASE64 = `${ALNUM}+/`;

/** A deterministic generator of `n` characters from `alphabet` (xorshift32). */
export function randomChars(alphabet: string, n: number, seed: number): string {
  let x = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

const r = randomChars;
const pem = (kind: string, lines: number, seed: number) =>
  [
    `-----BEGIN ${kind}PRIVATE KEY-----`,
    ...Array.from({ length: lines }, (_, i) => r(BASE64, 64, seed + i)),
    `${r(BASE64, 20, seed + 99)}==`,
  ].join('\n');

/** One fake per kind of secret the redactor must catch. */
export const FAKE = {
  awsKeyId: `AKIA${r(`${UPPER}234567`, 16, 1)}`,
  awsSecret: r(BASE64, 40, 2),
  githubPat: `github_pat_${r(ALNUM, 22, 3)}_${r(ALNUM, 59, 4)}`,
  ghp: `ghp_${r(ALNUM, 36, 5)}`,
  gho: `gho_${r(ALNUM, 36, 6)}`,
  ghs: `ghs_${r(ALNUM, 36, 7)}`,
  slackBot: `xoxb-${r(DIGITS, 12, 8)}-${r(DIGITS, 13, 9)}-${r(ALNUM, 24, 10)}`,
  slackUser: `xoxp-${r(DIGITS, 12, 11)}-${r(DIGITS, 12, 12)}-${r(DIGITS, 12, 13)}-${r(HEX, 32, 14)}`,
  slackApp: `xapp-1-A${r(UPPER + DIGITS, 10, 15)}-${r(DIGITS, 13, 16)}-${r(HEX, 64, 17)}`,
  slackWebhook: `https://hooks.slack.com/services/T${r(UPPER + DIGITS, 8, 18)}/B${r(UPPER + DIGITS, 8, 19)}/${r(ALNUM, 24, 20)}`,
  stripeLive: `sk_live_${r(ALNUM, 24, 21)}`,
  stripeRestricted: `rk_live_${r(ALNUM, 24, 22)}`,
  google: `AIza${r(`${ALNUM}_-`, 35, 23)}`,
  gitlab: `glpat-${r(`${ALNUM}_-`, 20, 24)}`,
  npm: `npm_${r(LOWER + DIGITS, 36, 25)}`,
  anthropic: `sk-ant-api03-${r(`${ALNUM}_-`, 93, 26)}AA`,
  anthropicShort: `sk-ant-api03-${r(ALNUM, 40, 27)}`,
  openai: `sk-proj-${r(ALNUM, 48, 28)}`,
  telegram: `${r(DIGITS, 10, 29)}:AA${r(`${ALNUM}_-`, 33, 30)}`,
  jwt: `eyJ${r(ALNUM, 30, 31)}.eyJ${r(ALNUM, 60, 32)}.${r(`${ALNUM}_-`, 43, 33)}`,
  password: `${r(ALNUM, 14, 34)}!`,
  basic: btoa(`deploy:${r(ALNUM, 16, 35)}`),
  bearer: r(`${ALNUM}._-`, 40, 36),
  rsaKey: pem('RSA ', 20, 40),
  opensshKey: pem('OPENSSH ', 12, 70),
};
