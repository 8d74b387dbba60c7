/**
 * The fake agent's money: each `usage` step is one billed message priced with the real pricing table;
 * the run's end reconciles like Claude Code's result does (a cumulative session total, of which the run's
 * own share is what is left after the previous total). Not a product module.
 */
import { createPricing, findPrice, costOf, type ModelCost } from '../../domain/pricing.js';
import type { FakeTokens } from './fake-agent-steps.js';

const pricing = createPricing();

export class FakeCostMeter {
  readonly #byModel = new Map<string, ModelCost>();
  readonly #unknown = new Set<string>();

  /** Adds one message; returns the model when it is the first unpriced message of that model. */
  add(model: string, tokens: FakeTokens): { unknownModel?: string } {
    const usage = {
      inputTokens: tokens.input ?? 0,
      outputTokens: tokens.output ?? 0,
      cacheWrite5mTokens: tokens.cacheWrite5m ?? 0,
      cacheWrite1hTokens: tokens.cacheWrite1h ?? 0,
      cacheReadTokens: tokens.cacheRead ?? 0,
    };
    const price = findPrice(pricing, model);
    const row = this.#byModel.get(model) ?? {
      model,
      costUsd: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheWriteTokens: 0,
      cacheReadTokens: 0,
    };
    row.costUsd += price ? costOf(price, usage) : 0;
    row.inputTokens += usage.inputTokens;
    row.outputTokens += usage.outputTokens;
    row.cacheWriteTokens += usage.cacheWrite5mTokens + usage.cacheWrite1hTokens;
    row.cacheReadTokens += usage.cacheReadTokens;
    this.#byModel.set(model, row);
    if (price || this.#unknown.has(model)) return {};
    this.#unknown.add(model);
    return { unknownModel: model };
  }

  get costUsd(): number {
    return [...this.#byModel.values()].reduce((sum, m) => sum + m.costUsd, 0);
  }

  /** The live estimate as the run's figure (nothing reconciled: the run ended without a result). */
  estimate(): { costUsd: number; byModel: ModelCost[]; sessionTotalUsd: null; reconciled: false } {
    return { costUsd: this.costUsd, byModel: this.byModel(), sessionTotalUsd: null, reconciled: false };
  }

  byModel(): ModelCost[] {
    return [...this.#byModel.values()].map((m) => ({ ...m }));
  }

  /**
   * The run's end, as Claude Code reports it and the real adapter reads it.
   * Rules: the session's total grows by what the agent reports for this run (default: the estimate); the
   * run's own cost is that total minus `priorSessionTotalUsd` (what the caller says the session cost
   * before); a negative or zero-while-spending difference keeps the estimate; per model, the estimate's
   * split is scaled to the run's cost (all of it on the run's model when nothing was estimated).
   */
  reconcile(
    sessionTotalBefore: number,
    reportedCostUsd: number | undefined,
    priorSessionTotalUsd: number,
    model: string,
  ): { costUsd: number; byModel: ModelCost[]; sessionTotalUsd: number } {
    const estimate = this.costUsd;
    const sessionTotalUsd = sessionTotalBefore + (reportedCostUsd ?? estimate);
    const own = sessionTotalUsd - priorSessionTotalUsd;
    if (!Number.isFinite(own) || own < 0 || (own === 0 && estimate > 0))
      return { costUsd: estimate, byModel: this.byModel(), sessionTotalUsd };
    if (estimate === 0) {
      const none = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };
      return { costUsd: own, byModel: own > 0 ? [{ model, costUsd: own, ...none }] : [], sessionTotalUsd };
    }
    const byModel = this.byModel().map((m) => ({ ...m, costUsd: (m.costUsd / estimate) * own }));
    return { costUsd: own, byModel, sessionTotalUsd };
  }
}
