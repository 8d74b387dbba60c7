/**
 * Typed reads of directive parameters. A bad value throws `ParamError`, which the fake answers as a
 * 400 `invalid_request_error`, so a mistyped test fails loudly rather than running something else.
 */
import type { Params } from './directive.js';

export class ParamError extends Error {}

/** A string parameter, or `fallback` when absent. */
export function stringParam(params: Params, key: string, fallback: string): string {
  return params[key] ?? fallback;
}

/** A non-negative integer parameter, or `fallback` when absent. */
export function intParam(params: Params, key: string, fallback: number): number {
  const raw = params[key];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ParamError(`${key} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

/** An optional non-negative integer parameter. */
export function optionalIntParam(params: Params, key: string): number | undefined {
  return params[key] === undefined ? undefined : intParam(params, key, 0);
}

/** A `true`/`false` parameter, or `fallback` when absent. */
export function boolParam(params: Params, key: string, fallback: boolean): boolean {
  const raw = params[key];
  if (raw === undefined) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new ParamError(`${key} must be true or false, got "${raw}"`);
  return raw === 'true';
}

/** A parameter the scenario cannot do without. */
export function requiredParam(params: Params, key: string, scenario: string): string {
  const raw = params[key];
  if (raw === undefined || raw === '') throw new ParamError(`scenario ${scenario} needs ${key}=…`);
  return raw;
}

/** A parameter holding a JSON object (a tool input), e.g. `input="{\"a\":1}"`. */
export function jsonObjectParam(params: Params, key: string, scenario: string): Record<string, unknown> {
  const raw = requiredParam(params, key, scenario);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ParamError(`${key} must be JSON, got "${raw}"`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ParamError(`${key} must be a JSON object, got "${raw}"`);
  return value as Record<string, unknown>;
}
