/**
 * Argument parsers for commander options. Each throws commander's InvalidArgumentError, which the CLI
 * reports as a usage error (exit 2).
 */
import { InvalidArgumentError } from 'commander';

/** A positive dollar amount such as `2` or `0.5`. */
export function parseUsd(value: string): number {
  const amount = Number(value);
  if (value.trim() === '' || !Number.isFinite(amount) || amount <= 0) {
    throw new InvalidArgumentError('expected a positive amount in USD, e.g. 2 or 0.5');
  }
  return amount;
}

/** A positive amount in USD, or `none` to remove a cap. */
export function parseUsdOrNone(value: string): number | 'none' {
  return value.trim().toLowerCase() === 'none' ? 'none' : parseUsd(value);
}

/** A whole number ≥ 1. */
export function parsePositiveInt(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return Number(value);
}

/** Collects repeated `--var key=value` into an object; the value may contain `=`. */
export function collectVar(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const at = value.indexOf('=');
  const key = at > 0 ? value.slice(0, at).trim() : '';
  if (!key) throw new InvalidArgumentError('expected key=value');
  return { ...previous, [key]: value.slice(at + 1) };
}

/** Collects a repeated option into a list. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
