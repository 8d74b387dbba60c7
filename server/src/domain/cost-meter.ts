/**
 * The live cost of one agent run, fed with the raw SDK messages as they arrive. Claude Code sends the usage
 * of one API message several times (message_start, then one `assistant` frame per content block, all with
 * the start's usage) and the output tokens only with the stream's `message_delta`; so each message id is
 * counted once, with the largest value seen for each token field. The SDK's own figure, on the `result`,
 * replaces the estimate when the run ends.
 */
import type { Usage } from '../../../shared/events.js';
import {
  asRecord,
  modelUsageOf,
  raiseCounts,
  scaleTo,
  str,
  subtract,
  sumCost,
  usageOf,
  type PricedUsage,
  type RawCounts,
} from './cost-usage.js';
import {
  addUsage,
  costOf,
  emptyUsage,
  findPrice,
  isEmptyUsage,
  subtractUsage,
  type Pricing,
} from './pricing.js';

export interface ReconcileOptions {
  /** What the session had cost before this run; a resumed session's result includes it. */
  priorSessionTotalUsd?: number;
  /** The same, per model, so the run's own per-model figures can be told apart. */
  priorSessionByModel?: Record<string, PricedUsage>;
}

export interface ReconciledCost {
  costUsd: number;
  byModel: Record<string, PricedUsage>;
  /** `sdk` when the result's figure was used, `estimate` when it was missing or unusable. */
  source: 'sdk' | 'estimate';
}

interface MessageRecord {
  model: string | null;
  raw: RawCounts;
}

/** Claude Code labels its locally made messages (API errors, interrupts) with this model; they cost nothing. */
const SYNTHETIC_MODEL = '<synthetic>';

/** One per agent run. Never throws on odd input: what it does not recognise it ignores. */
export class CostMeter {
  /** Models seen with usage that the pricing table cannot price (their cost is missing from the estimate). */
  readonly unknownModels = new Set<string>();
  readonly #pricing: Pricing;
  readonly #messages = new Map<string, MessageRecord>();
  /** The latest message_start id per stream: the main agent's (key '') and each subagent's. */
  readonly #streamHeads = new Map<string, string>();
  /** Estimated usage per model over every message of the run. */
  readonly #estimate = new Map<string, Usage>();
  #reconciled: ReconciledCost | null = null;
  /** Messages the last reconcile covered: their cost is inside the SDK's figure, so late frames are ignored. */
  #settled = new Set<string>();
  /** The estimate as it stood at the last reconcile; what came after is added on top of the SDK figure. */
  #estimateAtReconcile = new Map<string, Usage>();

  constructor(pricing: Pricing) {
    this.#pricing = pricing;
  }

  /**
   * Takes one raw SDK message.
   * - `stream_event` message_start: opens the message on its stream (keyed by parent_tool_use_id) and counts
   *   its usage; message_delta: raises the counts of `api_message_id` if present, else of the stream's
   *   latest message_start;
   * - `assistant`: counts `message.usage` under `message.id` (the repeated frames change nothing);
   * - anything else, including `result` (see `reconcile`), is ignored;
   * - `unknownModel` is set the first time a model the table cannot price shows usage.
   */
  ingest(msg: unknown): { changed: boolean; unknownModel?: string } {
    const m = asRecord(msg);
    if (m?.type === 'assistant') {
      const message = asRecord(m.message);
      return this.#apply(str(message?.id), str(message?.model), asRecord(message?.usage));
    }
    if (m?.type !== 'stream_event') return { changed: false };
    const event = asRecord(m.event);
    const stream = str(m.parent_tool_use_id) ?? '';
    if (event?.type === 'message_start') {
      const message = asRecord(event.message);
      const id = str(message?.id) ?? str(m.api_message_id);
      if (id !== null) this.#streamHeads.set(stream, id);
      return this.#apply(id, str(message?.model), asRecord(message?.usage));
    }
    if (event?.type === 'message_delta') {
      const id = str(m.api_message_id) ?? this.#streamHeads.get(stream) ?? null;
      return this.#apply(id, null, asRecord(event.usage));
    }
    return { changed: false };
  }

  /** The run's cost so far: the SDK's figure once reconciled, plus the estimate of anything after it. */
  get costUsd(): number {
    let total = this.#reconciled?.costUsd ?? 0;
    for (const cost of Object.values(this.#liveByModel())) total += cost.costUsd;
    return total;
  }

  /** Whether the SDK's figure has replaced the estimate. */
  get reconciled(): boolean {
    return this.#reconciled !== null;
  }

  /** Cost and tokens per model; an unpriced model appears with its tokens and a cost of 0. */
  byModel(): Record<string, PricedUsage> {
    const live = this.#liveByModel();
    if (this.#reconciled === null) return live;
    const merged = { ...this.#reconciled.byModel };
    for (const [model, cost] of Object.entries(live)) {
      const base = merged[model];
      merged[model] = base
        ? { costUsd: base.costUsd + cost.costUsd, usage: addUsage(base.usage, cost.usage) }
        : cost;
    }
    return merged;
  }

  /**
   * Replaces the estimate with the SDK's figure from a `result` message. The result is cumulative for the
   * session (a resumed session's first result already carries the earlier runs), hence the options.
   * - run cost = `total_cost_usd - priorSessionTotalUsd`;
   * - the estimate stays when that is not a finite number, is negative (the session was cleared), or is 0
   *   while the estimate is not (a crashed run reports zeroes);
   * - per model: `modelUsage` minus `priorSessionByModel`; with a prior total but no per-model prior, or no
   *   usable `modelUsage`, the estimate's split is scaled to the run cost;
   * - a later result replaces an earlier one (each carries the running total).
   */
  reconcile(result: unknown, opts: ReconcileOptions = {}): ReconciledCost {
    const r = asRecord(result);
    const estimate = this.#priced(this.#estimate);
    const estimateTotal = sumCost(estimate);
    const prior = opts.priorSessionTotalUsd ?? 0;
    const total = typeof r?.total_cost_usd === 'number' ? r.total_cost_usd - prior : Number.NaN;
    let outcome: ReconciledCost;
    if (!Number.isFinite(total) || total < 0 || (total === 0 && estimateTotal > 0)) {
      outcome = { costUsd: estimateTotal, byModel: estimate, source: 'estimate' };
    } else {
      const fromSdk = modelUsageOf(r?.modelUsage);
      let byModel: Record<string, PricedUsage>;
      if (fromSdk !== null && prior === 0) byModel = fromSdk;
      else if (fromSdk !== null && opts.priorSessionByModel)
        byModel = subtract(fromSdk, opts.priorSessionByModel);
      else byModel = scaleTo(estimateTotal > 0 ? estimate : (fromSdk ?? {}), total);
      outcome = { costUsd: total, byModel, source: 'sdk' };
    }
    this.#reconciled = outcome;
    this.#estimateAtReconcile = new Map(this.#estimate);
    this.#settled = new Set(this.#messages.keys());
    return outcome;
  }

  #apply(id: string | null, model: string | null, usage: Record<string, unknown> | null) {
    if (id === null || this.#settled.has(id)) return { changed: false };
    let record = this.#messages.get(id);
    if (!record) {
      record = {
        model: null,
        raw: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0, write5m: 0, write1h: 0 },
      };
      this.#messages.set(id, record);
    }
    const before = record.model === null ? null : usageOf(record.raw);
    let changed = false;
    if (record.model === null && model !== null) {
      record.model = model;
      changed = true;
    }
    changed = raiseCounts(record.raw, usage) || changed;
    if (!changed || record.model === null) return { changed };
    const after = usageOf(record.raw);
    const current = this.#estimate.get(record.model) ?? emptyUsage();
    this.#estimate.set(record.model, addUsage(current, before ? subtractUsage(after, before, false) : after));
    const flagged = this.#flagIfUnknown(record.model, after);
    return flagged ? { changed, unknownModel: flagged } : { changed };
  }

  #flagIfUnknown(model: string, usage: Usage): string | undefined {
    if (model === SYNTHETIC_MODEL || this.unknownModels.has(model) || isEmptyUsage(usage)) return undefined;
    if (findPrice(this.#pricing, model) !== null) return undefined;
    this.unknownModels.add(model);
    return model;
  }

  #liveByModel(): Record<string, PricedUsage> {
    const live = new Map<string, Usage>();
    for (const [model, usage] of this.#estimate) {
      const settled = this.#estimateAtReconcile.get(model);
      const delta = settled ? subtractUsage(usage, settled) : usage;
      if (!isEmptyUsage(delta)) live.set(model, delta);
    }
    return this.#priced(live);
  }

  #priced(usages: Map<string, Usage>): Record<string, PricedUsage> {
    const out: Record<string, PricedUsage> = {};
    for (const [model, usage] of usages) {
      const price = findPrice(this.#pricing, model);
      out[model] = { costUsd: price ? costOf(price, usage) : 0, usage };
    }
    return out;
  }
}
