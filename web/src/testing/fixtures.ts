/** Test data for the web's tests: a complete task with overridable fields. */
import type { TaskDto } from '../../../shared/api.js';
import { buildTaskDto } from '../../../shared/testing/build-task.js';

/** A queued task in project `web`; pass the fields a test cares about. */
export function buildTask(over: Partial<TaskDto> = {}): TaskDto {
  return buildTaskDto(over);
}
