/**
 * Drives remote-peer.js (a scriptable set of REMOTE clients) as the daemon's
 * user: each method sends one command and resolves with its JSON answer.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DaemonUnderTest } from './daemon-under-test.js';
import { asUser, REPO_ROOT } from './tools.js';

const REMOTE_PEER = join(REPO_ROOT, 'dist', 'test', 'helpers', 'remote-peer.js');

export type Answer = { ok?: boolean; value?: any; error?: string; code?: number; closed?: boolean; timeout?: boolean; failed?: string };

export interface Peer {
  connect(id: string, path?: string): Promise<Answer>;
  call(id: string, proc: string, args?: unknown): Promise<Answer>;
  send(id: string, proc: string, args?: unknown): Promise<Answer>;
  next(id: string, proc?: string): Promise<Answer>;
  raw(id: string, bytes: Buffer): Promise<Answer>;
  scram(id: string, user: string, password: string): Promise<Answer>;
  close(id: string): Promise<Answer>;
  closed(id: string, timeoutMs?: number): Promise<boolean>;
  stop(): void;
}

/** A peer process of `d`'s main socket, run as `d`'s user. */
export function startPeer(d: DaemonUnderTest): Peer {
  const [file, argv] = asUser(process.execPath, [REMOTE_PEER], d.user, {});
  const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: ((a: Answer) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(JSON.parse(line) as Answer));
  const ask = (cmd: Record<string, unknown>) =>
    new Promise<Answer>((resolve) => {
      waiting.push(resolve);
      child.stdin.write(`${JSON.stringify(cmd)}\n`);
    });
  const hex = (b: unknown) => (Buffer.isBuffer(b) ? { hex: b.toString('hex') } : b);
  const encodeArgs = (args: unknown) => (args && typeof args === 'object' ? Object.fromEntries(Object.entries(args).map(([k, v]) => [k, hex(v)])) : args);
  return {
    connect: (id, path = d.mainSocket) => ask({ op: 'connect', id, path }),
    call: (id, proc, args) => ask({ op: 'call', id, proc, args: encodeArgs(args) }),
    send: (id, proc, args) => ask({ op: 'send', id, proc, args: encodeArgs(args) }),
    next: (id, proc) => ask({ op: 'next', id, proc }),
    raw: (id, bytes) => ask({ op: 'raw', id, hex: bytes.toString('hex') }),
    scram: (id, user, password) => ask({ op: 'scram', id, user, password }),
    close: (id) => ask({ op: 'close', id }),
    closed: async (id, timeoutMs) => (await ask({ op: 'closed', id, timeoutMs })).closed === true,
    stop: () => child.stdin.end(),
  };
}
