/** Starting `virtd` with arbitrary arguments and waiting for a socket or for its exit. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { VIRTD_BIN } from './tools.js';
import { until } from './until.js';

export interface VirtdProcess {
  child: ChildProcess;
  output(): string;
  exited(): boolean;
  exitCode(): number | null;
  waitExit(timeoutMs?: number): Promise<number | null>;
  stop(): Promise<void>;
}

/** `bin`: an installed `virtd` executable to run instead of this checkout's. */
export function spawnVirtd(args: string[], env: NodeJS.ProcessEnv, bin?: string): VirtdProcess {
  const [cmd, argv] = bin ? [bin, args] : [process.execPath, [VIRTD_BIN, ...args]];
  const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let done = false;
  let code: number | null = null;
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.on('exit', (c) => {
    done = true;
    code = c;
  });
  const waitExit = async (timeoutMs = 5000) => {
    await until(() => done, { timeoutMs, message: 'virtd to exit' });
    return code;
  };
  return {
    child,
    output: () => out,
    exited: () => done,
    exitCode: () => code,
    waitExit,
    async stop() {
      if (!done) child.kill('SIGTERM');
      await waitExit(10000).catch(() => child.kill('SIGKILL'));
    },
  };
}

export async function waitForSocket(p: VirtdProcess, path: string, timeoutMs = 5000): Promise<void> {
  await until(() => p.exited() || existsSync(path), { timeoutMs, message: path });
  if (p.exited()) throw new Error(`virtd exited: ${p.output()}`);
}

/**
 * Waits until the socket accepts a connection: its file appears at bind, a moment before
 * the daemon listens. The probe connection is closed at once (the daemon counts it as a
 * client that came and went).
 */
export async function waitForListening(p: VirtdProcess, path: string, timeoutMs = 10000): Promise<void> {
  await waitForSocket(p, path, timeoutMs);
  const accepts = () =>
    new Promise<boolean>((resolve) => {
      const s = connect(path);
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
  await until(async () => p.exited() || (await accepts()), { timeoutMs, message: `${path} accepting` });
  if (p.exited()) throw new Error(`virtd exited: ${p.output()}`);
}
