/**
 * Claude Code as a Gluon agent, through the official Agent SDK: streamed messages (partial ones too),
 * `resume` by session id, `canUseTool` for approvals and questions, plan mode, and our own spawn so the
 * process leads its own process group and a stop reaches everything it started.
 */
import { spawn } from 'node:child_process';
import type { SDKUserMessage, SpawnOptions, SpawnedProcess } from '@anthropic-ai/claude-agent-sdk';
import { CostMeter } from '../domain/cost-meter.js';
import { createPricing } from '../domain/pricing.js';
import type { Redactor } from '../domain/redact.js';
import {
  isRetryableError,
  type Agent,
  type AgentHooks,
  type AgentOutcome,
  type AgentRun,
  type AgentRunRequest,
  type ModelCost,
  type StopCause,
} from './agent.js';
import {
  everyCallToGluon,
  gluonPolicy,
  oncePerCall,
  refusedRun,
  sandboxFor,
  sessionEnv,
  settingSourcesFor,
  soleClaudeBinary,
  type AgentSandbox,
} from './claude-options.js';
import { SdkEventMapper } from './event-mapper.js';
import { killProcessGroup, yieldToServer } from './process-group.js';
import { trackRunProcesses } from './run-processes.js';

type Obj = Record<string, unknown>;
const DELTA_FLUSH_MS = 100;

/** The Agent SDK, loaded on the first run (a server that runs no Claude Code never loads it). */
let sdk: Promise<typeof import('./claude-sdk.js')> | null = null;
const loadSdk = () => (sdk ??= import('./claude-sdk.js'));

export interface ClaudeAgentOptions {
  /** Path of the `claude` executable; default: the one bundled with the SDK. */
  executable?: string;
  killAfterMs: { term: number; kill: number };
  /** Gluon's data directory: the agent gets its own HOME there (`claude-home`); none keeps the request's. */
  dataDir?: string;
  /** Hides Gluon's secrets in streamed text and cut tool output (default: secret shapes only). */
  redactor?: Redactor;
  /** The sandbox as found at start: each run is sandboxed where it can start (none given: no sandbox). */
  sandbox?: AgentSandbox;
}

/** How long processes a run leaves behind get between SIGTERM and SIGKILL once the agent has exited. */
const LEFTOVER_GRACE_MS = 2000;

function toModelCosts(byModel: ReturnType<CostMeter['byModel']>): ModelCost[] {
  return Object.entries(byModel).map(([model, m]) => ({
    model,
    costUsd: m.costUsd,
    inputTokens: m.usage.inputTokens,
    outputTokens: m.usage.outputTokens,
    cacheWriteTokens: m.usage.cacheWrite5mTokens + m.usage.cacheWrite1hTokens,
    cacheReadTokens: m.usage.cacheReadTokens,
  }));
}

export function createClaudeAgent(options: ClaudeAgentOptions): Agent {
  // The binary, given to the SDK: its own search reads a whole process report to tell glibc from musl
  // (blocking the event loop, and decoding a source map for its stack). Where that search is needed
  // after all, what it found on the first run is given to the next ones.
  const found: { executable?: string } = { executable: options.executable ?? soleClaudeBinary() };
  return {
    name: 'claude-code',
    // canUseTool makes every tool call an approval and AskUserQuestion a live question.
    capabilities: { approvals: true, questions: true, planMode: true, images: true },
    start: (req, hooks) => startClaudeRun(req, hooks, options, found),
    warm: () => void loadSdk().catch(() => {}),
  };
}

function startClaudeRun(
  req: AgentRunRequest,
  hooks: AgentHooks,
  options: ClaudeAgentOptions,
  found: { executable?: string },
): AgentRun {
  const box = sandboxFor(req, options.dataDir, options.sandbox);
  if (box.refused) return refusedRun(req, box.refused);
  const abort = new AbortController();
  const mapper = new SdkEventMapper(options.redactor);
  const meter = new CostMeter(createPricing());
  let child: ReturnType<typeof spawn> | null = null;
  let stoppedBy: StopCause | null = null;
  let streamEnded = false;
  let stderrTail = '';
  let killing: Promise<void> | null = null;
  const processes = trackRunProcesses(req.runId);
  const ladder = { termAfterMs: options.killAfterMs.term, killAfterMs: options.killAfterMs.kill };

  let resolveExit: () => void = () => {};
  const exited = new Promise<void>((resolve) => (resolveExit = resolve));
  const spawnHook = (opts: SpawnOptions): SpawnedProcess => {
    // Only a native binary (not a runtime running a script) stands for the executable itself.
    if (!/\.[cm]?js$/.test(opts.args[0] ?? '')) found.executable ??= opts.command;
    // Own process group (detached), argv only, no shell.
    child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    child.once('exit', () => resolveExit());
    child.once('error', () => resolveExit());
    if (child.pid) {
      yieldToServer(child.pid);
      processes.adopt(child.pid);
      hooks.onProcess(child.pid);
    }
    return child as unknown as SpawnedProcess;
  };

  // Gluon's approval policy, asked once per tool call (by the PreToolUse hook, or by canUseTool).
  const calls = oncePerCall(
    gluonPolicy(hooks.onToolRequest, box.settings?.network?.allowedDomains, () => (stoppedBy ??= 'held')),
  );

  const emit = (events: ReturnType<SdkEventMapper['map']>) => {
    for (const e of events) hooks.onEvent(e);
  };
  const flushTimer = setInterval(() => emit(mapper.flushDeltas()), DELTA_FLUSH_MS);

  const open = (query: (typeof import('./claude-sdk.js'))['query']) =>
    query({
      prompt: req.images?.length ? promptWithImages(req.prompt, req.images) : req.prompt,
      options: {
        cwd: req.cwd,
        model: req.model,
        env: sessionEnv(req, options.dataDir, processes.env),
        resume: req.resumeSessionId ?? undefined,
        ...(req.forkSession && req.resumeSessionId ? { forkSession: true } : {}),
        includePartialMessages: true,
        abortController: abort,
        permissionMode: req.planMode ? 'plan' : 'default',
        settingSources: settingSourcesFor(req),
        hooks: { PreToolUse: [everyCallToGluon(calls, req.planMode ?? false)] },
        ...(box.settings ? { sandbox: box.settings } : {}),
        ...(req.appendSystemPrompt
          ? { systemPrompt: { type: 'preset', preset: 'claude_code', append: req.appendSystemPrompt } }
          : {}),
        ...(found.executable ? { pathToClaudeCodeExecutable: found.executable } : {}),
        spawnClaudeCodeProcess: spawnHook,
        stderr: (data: string) => {
          stderrTail = (stderrTail + data).slice(-4000);
        },
        canUseTool: async (name, input, ctx) => {
          const answer = await calls.decide(ctx.toolUseID, name, input);
          calls.settle(ctx.toolUseID);
          return answer;
        },
      },
    });

  const done = (async (): Promise<AgentOutcome> => {
    let sessionId: string | null = req.resumeSessionId ?? null;
    let result: Obj | null = null;
    let thrown: unknown = null;
    try {
      const { query } = await loadSdk();
      // A stop that came while the SDK was loading: nothing was started.
      if (abort.signal.aborted) throw new Error('stopped before the agent started');
      const q = open(query);
      for await (const msg of q) {
        const m = msg as unknown as Obj;
        if (m.type === 'system' && m.subtype === 'init' && typeof m.session_id === 'string') {
          sessionId = m.session_id;
          hooks.onSession(sessionId);
          hooks.onEvent({
            type: 'run.session',
            data: { sessionId, model: String(m.model ?? req.model), tools: (m.tools as string[]) ?? [] },
          });
        }
        if (m.type === 'result') result = m;
        emit(mapper.map(m));
        const ingested = meter.ingest(m);
        if (ingested.changed || ingested.unknownModel) {
          hooks.onCost({
            runCostUsd: meter.costUsd,
            byModel: toModelCosts(meter.byModel()),
            unknownModel: ingested.unknownModel,
          });
        }
      }
    } catch (err) {
      thrown = err;
    } finally {
      clearInterval(flushTimer);
      // The agent has said all it will say: a stop from now on changes nothing about how it ended.
      streamEnded = true;
    }
    const pid = (child as { pid?: number } | null)?.pid;
    if (pid && (child as unknown as { exitCode: number | null }).exitCode === null) {
      await (killing ?? killProcessGroup(pid, ladder, processes));
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    // What the run started ends with it: background jobs, daemons, anything that left the group.
    if (processes.anyAlive(pid ?? 0))
      await killProcessGroup(pid ?? 0, { termAfterMs: 0, killAfterMs: LEFTOVER_GRACE_MS }, processes); // 0: no group
    processes.dispose();
    return buildOutcome({ req, meter, mapper, result, thrown, sessionId, stoppedBy, stderrTail });
  })();

  return {
    done,
    stop(cause) {
      if (stoppedBy || streamEnded) return;
      stoppedBy = cause;
      abort.abort();
      const pid = (child as { pid?: number } | null)?.pid;
      if (pid) killing = killProcessGroup(pid, ladder, processes);
    },
  };
}

/** The prompt as one streamed user message carrying the images as content blocks. */
async function* promptWithImages(
  text: string,
  images: NonNullable<AgentRunRequest['images']>,
): AsyncGenerator<SDKUserMessage> {
  yield {
    type: 'user',
    parent_tool_use_id: null,
    message: {
      role: 'user',
      content: [
        { type: 'text', text },
        ...images.map((i) => ({
          type: 'image' as const,
          source: { type: 'base64' as const, media_type: i.mediaType as 'image/png', data: i.base64 },
        })),
      ],
    },
  };
}

function buildOutcome(s: {
  req: AgentRunRequest;
  meter: CostMeter;
  mapper: SdkEventMapper;
  result: Obj | null;
  thrown: unknown;
  sessionId: string | null;
  stoppedBy: StopCause | null;
  stderrTail: string;
}): AgentOutcome {
  const { result, meter } = s;
  let costUsd = meter.costUsd;
  let byModel = toModelCosts(meter.byModel());
  let reconciled = false;
  let sessionTotalUsd: number | null = null;
  if (result && typeof result.total_cost_usd === 'number') {
    const r = meter.reconcile(result, { priorSessionTotalUsd: s.req.priorSessionTotalUsd ?? 0 });
    costUsd = r.costUsd;
    byModel = toModelCosts(r.byModel);
    reconciled = true;
    sessionTotalUsd = result.total_cost_usd;
  }
  const denials = Array.isArray(result?.permission_denials) ? result.permission_denials.length : 0;
  const resultFailed = result
    ? result.is_error === true || (typeof result.subtype === 'string' && result.subtype !== 'success')
    : true;
  let error: AgentOutcome['error'] = null;
  if (!s.stoppedBy && resultFailed) {
    const text =
      (typeof result?.result === 'string' && result.result) ||
      (Array.isArray(result?.errors) && (result.errors as unknown[]).join('; ')) ||
      (s.thrown instanceof Error ? s.thrown.message : s.thrown ? String(s.thrown) : '') ||
      s.stderrTail.trim().split('\n').slice(-3).join(' ') ||
      'the agent stopped without a result';
    error = { message: String(text).slice(0, 2000), retryable: isRetryableError(String(text)) };
  }
  return {
    ok: !s.stoppedBy && !error,
    stoppedBy: s.stoppedBy,
    sessionId: s.sessionId,
    finalText: typeof result?.result === 'string' && !resultFailed ? result.result : s.mapper.lastText,
    costUsd,
    sessionTotalUsd,
    byModel,
    reconciled,
    error,
    permissionDenials: denials,
  };
}
