/**
 * Small statistics and printing helpers for the benchmark: every figure is printed as one row of
 * figure | value | baseline (same run) | difference | goal, and MISS when the goal does not hold.
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
export const mb = (n: number) => `${n.toFixed(1)} MB`;
export const signedMs = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(1)} ms`;
export const signedMb = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(1)} MB`;

/** How many rounds each latency figure takes (its median is printed): BENCH_ROUNDS, default 5. */
export const rounds = (fallback = 5) => Math.max(1, Number(process.env.BENCH_ROUNDS ?? fallback));

/**
 * With BENCH_SAMPLES=1, a figure's samples round by round (in the order taken) go to stderr beside its
 * median: the spread between rounds, and which side of a pair moved, are what a median hides.
 */
export function printSamples(part: string, figures: Record<string, number[]>): void {
  if (!process.env.BENCH_SAMPLES) return;
  for (const [name, values] of Object.entries(figures))
    console.error(`  ${part} ${name.padEnd(20)} ${values.map((v) => v.toFixed(1)).join('  ')}`);
}

let misses = 0;
/** How many figures missed their goal so far. */
export const missCount = () => misses;

export interface Row {
  figure: string;
  value: string;
  baseline?: string;
  diff?: string;
  goal?: string;
  ok: boolean;
}

/** Prints the table's header once. */
export function header(): void {
  console.log(
    `${'    '}  ${'figure'.padEnd(50)} ${'value'.padEnd(14)} ${'baseline (same run)'.padEnd(40)} ${'diff'.padEnd(12)} goal`,
  );
}

/** Prints one figure next to its baseline, the difference and the goal; MISS when the goal does not hold. */
export function row(r: Row): boolean {
  if (!r.ok) misses++;
  console.log(
    `${r.ok ? 'ok  ' : 'MISS'}  ${r.figure.padEnd(50)} ${r.value.padEnd(14)} ${(r.baseline ?? '-').padEnd(40)} ${(r.diff ?? '-').padEnd(12)} ${r.goal ?? '-'}`,
  );
  return r.ok;
}

/** The older four-column form (figure, value, baseline, goal), kept for the web figures. */
export function report(name: string, value: string, baseline: string, target: string, ok: boolean): boolean {
  return row({ figure: name, value, baseline, goal: target, ok });
}
