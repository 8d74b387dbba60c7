/**
 * What Gluon calls of the Agent SDK at run time, in a module of its own: claude-agent.ts loads it on the
 * first run, and the bundle keeps only what it exports (a dynamic import of the package would keep all).
 * From the package's `core` entry: the same `query`, with the MCP SDK and zod taken from Gluon's own
 * dependencies (its peer dependencies) instead of its own copies; a first run loads some 700 kB of code
 * instead of 1.1 MB.
 */
export { query } from '@anthropic-ai/claude-agent-sdk/core';
