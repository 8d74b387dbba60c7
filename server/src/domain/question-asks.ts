/**
 * Whether one sentence of an agent's closing words asks the user for something: a question, a request
 * for an answer or a decision, or a statement that it waits for one. Courtesies that only close a finished
 * turn ("Let me know if you need anything else.") do not ask.
 */

export type Ask = 'question' | 'request';

/** Verbs by which the agent asks for an answer (not for work: "please review the diff" asks nothing). */
const ANSWER =
  '(?:answer|reply|respond|confirm|decide|tell me|let me know|advise|clarify|specify|indicate|approve|give me|say which|say whether)';
/** Verbs of a choice: they ask only when the sentence offers one ("pick one", "A or B", "option 2"). */
const CHOOSE = '(?:choose|pick|select)';
const CHOICE = /\b(?:one|either|between|which|whichever|options?|or)\b|\d/;
/** Verbs asking for something the agent lacks: only with "please" or a reason ("so I can"). */
const PROVIDE = '(?:provide|share|send)';

const REQUESTS: RegExp[] = [
  // "Please answer before I continue.", "Kindly confirm the bucket name.", "Please send me the key."
  new RegExp(`^(?:please|pls|kindly)\\b.*\\b(?:${ANSWER}|${CHOOSE}|${PROVIDE})\\b`),
  // "Let me know which you prefer.", "Reply with your choice.", "So, tell me which one."
  new RegExp(`^(?:(?:so|then|just|now),?\\s+)?${ANSWER}\\b`),
  // "Provide the region so I can finish the script."
  new RegExp(`^${PROVIDE}\\b.*\\b(?:so (?:that )?i can|and i(?:'ll| will)|before i|for me to)\\b`),
  // "Answer with 1 or 2.", "… and reply with the number."
  /\b(?:reply|respond|answer) with\b/,
  // "I need your go-ahead before deleting it.", "I need you to confirm the region."
  /\bi(?: will|'ll| would|'d)? need (?:your|you to|an answer|a decision|confirmation)\b/,
  // "Waiting for your decision.", "I'll wait for your answer before I go on."
  /\b(?:waiting|wait) (?:for|on) (?:your|you)\b/,
  // "Once you confirm, I'll run the migration."
  /^(?:once|when|as soon as) you (?:confirm|decide|choose|pick|answer|reply|approve|tell me|let me know)\b/,
  // "Your call.", "It's your choice: A or B."
  /\byour (?:call|choice|decision)\b/,
  // "Which one do you prefer." (a question written without its question mark)
  /^(?:which|what)\b.*\byou\b.*\b(?:prefer|want|like|choose|need)\b/,
];
/** "Pick one and I'll continue.", "Choose between A and B." (a choice verb with a choice to make) */
const CHOOSING = new RegExp(`^${CHOOSE}\\b`);

/** Closings that only offer more help, or ask for feedback on work that is done. */
const COURTESIES: RegExp[] = [
  /\b(?:anything else|something else|any (?:other |more |further )?(?:questions?|changes|adjustments|tweaks|help|issues|problems|feedback|modifications))\b/,
  /\b(?:further|more|other) (?:changes|adjustments|questions|help|modifications)\b/,
  /\bif you (?:need|have|want|would like|'d like) (?:anything|something|more|help|any)\b/,
  /\bif (?:this|that|it|everything) (?:works|helps|looks|is what|meets|fits|needs)\b/,
  /\bif you (?:run into|hit|see|encounter|have) (?:any|trouble|problems|issues)\b/,
  /\bhow it (?:goes|works)\b/,
  /^(?:feel free|don't hesitate|do not hesitate|happy to help|hope this helps|happy coding|enjoy)\b/,
];

/**
 * How `sentence` asks the user, or null.
 * Rules:
 * - inline code is set aside first (`colou?r` is no question mark);
 * - a courtesy (offers of more help, "let me know if this works") never asks, even with a `?`;
 * - a sentence ending with `?` (or `？`), emphasis and quotes aside, is a question;
 * - a request for an answer or a decision, or a statement that the agent waits for one, is a request.
 */
export function asks(sentence: string): Ask | null {
  const text = sentence
    .replace(/`[^`]*`/g, 'code')
    .replace(/[\u2019\u2018]/g, "'")
    .replace(/[\s*_~"'\u201d\u2019)\]»]+$/, '')
    .trim()
    .toLowerCase();
  if (text === '' || COURTESIES.some((c) => c.test(text))) return null;
  if (/[?\uff1f]$/.test(text)) return 'question';
  const plain = text.replace(/^[-*+>#\s]+|^\d{1,2}[.)]\s+/, '');
  const request = REQUESTS.some((r) => r.test(plain)) || (CHOOSING.test(plain) && CHOICE.test(plain));
  return request ? 'request' : null;
}

/** The sentences of a cleaned paragraph (lines, then sentence ends). */
export function sentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?\uff1f])\s+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
