import { describe, expect, it } from 'vitest';
import { CostMeter } from './cost-meter.js';
import { createPricing } from './pricing.js';

const SONNET = 'claude-sonnet-4-5-20250929';
const HAIKU = 'claude-haiku-4-5-20251001';
const pricing = createPricing();

interface RawUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/** Frames shaped like the SDK 0.3.332 output measured with includePartialMessages. */
const start = (id: string, model: string, usage: RawUsage, parent: string | null = null, apiId?: string) => ({
  type: 'stream_event',
  parent_tool_use_id: parent,
  ...(apiId ? { api_message_id: apiId } : {}),
  event: { type: 'message_start', message: { id, model, role: 'assistant', content: [], usage } },
});
const block = (parent: string | null = null) => ({
  type: 'stream_event',
  parent_tool_use_id: parent,
  event: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } },
});
const delta = (usage: RawUsage, parent: string | null = null, apiId?: string) => ({
  type: 'stream_event',
  parent_tool_use_id: parent,
  ...(apiId ? { api_message_id: apiId } : {}),
  event: { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage },
});
const assistant = (id: string, model: string, usage: RawUsage, parent: string | null = null) => ({
  type: 'assistant',
  parent_tool_use_id: parent,
  message: { id, model, usage, content: [{ type: 'text', text: 'x' }] },
});

const feed = (meter: CostMeter, frames: unknown[]) => frames.map((f) => meter.ingest(f));
const M = 1_000_000;

describe('CostMeter.ingest', () => {
  const startUsage = {
    input_tokens: 100,
    output_tokens: 1,
    cache_creation_input_tokens: 1000,
    cache_read_input_tokens: 5000,
    cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 0 },
  };
  // 100 × $3 + 50 × $15 + 1000 × $3.75 + 5000 × $0.30, per million.
  const fullCost = (100 * 3 + 50 * 15 + 1000 * 3.75 + 5000 * 0.3) / M;

  const rows: { name: string; frames: unknown[]; cost: number }[] = [
    {
      name: 'a three-block message with partial messages counts its id once, output from message_delta',
      frames: [
        start('msg_1', SONNET, startUsage),
        block(),
        assistant('msg_1', SONNET, startUsage),
        assistant('msg_1', SONNET, startUsage),
        assistant('msg_1', SONNET, startUsage),
        delta({ output_tokens: 50 }),
      ],
      cost: fullCost,
    },
    {
      name: 'the same three assistant frames without stream events count once',
      frames: [1, 2, 3].map(() => assistant('msg_1', SONNET, { input_tokens: 100, output_tokens: 50 })),
      cost: 0.00105,
    },
    {
      name: 'a delta arriving before the assistant frames still counts',
      frames: [
        start('msg_1', SONNET, startUsage),
        delta({ output_tokens: 50 }),
        assistant('msg_1', SONNET, startUsage),
      ],
      cost: fullCost,
    },
    {
      name: 'cache writes without a lifetime split are priced at the 5-minute rate',
      frames: [assistant('msg_1', SONNET, { input_tokens: 0, cache_creation_input_tokens: 1000 })],
      cost: (1000 * 3.75) / M,
    },
    {
      name: 'a 1-hour cache write is priced at 2× input',
      frames: [
        assistant('msg_1', SONNET, {
          cache_creation_input_tokens: 1000,
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 1000 },
        }),
      ],
      cost: (1000 * 6) / M,
    },
    {
      name: 'two messages of one turn add up',
      frames: [
        start('msg_1', SONNET, { input_tokens: 100, output_tokens: 1 }),
        delta({ output_tokens: 50 }),
        start('msg_2', SONNET, { input_tokens: 200, output_tokens: 1 }),
        delta({ output_tokens: 20 }),
      ],
      cost: (300 * 3 + 70 * 15) / M,
    },
    {
      name: 'api_message_id on a delta wins over the latest message_start',
      frames: [
        start('msg_1', SONNET, { input_tokens: 100, output_tokens: 1 }),
        start('msg_2', SONNET, { input_tokens: 100, output_tokens: 1 }),
        delta({ output_tokens: 50 }, null, 'msg_1'),
      ],
      cost: (200 * 3 + 51 * 15) / M,
    },
    {
      name: 'a delta with no message to belong to is ignored',
      frames: [delta({ output_tokens: 500 })],
      cost: 0,
    },
  ];
  it.each(rows)('$name', ({ frames, cost }) => {
    const meter = new CostMeter(pricing);
    feed(meter, frames);
    expect(meter.costUsd).toBeCloseTo(cost, 12);
  });

  it('keeps a subagent stream apart from the main one when they interleave', () => {
    const meter = new CostMeter(pricing);
    feed(meter, [
      start('main_1', SONNET, { input_tokens: 1000, output_tokens: 1 }),
      start('sub_1', HAIKU, { input_tokens: 2000, output_tokens: 1 }, 'toolu_A'),
      block('toolu_A'),
      delta({ output_tokens: 300 }),
      delta({ output_tokens: 40 }, 'toolu_A'),
      assistant('sub_1', HAIKU, { input_tokens: 2000, output_tokens: 1 }, 'toolu_A'),
    ]);
    const byModel = meter.byModel();
    expect(byModel[SONNET]?.usage).toMatchObject({ inputTokens: 1000, outputTokens: 300 });
    expect(byModel[HAIKU]?.usage).toMatchObject({ inputTokens: 2000, outputTokens: 40 });
    expect(byModel[HAIKU]?.costUsd).toBeCloseTo((2000 * 1 + 40 * 5) / M, 12);
    expect(meter.costUsd).toBeCloseTo((1000 * 3 + 300 * 15 + 2000 * 1 + 40 * 5) / M, 12);
  });

  it('reports whether a frame changed anything', () => {
    const meter = new CostMeter(pricing);
    const results = feed(meter, [
      start('msg_1', SONNET, { input_tokens: 10, output_tokens: 1 }),
      assistant('msg_1', SONNET, { input_tokens: 10, output_tokens: 1 }),
      block(),
      delta({ output_tokens: 5 }),
      delta({ output_tokens: 5 }),
    ]);
    expect(results.map((r) => r.changed)).toEqual([true, false, false, true, false]);
  });

  it('flags an unknown model once, keeps its tokens and does not price it', () => {
    const meter = new CostMeter(pricing);
    const results = feed(meter, [
      start('msg_1', 'claude-opus-9', { input_tokens: 10, output_tokens: 1 }),
      delta({ output_tokens: 5 }),
      assistant('msg_2', 'claude-opus-9', { input_tokens: 10 }),
      assistant('msg_3', '<synthetic>', { input_tokens: 0, output_tokens: 0 }),
      assistant('msg_4', 'mystery-model', { input_tokens: 0, output_tokens: 0 }),
    ]);
    expect(results.map((r) => r.unknownModel)).toEqual([
      'claude-opus-9',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect([...meter.unknownModels]).toEqual(['claude-opus-9']);
    expect(meter.costUsd).toBe(0);
    expect(meter.byModel()['claude-opus-9']).toEqual({
      costUsd: 0,
      usage: {
        inputTokens: 20,
        outputTokens: 5,
        cacheWrite5mTokens: 0,
        cacheWrite1hTokens: 0,
        cacheReadTokens: 0,
      },
    });
  });

  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'assistant'],
    ['an array', [{ type: 'assistant' }]],
    ['an assistant without message', { type: 'assistant' }],
    [
      'an assistant without id',
      { type: 'assistant', message: { model: SONNET, usage: { input_tokens: 5 } } },
    ],
    ['a stream_event without event', { type: 'stream_event', event: null }],
    [
      'usage with strings and NaN',
      assistant('m', SONNET, { input_tokens: '5', output_tokens: NaN } as never),
    ],
    ['a negative count', assistant('m2', SONNET, { input_tokens: -5 })],
    ['a result', { type: 'result', total_cost_usd: 3 }],
    ['a system init', { type: 'system', subtype: 'init', model: SONNET }],
  ])('ignores %s without throwing', (_name, frame) => {
    const meter = new CostMeter(pricing);
    expect(meter.ingest(frame).unknownModel).toBeUndefined();
    expect(meter.costUsd).toBe(0);
  });
});

describe('CostMeter.reconcile', () => {
  const modelUsage = (costUSD: number, inputTokens: number, outputTokens: number) => ({
    inputTokens,
    outputTokens,
    cacheReadInputTokens: 0,
    cacheCreationInputTokens: 0,
    webSearchRequests: 0,
    costUSD,
    contextWindow: 200000,
    maxOutputTokens: 64000,
  });
  const result = (total: unknown, models?: Record<string, unknown>) => ({
    type: 'result',
    subtype: 'success',
    total_cost_usd: total,
    ...(models ? { modelUsage: models } : {}),
  });
  /** A run estimated at 100 × $3 + 50 × $15 = $0.00105 on sonnet. */
  const estimated = () => {
    const meter = new CostMeter(pricing);
    feed(meter, [
      start('msg_1', SONNET, { input_tokens: 100, output_tokens: 1 }),
      delta({ output_tokens: 50 }),
    ]);
    return meter;
  };

  const rows: {
    name: string;
    result: unknown;
    opts?: Parameters<CostMeter['reconcile']>[1];
    cost: number;
    source: 'sdk' | 'estimate';
    sonnetCost: number;
  }[] = [
    {
      name: "the SDK's figure replaces the estimate",
      result: result(0.002, { [SONNET]: modelUsage(0.002, 120, 60) }),
      cost: 0.002,
      source: 'sdk',
      sonnetCost: 0.002,
    },
    {
      name: 'a resumed session subtracts what the session cost before, per model too',
      result: result(1.002, { [SONNET]: modelUsage(1.002, 10120, 560) }),
      opts: {
        priorSessionTotalUsd: 1,
        priorSessionByModel: {
          [SONNET]: {
            costUsd: 1,
            usage: {
              inputTokens: 10000,
              outputTokens: 500,
              cacheWrite5mTokens: 0,
              cacheWrite1hTokens: 0,
              cacheReadTokens: 0,
            },
          },
        },
      },
      cost: 0.002,
      source: 'sdk',
      sonnetCost: 0.002,
    },
    {
      name: 'a prior total without a per-model split scales the estimate to the run cost',
      result: result(1.003, { [SONNET]: modelUsage(1.003, 10120, 560) }),
      opts: { priorSessionTotalUsd: 1 },
      cost: 0.003,
      source: 'sdk',
      sonnetCost: 0.003,
    },
    {
      name: 'a result without modelUsage keeps the estimated split, scaled',
      result: result(0.0021),
      cost: 0.0021,
      source: 'sdk',
      sonnetCost: 0.0021,
    },
    {
      name: 'a zeroed crash result keeps the estimate',
      result: result(0),
      cost: 0.00105,
      source: 'estimate',
      sonnetCost: 0.00105,
    },
    {
      name: 'a missing total keeps the estimate',
      result: { type: 'result' },
      cost: 0.00105,
      source: 'estimate',
      sonnetCost: 0.00105,
    },
    {
      name: 'garbage keeps the estimate',
      result: 'nope',
      cost: 0.00105,
      source: 'estimate',
      sonnetCost: 0.00105,
    },
    {
      name: 'a total below the prior (session cleared) keeps the estimate',
      result: result(0.5),
      opts: { priorSessionTotalUsd: 2 },
      cost: 0.00105,
      source: 'estimate',
      sonnetCost: 0.00105,
    },
  ];
  it.each(rows)('$name', ({ result: r, opts, cost, source, sonnetCost }) => {
    const meter = estimated();
    const outcome = meter.reconcile(r, opts);
    expect(outcome.source).toBe(source);
    expect(outcome.costUsd).toBeCloseTo(cost, 12);
    expect(outcome.byModel[SONNET]?.costUsd).toBeCloseTo(sonnetCost, 12);
    expect(meter.costUsd).toBeCloseTo(cost, 12);
    expect(meter.reconciled).toBe(true);
  });

  it('takes the per-model tokens from modelUsage, splitting cache writes by lifetime', () => {
    const meter = estimated();
    const outcome = meter.reconcile(
      result(0.5, {
        [SONNET]: {
          ...modelUsage(0.4, 100, 50),
          cacheCreationInputTokens: 3000,
          cacheCreationEphemeral1hInputTokens: 1000,
          cacheReadInputTokens: 7,
        },
        [HAIKU]: modelUsage(0.1, 10, 5),
      }),
    );
    expect(outcome.byModel[SONNET]?.usage).toEqual({
      inputTokens: 100,
      outputTokens: 50,
      cacheWrite5mTokens: 2000,
      cacheWrite1hTokens: 1000,
      cacheReadTokens: 7,
    });
    expect(outcome.byModel[HAIKU]?.costUsd).toBe(0.1);
  });

  it('adds messages that come after a result on top of it, and ignores late frames of settled ones', () => {
    const meter = estimated();
    meter.reconcile(result(0.002, { [SONNET]: modelUsage(0.002, 100, 50) }));
    expect(meter.ingest(delta({ output_tokens: 9000 }, null, 'msg_1')).changed).toBe(false);
    feed(meter, [
      start('msg_2', SONNET, { input_tokens: 1000, output_tokens: 1 }),
      delta({ output_tokens: 100 }),
    ]);
    const next = (1000 * 3 + 100 * 15) / M;
    expect(meter.costUsd).toBeCloseTo(0.002 + next, 12);
    expect(meter.byModel()[SONNET]?.costUsd).toBeCloseTo(0.002 + next, 12);
    expect(meter.byModel()[SONNET]?.usage.inputTokens).toBe(1100);
    // The next result carries the running total for the query and replaces the first.
    meter.reconcile(result(0.01, { [SONNET]: modelUsage(0.01, 1100, 150) }));
    expect(meter.costUsd).toBeCloseTo(0.01, 12);
  });
});
