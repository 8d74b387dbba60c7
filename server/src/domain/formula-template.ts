/**
 * Formula prompt templates: `{{name}}` inserts a variable, `{{steps.<id>.result}}` the final summary of an
 * earlier step, `\{{` a literal `{{`. Nothing else is allowed inside the braces — no expressions, filters
 * or helpers, so a template can never run code. Substitution is a single pass: a value that itself
 * contains `{{…}}` (a variable typed by a user, an agent's summary) is inserted as written, never expanded.
 */

export type TemplatePart =
  { kind: 'text'; text: string } | { kind: 'var'; name: string } | { kind: 'step'; id: string };

export type ParsedTemplate = { ok: true; parts: TemplatePart[] } | { ok: false; error: string };

const VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STEP = /^steps\.([a-z][a-z0-9_-]*)\.result$/;

/**
 * Splits a template into text and references.
 * - `\{{` is a literal `{{`;
 * - `{{` must be closed by `}}` on the same line;
 * - inside, after trimming spaces: a variable name, or `steps.<id>.result`; anything else is an error
 *   naming the line and what was written.
 */
export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('\\{{', i)) {
      text += '{{';
      i += 3;
      continue;
    }
    if (!template.startsWith('{{', i)) {
      text += template[i];
      i += 1;
      continue;
    }
    const line = template.slice(0, i).split('\n').length;
    const close = template.indexOf('}}', i + 2);
    const newline = template.indexOf('\n', i + 2);
    if (close < 0 || (newline >= 0 && newline < close)) {
      return {
        ok: false,
        error: `line ${line}: "{{" is not closed by "}}" on the same line (write \\{{ for a literal)`,
      };
    }
    const inner = template.slice(i + 2, close).trim();
    const step = STEP.exec(inner);
    let part: TemplatePart;
    if (step) part = { kind: 'step', id: step[1] as string };
    else if (VAR.test(inner)) part = { kind: 'var', name: inner };
    else {
      return {
        ok: false,
        error: `line ${line}: "{{${inner}}}" is not a variable name or steps.<id>.result (no expressions are allowed)`,
      };
    }
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push(part);
    i = close + 2;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return { ok: true, parts };
}

export interface RenderContext {
  /** Variable values, built-ins included. */
  vars: Record<string, string>;
  /** Final summaries of the steps that ran, by step id. */
  results: Record<string, string>;
}

export type Rendered = { ok: true; text: string; usedSteps: string[] } | { ok: false; error: string };

/**
 * Renders a template in one pass.
 * - a variable without a value is an error (validation and {@link resolveVariables} prevent it);
 * - a step without a result (it has not run, or said nothing) renders as `(no result from step <id>)`;
 * - `usedSteps` lists the step results inserted, so a caller can leave them out of a later summary.
 */
export function renderTemplate(template: string, ctx: RenderContext): Rendered {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return parsed;
  let text = '';
  const usedSteps: string[] = [];
  for (const part of parsed.parts) {
    if (part.kind === 'text') text += part.text;
    else if (part.kind === 'var') {
      const value = Object.hasOwn(ctx.vars, part.name) ? ctx.vars[part.name] : undefined;
      if (value === undefined) return { ok: false, error: `no value for the variable "${part.name}"` };
      text += value;
    } else {
      const result = Object.hasOwn(ctx.results, part.id) ? ctx.results[part.id] : undefined;
      text += result?.trim() ? result.trim() : `(no result from step ${part.id})`;
      if (!usedSteps.includes(part.id)) usedSteps.push(part.id);
    }
  }
  return { ok: true, text, usedSteps };
}

/** The variables and step ids a template refers to (empty when it does not parse). */
export function templateReferences(template: string): { vars: string[]; steps: string[] } {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return { vars: [], steps: [] };
  const vars = new Set<string>();
  const steps = new Set<string>();
  for (const p of parsed.parts) {
    if (p.kind === 'var') vars.add(p.name);
    else if (p.kind === 'step') steps.add(p.id);
  }
  return { vars: [...vars], steps: [...steps] };
}
