/**
 * Questions an agent puts to the user: the structured AskUserQuestion tool (validated here, and answered
 * from the free text a human types on any surface), and the plain kind, where the agent simply ends its
 * turn asking and waits (question-ending.ts).
 */
import type { Question } from '../../../shared/events.js';

export { extractTrailingQuestion } from './question-ending.js';

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
    const key = part.replace(/^["'\u201c\u2018\s]+|["'\u201d\u2019.!\s]+$/g, '').toLowerCase();
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optional(value: unknown, type: 'string' | 'boolean'): boolean {
  return value === undefined || typeof value === type;
}
