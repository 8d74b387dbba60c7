/**
 * Small statistics and printing helpers for the benchmark.
 */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Prints one figure next to its baseline and target, and says whether the target holds. */
export function report(name: string, value: string, baseline: string, target: string, ok: boolean): boolean {
  console.log(
    `${ok ? 'ok  ' : 'MISS'}  ${name.padEnd(44)} ${value.padEnd(18)} baseline ${baseline.padEnd(22)} target ${target}`,
  );
  return ok;
}
