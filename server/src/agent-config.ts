/**
 * The agents' part of config.json: the model each profile runs, which agent runs it, OpenAI's Codex CLI,
 * and the agents' OS sandbox.
 */
import { z } from 'zod';
import { AGENT_NAMES } from '../../shared/api.js';

const price = z.object({
  input: z.number().min(0),
  output: z.number().min(0),
  cachedInput: z.number().min(0).optional(),
});

/** OpenAI's Codex CLI as an agent (runner/codex-agent.ts). */
export const codexSchema = z.object({
  /** OpenAI model ids per profile. */
  models: z
    .object({
      quick: z.string().default('gpt-5.4-mini'),
      standard: z.string().default('gpt-5.5'),
      deep: z.string().default('gpt-5.5'),
      planning: z.string().default('gpt-5.5'),
    })
    .prefault({}),
  /** The Responses API base URL (OPENAI_BASE_URL wins); default https://api.openai.com/v1. */
  baseUrl: z.string().url().optional(),
  /** Path of the `codex` executable; default: the one of the installed @openai/codex package. */
  executable: z.string().optional(),
  /**
   * Codex's own sandbox for the agent's commands: `workspace-write` (writes only inside the worktree, the
   * default) or `danger-full-access` where its sandbox (bubblewrap, seccomp) cannot start.
   */
  sandbox: z.enum(['workspace-write', 'danger-full-access']).default('workspace-write'),
  /** Whether the agent's commands may reach the network inside the workspace-write sandbox. */
  networkAccess: z.boolean().default(false),
  /** Codex's own retries of a failed request and of a broken stream (its defaults when unset). */
  requestMaxRetries: z.number().int().min(0).max(20).optional(),
  streamMaxRetries: z.number().int().min(0).max(20).optional(),
  /** Prices (USD per million tokens) of OpenAI models the built-in table lacks or prices differently. */
  pricing: z.record(z.string().min(1), price).default({}),
});

/** Claude model ids per profile. */
export const modelsSchema = z
  .object({
    quick: z.string().default('claude-haiku-4-5'),
    standard: z.string().default('claude-sonnet-4-5'),
    deep: z.string().default('claude-opus-4-5'),
    planning: z.string().default('claude-opus-4-5'),
  })
  .prefault({});

/** Which agent runs each profile's tasks when a task does not say (`--agent`). */
export const agentChoiceSchema = z
  .object({
    quick: z.enum(AGENT_NAMES).default('claude'),
    standard: z.enum(AGENT_NAMES).default('claude'),
    deep: z.enum(AGENT_NAMES).default('claude'),
    planning: z.enum(AGENT_NAMES).default('claude'),
  })
  .prefault({});

/** The agents' OS sandbox (runner/sandbox.ts): where it cannot start, `auto` is refused unless allowed here. */
export const sandboxSchema = z.object({ allowUnsandboxedAuto: z.boolean().default(false) }).prefault({});
