/**
 * The cost of one Codex run. Codex counts tokens per thread, not per run: `turn.completed` and the
 * rollout's token counts carry the thread's running total, so a resumed thread's figures include every
 * earlier run. The run's own usage is that total minus the total before the run started (its baseline).
 */
import type { ModelCost } from '../domain/pricing.js';
import {
  priceCodexUsage,
  subtractCodexUsage,
  type CodexUsage,
  type OpenAiPricing,
} from '../domain/openai-pricing.js';

export interface CodexRunCost {
  costUsd: number;
  byModel: ModelCost[];
  /** The thread's total cost so far, for the next resume to subtract (null when not known). */
  sessionTotalUsd: number | null;
}

export class CodexCost {
  private flagged = false;
  private lastTotal: CodexUsage | null = null;

  /**
   * @param baseline the thread's total before this run: zero for a new thread, read from the rollout for a
   *   resumed one, null when it could not be read (then the previous run's reported dollars stand in).
   */
  constructor(
    private readonly pricing: OpenAiPricing,
    private readonly model: string,
    private readonly baseline: CodexUsage | null,
    private readonly priorSessionTotalUsd: number,
  ) {}

  /**
   * Takes a newer running total of the thread; answers the live figure to report, or null when nothing
   * changed. `unknownModel` is set the first time usage of a model without a price appears.
   */
  update(total: CodexUsage): { runCostUsd: number; byModel: ModelCost[]; unknownModel?: string } | null {
    if (this.lastTotal && sameUsage(this.lastTotal, total)) return null;
    this.lastTotal = total;
    const run = this.ofRun(total);
    const unknownModel = !run.known && !this.flagged && run.tokens > 0 ? this.model : undefined;
    if (unknownModel) this.flagged = true;
    return { runCostUsd: run.costUsd, byModel: run.byModel, ...(unknownModel ? { unknownModel } : {}) };
  }

  /** The run's figure from the last total seen (none seen: nothing was spent that Codex recorded). */
  final(): CodexRunCost {
    if (!this.lastTotal) return { costUsd: 0, byModel: [], sessionTotalUsd: null };
    const run = this.ofRun(this.lastTotal);
    const session = priceCodexUsage(this.pricing, this.model, this.lastTotal);
    return {
      costUsd: run.costUsd,
      byModel: run.byModel,
      sessionTotalUsd: session.known ? session.row.costUsd : null,
    };
  }

  /**
   * This run's part of a thread total.
   * Rules: with a baseline, the tokens since it; without one, the thread's dollars minus the dollars the
   * previous run reported (never below zero), tokens then counted for the whole thread.
   */
  private ofRun(total: CodexUsage) {
    const usage = this.baseline ? subtractCodexUsage(total, this.baseline) : total;
    const priced = priceCodexUsage(this.pricing, this.model, usage);
    const costUsd = this.baseline
      ? priced.row.costUsd
      : Math.max(0, priced.row.costUsd - this.priorSessionTotalUsd);
    const tokens = usage.inputTokens + usage.outputTokens;
    return { known: priced.known, costUsd, tokens, byModel: tokens > 0 ? [{ ...priced.row, costUsd }] : [] };
  }
}

function sameUsage(a: CodexUsage, b: CodexUsage): boolean {
  return (
    a.inputTokens === b.inputTokens &&
    a.cachedInputTokens === b.cachedInputTokens &&
    a.outputTokens === b.outputTokens &&
    a.reasoningOutputTokens === b.reasoningOutputTokens
  );
}
