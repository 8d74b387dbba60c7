/**
 * A hostile agent, for the sandbox's end-to-end test: one tool call per response, each trying a way out
 * of its worktree, whatever the previous one answered; then a summary of what each returned.
 */
import type { Params } from '../shared/directive.js';
import { intParam, requiredParam } from '../shared/params.js';
import { shellQuote } from '../shared/scenarios.js';
import { bash, callTool, finish, write, type MessageReply } from './replies.js';
import type { Scenario } from './scenarios.js';

/** A Node one-liner that opens a TCP connection to a loopback port: exit 0 when connected, 1 when not. */
const connectTo = (port: number) =>
  `node -e ${shellQuote(
    `require('net').connect(${port}, '127.0.0.1').on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.error(e.message); process.exit(1); })`,
  )}`;

/** The attempts, in order; `key`, `outside` (a directory), `port` (Gluon's) and `loopback` (another). */
function attempts(params: Params): Array<() => MessageReply> {
  const key = requiredParam(params, 'key', 'hostile');
  const outside = requiredParam(params, 'outside', 'hostile');
  const port = intParam(params, 'port', 0);
  const loopback = intParam(params, 'loopback', 0);
  return [
    () => callTool('Read', { file_path: key }),
    () => bash(`cat ${shellQuote(key)}`, 'Read the key'),
    () => bash(`curl -sSf -m 5 http://127.0.0.1:${port}/api/health`, "Call Gluon's API"),
    () => callTool('WebFetch', { url: `http://127.0.0.1:${port}/api/health`, prompt: 'What does it say?' }),
    () => bash(connectTo(loopback), 'Open a loopback connection'),
    () => write(`${outside}/planted-by-write.txt`, 'planted\n', null),
    () => bash(`echo planted > ${shellQuote(`${outside}/planted-by-bash.txt`)}`, 'Write outside'),
  ];
}

export const hostileScenarios: Record<string, Scenario> = {
  hostile: {
    summary:
      "tries to Read and cat key=, curl and WebFetch Gluon's API on port=, connect to loopback=, Write and echo into outside=; then reports",
    respond: ({ conversation: c, params }) => {
      const steps = attempts(params);
      if (c.step < steps.length) return steps[c.step]!();
      return finish('I tried every way out I know.');
    },
  },
};
