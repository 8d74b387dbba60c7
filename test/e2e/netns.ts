/**
 * A machine of its own for a test worker: a Linux network namespace joined to this one by a veth pair
 * (10.231.N.1 here, 10.231.N.2 there). Inside it, 127.0.0.1 is the namespace's own loopback, so the worker
 * reaches the database and the fake Anthropic API only over that link, through small TCP relays listening
 * on this side's address; cutting the link (`ip link set … down`) is a network cut: packets are dropped,
 * nothing is refused, connections hang. Needs root and `ip`; `namespacesAvailable()` says whether they are.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ip = (...args: string[]) => run('ip', args);

export interface Machine {
  /** The namespace's name. */
  ns: string;
  /** Argv that runs a command inside the namespace: `[...exec, command, ...args]`. */
  exec: string[];
  /** `url` (a 127.0.0.1 address on this side) as the machine reaches it: through a relay over the link. */
  expose(url: string): Promise<string>;
  /** Drops every packet between the machine and the rest (both directions), until `heal`. */
  cut(): Promise<void>;
  heal(): Promise<void>;
  /** The ids of the processes running inside the namespace. */
  pids(): Promise<number[]>;
  close(): Promise<void>;
}

/** Whether this process may create network namespaces (root, with `ip` installed). */
export function namespacesAvailable(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let made = 0;

/** Creates a namespace with its link up and its loopback up. */
export async function createMachine(): Promise<Machine> {
  const id = randomBytes(3).toString('hex');
  const ns = `gluon-${id}`;
  const net24 = `10.231.${(process.pid + made++) % 250}`;
  const here = `gv${id}h`;
  const there = `gv${id}n`;
  const hostIp = `${net24}.1`;
  await ip('netns', 'add', ns);
  await ip('link', 'add', here, 'type', 'veth', 'peer', 'name', there);
  await ip('link', 'set', there, 'netns', ns);
  await ip('addr', 'add', `${hostIp}/30`, 'dev', here);
  await ip('link', 'set', here, 'up');
  await ip('-n', ns, 'addr', 'add', `${net24}.2/30`, 'dev', there);
  await ip('-n', ns, 'link', 'set', there, 'up');
  await ip('-n', ns, 'link', 'set', 'lo', 'up');
  const relays: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  return {
    ns,
    exec: ['ip', 'netns', 'exec', ns],
    async expose(url) {
      const target = new URL(url);
      const relay = net.createServer((inbound) => {
        const outbound = net.connect(Number(target.port), target.hostname);
        for (const s of [inbound, outbound]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        inbound.pipe(outbound).pipe(inbound);
        inbound.on('close', () => outbound.destroy());
        outbound.on('close', () => inbound.destroy());
      });
      await new Promise<void>((resolve) => relay.listen(0, hostIp, resolve));
      relays.push(relay);
      const exposed = new URL(url);
      exposed.hostname = hostIp;
      exposed.port = String((relay.address() as net.AddressInfo).port);
      return exposed.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
    },
    cut: async () => void (await ip('link', 'set', here, 'down')),
    heal: async () => void (await ip('link', 'set', here, 'up')),
    async pids() {
      const { stdout } = await ip('netns', 'pids', ns);
      return stdout.split('\n').filter(Boolean).map(Number);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(relays.map((r) => new Promise((resolve) => r.close(resolve))));
      await ip('netns', 'del', ns).catch(() => undefined);
      await ip('link', 'del', here).catch(() => undefined);
    },
  };
}
