/** Scenarios of the Ralph loop: an iteration with its status block, and a status block alone. */
import type { Params } from '../shared/directive.js';
import { boolParam, optionalIntParam, stringParam } from '../shared/params.js';
import { firstLine } from '../shared/scenarios.js';
import { bash, finish, write } from './replies.js';
import type { Scenario } from './scenarios.js';

export const loopScenarios = {
  ralph: {
    summary:
      'a Ralph loop iteration: reads "iteration N" from the prompt; write=false changes nothing, commit=true commits itself; status block with EXIT_SIGNAL true from done=N on',
    respond: ({ conversation: c, params }) => {
      const iteration = Number(/iteration (\d+) of/.exec(c.prompt)?.[1] ?? '1');
      const doneAt = optionalIntParam(params, 'done');
      const exit = doneAt !== undefined && iteration >= doneAt;
      const writes = boolParam(params, 'write', true);
      const commits = boolParam(params, 'commit', false);
      if (c.step === 0 && commits) {
        return bash(
          `echo ${iteration} >> log.txt && git add -A && git commit -q -m "iteration ${iteration}"`,
          'Record and commit',
        );
      }
      if (c.step === 0 && writes)
        return write(`progress-${iteration}.txt`, `iteration ${iteration}\n`, c.cwd);
      const block = statusBlock(
        { ...params, exit: String(exit), tests: exit ? 'PASSING' : 'NOT_RUN' },
        writes || commits ? 1 : 0,
      );
      return finish(`Iteration ${iteration}. ${block}`);
    },
  },
  'status-block': {
    summary: 'optional Write of write=P, then a text ending in a status block (exit=, status=, tests=)',
    respond: ({ conversation: c, params }) => {
      const path = params.write;
      if (path && c.step === 0) return write(path, `Progress on: ${firstLine(c.prompt)}\n`, c.cwd);
      return finish(statusBlock(params, path ? 1 : 0));
    },
  },
} satisfies Record<string, Scenario>;

function statusBlock(params: Params, filesModified: number): string {
  const exit = boolParam(params, 'exit', false);
  return [
    exit ? 'All the work is done.' : 'Made progress; more work remains.',
    '',
    '---GLUON_STATUS---',
    `STATUS: ${stringParam(params, 'status', exit ? 'COMPLETE' : 'IN_PROGRESS')}`,
    `FILES_MODIFIED: ${filesModified}`,
    `TESTS_STATUS: ${stringParam(params, 'tests', 'NOT_RUN')}`,
    `EXIT_SIGNAL: ${exit}`,
    `RECOMMENDATION: ${stringParam(params, 'recommendation', exit ? 'Nothing left to do.' : 'Continue with the next task.')}`,
    '---END_GLUON_STATUS---',
  ].join('\n');
}
