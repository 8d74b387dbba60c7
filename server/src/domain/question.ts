/**
 * Questions an agent puts to the user: the structured AskUserQuestion tool (validated here, and answered
 * from the free text a human types on any surface), and the plain kind, where the agent simply ends its
 * turn with a question and waits.
 */
import type { Question } from '../../../shared/events.js';

/** A question longer than this is cut to its last sentences: surfaces show it in a notification. */
const MAX_QUESTION_LENGTH = 400;
const FENCE = /^\s*(```|~~~)/;
const LIST_ITEM = /^\s*([-*+]|\d{1,2}[.)])\s+\S/;
/** Closing marks that may follow the question mark: emphasis, quotes, brackets. */
const TRAILING_MARKS = /[\s*_~`"'”’)\]»]+$/;

/**
 * The question the agent ended its turn with, or null.
 * - fenced code blocks at the very end are set aside (an agent often asks, then shows the diff);
 * - the last paragraph counts when it ends with `?` (or `？`), ignoring emphasis, quotes and brackets after it;
 * - a trailing list of choices counts when the line just before it asks (`Which one?` then `1. A`, `2. B`),
 *   and the choices are returned with the question;
 * - markdown emphasis, heading and quote markers are removed; a long paragraph keeps its last sentences.
 */
export function extractTrailingQuestion(finalText: string): string | null {
  if (typeof finalText !== 'string') return null;
  const lines = withoutTrailingCode(finalText.replace(/\r\n?/g, '\n').split('\n'));
  const paragraph = lastParagraph(lines);
  if (paragraph.length === 0) return null;

  const text = clean(paragraph);
  if (asks(text)) return shorten(text);
  let listStart = paragraph.length;
  while (listStart > 0 && LIST_ITEM.test(paragraph[listStart - 1] as string)) listStart--;
  if (listStart === paragraph.length) return null;
  const choices = clean(paragraph.slice(listStart));
  const lead =
    listStart > 0 ? paragraph.slice(0, listStart) : lastParagraph(lines.slice(0, -paragraph.length));
  const question = clean(lead);
  return question !== '' && asks(question) ? `${shorten(question)}\n${choices}` : null;
}

/**
 * The questions of an AskUserQuestion tool input, or null when the input does not have its shape:
 * `{ questions: [{ question, header?, options: [{ label, description? }], multiSelect? }] }` with at least one
 * question, each with a non-empty question text and option labels.
 */
export function questionsFromAskUserQuestion(input: unknown): Question[] | null {
  if (!isRecord(input) || !Array.isArray(input.questions) || input.questions.length === 0) return null;
  const out: Question[] = [];
  for (const q of input.questions as unknown[]) {
    if (!isRecord(q) || typeof q.question !== 'string' || q.question.trim() === '') return null;
    if (!optional(q.header, 'string') || !optional(q.multiSelect, 'boolean') || !Array.isArray(q.options))
      return null;
    const options: Question['options'] = [];
    for (const o of q.options as unknown[]) {
      if (!isRecord(o) || typeof o.label !== 'string' || o.label.trim() === '') return null;
      if (!optional(o.description, 'string')) return null;
      options.push(
        o.description === undefined
          ? { label: o.label }
          : { label: o.label, description: o.description as string },
      );
    }
    const question: Question = { question: q.question, options };
    if (typeof q.header === 'string') question.header = q.header;
    if (typeof q.multiSelect === 'boolean') question.multiSelect = q.multiSelect;
    out.push(question);
  }
  return out;
}

/**
 * Turns a human's free-text answer into AskUserQuestion's `answers` (question text → answer).
 * - with several questions, lines starting `1:` / `2.` / `Q3)` or `<header>:` answer that question; a
 *   question no line answers gets the whole text; with no such lines the whole text answers every question;
 * - an answer naming an option label (any case, quotes and final `.`/`!` ignored) or its number becomes the
 *   label; for multiSelect a comma-separated list of labels becomes `A, B` (the SDK's format);
 * - anything else is passed on as written, which the agent reads as an "Other" answer.
 */
export function answersForAskUserQuestion(questions: Question[], answerText: string): Record<string, string> {
  const text = answerText.trim();
  const parts = questions.length > 1 ? splitNumbered(questions, text) : new Map<number, string>();
  const answers: Record<string, string> = {};
  questions.forEach((q, i) => {
    answers[q.question] = interpret(q, parts.get(i) ?? text);
  });
  return answers;
}

function splitNumbered(questions: Question[], text: string): Map<number, string> {
  const parts = new Map<number, string>();
  let current: number | null = null;
  for (const line of text.split('\n')) {
    const numbered = /^\s*(?:q\s*)?(\d{1,2})\s*[:.)-]\s*(.*)$/i.exec(line);
    const labelled = /^\s*([^:\n]{1,40}):\s*(.*)$/.exec(line);
    let index: number | null = null;
    let rest = '';
    if (numbered && Number(numbered[1]) >= 1 && Number(numbered[1]) <= questions.length) {
      index = Number(numbered[1]) - 1;
      rest = numbered[2] ?? '';
    } else if (labelled) {
      const header = (labelled[1] ?? '').trim().toLowerCase();
      const found = questions.findIndex((q) => q.header?.trim().toLowerCase() === header);
      if (found >= 0) [index, rest] = [found, labelled[2] ?? ''];
    }
    if (index !== null) {
      current = index;
      parts.set(index, rest.trim());
    } else if (current !== null) {
      parts.set(current, `${parts.get(current) ?? ''}\n${line}`.trim());
    }
  }
  return parts;
}

function interpret(q: Question, answer: string): string {
  if (q.options.length === 0) return answer;
  const pick = (part: string): string | null => {
    const key = part.replace(/^["'“‘\s]+|["'”’.!\s]+$/g, '').toLowerCase();
    if (/^\d{1,2}$/.test(key)) return q.options[Number(key) - 1]?.label ?? null;
    return q.options.find((o) => o.label.trim().toLowerCase() === key)?.label ?? null;
  };
  const whole = pick(answer);
  if (whole !== null) return whole;
  if (!q.multiSelect) return answer;
  const picked = answer
    .split(/[,\n]/)
    .filter((p) => p.trim() !== '')
    .map(pick);
  return picked.length > 0 && picked.every((p) => p !== null) ? [...new Set(picked)].join(', ') : answer;
}

/** Drops trailing blank lines and fenced code blocks that close the text. */
function withoutTrailingCode(lines: string[]): string[] {
  const out = [...lines];
  const trim = () => {
    while (out.length > 0 && (out[out.length - 1] as string).trim() === '') out.pop();
  };
  trim();
  while (out.length > 0 && FENCE.test(out[out.length - 1] as string)) {
    let open = out.length - 2;
    while (open >= 0 && !FENCE.test(out[open] as string)) open--;
    out.length = Math.max(open, 0);
    trim();
  }
  return out;
}

/** The last run of non-blank lines. */
function lastParagraph(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && (lines[end - 1] as string).trim() === '') end--;
  let start = end;
  while (start > 0 && (lines[start - 1] as string).trim() !== '') start--;
  return lines.slice(start, end);
}

/** Removes heading and quote markers and emphasis wrapping each line. */
function clean(lines: string[]): string {
  return lines
    .map((l) =>
      l
        .replace(/^\s*(>\s*)+/, '')
        .replace(/^#{1,6}\s+/, '')
        .replace(/(\*\*|__|~~)(.+?)\1/g, '$2')
        .replace(/(^|\s)[*_](\S(?:.*?\S)?)[*_](?=\s|$|[?.!,])/g, '$1$2')
        .trim(),
    )
    .filter((l) => l !== '')
    .join('\n');
}

function asks(text: string): boolean {
  return /[?？]$/.test(text.replace(TRAILING_MARKS, ''));
}

/** Keeps the last sentences that fit the limit (at least one, even if long). */
function shorten(text: string): string {
  if (text.length <= MAX_QUESTION_LENGTH) return text;
  const sentences = text.split(/(?<=[.!?？])\s+/);
  let out = sentences.pop() ?? text;
  while (
    sentences.length > 0 &&
    out.length + (sentences[sentences.length - 1] as string).length < MAX_QUESTION_LENGTH
  ) {
    out = `${sentences.pop() as string} ${out}`;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optional(value: unknown, type: 'string' | 'boolean'): boolean {
  return value === undefined || typeof value === type;
}
