/**
 * Input pieces several tools share, built on the API's own schemas so that a tool refuses what the API
 * would refuse, with a description written for the agent that fills it in.
 */
import { idParam } from '../../shared/api.js';

export const taskIdInput = idParam.shape.id.describe(
  'The task id (12 characters, as list_tasks and create_task print it) or a unique prefix of at least 4 characters.',
);
