/**
 * Starts hold-clients.js as the daemon's user: `count` clients of its main
 * socket, each past its first call, kept until `stop()`. `drop()` closes the
 * newest; `closed()` lists the ones the daemon closed; `out()` is what the
 * process printed ("dropped <epoch ms>" lines included).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { DaemonUnderTest } from './daemon-under-test.js';
import { asUser, REPO_ROOT } from './tools.js';
import { until } from './until.js';

const HOLD_CLIENTS = join(REPO_ROOT, 'dist', 'test', 'helpers', 'hold-clients.js');

export interface ClientHolder {
  pid: number;
  out(): string;
  closed(): number[];
  drop(): void;
  stop(): void;
}

/** `silent`: that many more clients that connect and never make a call (no identity yet). */
export async function holdClients(d: DaemonUnderTest, count: number, timeoutMs = 60000, silent = 0): Promise<ClientHolder> {
  const [file, argv] = asUser(process.execPath, [HOLD_CLIENTS, d.mainSocket, String(count), String(silent)], d.user, {});
  const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
  let exited = false;
  child.once('exit', () => (exited = true));
  await until(() => out.includes('ready') || exited, { timeoutMs, message: `clients of ${d.mainSocket}` });
  if (!out.includes('ready')) throw new Error(`the client holder exited before it was ready: ${out}`);
  return {
    pid: child.pid!,
    out: () => out,
    closed: () => [...out.matchAll(/closed (\d+)/g)].map((m) => Number(m[1])),
    drop: () => child.stdin.write('drop\n'),
    stop: () => child.stdin.end(),
  };
}
