/**
 * The scenario table: one entry per `[[scenario:NAME …]]`. Each `respond` maps the request's
 * position (step within the turn, turn since the prompt) to one streamed assistant response.
 * Steps past a scenario's end keep answering its final text, so a retried request never breaks it.
 * Usage is `DEFAULT_USAGE` (100 in / 50 out) per response unless an entry says otherwise.
 * The entries live by theme in scenarios-*.ts; this file assembles the table.
 */
import type { Scenario as SharedScenario, StepContext as SharedStepContext } from '../shared/script.js';
import type { Conversation } from './conversation.js';
import type { Reply } from './replies.js';
import { faultScenarios } from './scenarios-faults.js';
import { fileScenarios } from './scenarios-files.js';
import { hostileScenarios } from './scenarios-hostile.js';
import { humanScenarios } from './scenarios-human.js';
import { loopScenarios } from './scenarios-loop.js';

export { ASK_TEXT } from '../shared/scenarios.js';
export { QUESTION } from './scenarios-human.js';

export type StepContext = SharedStepContext<Conversation>;
export type Scenario = SharedScenario<Conversation, Reply>;

export const scenarios: Record<string, Scenario> = {
  ...fileScenarios,
  ...humanScenarios,
  ...faultScenarios,
  ...loopScenarios,
  ...hostileScenarios,
};
