/**
 * What Gluon calls of the Agent SDK at run time, in a module of its own: claude-agent.ts loads it on the
 * first run, and the bundle keeps only what it exports (a dynamic import of the package would keep all).
 */
export { query } from '@anthropic-ai/claude-agent-sdk';
