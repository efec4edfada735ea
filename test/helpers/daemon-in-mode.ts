/**
 * One of our daemons in system or session mode without touching /run: system
 * mode gets a config with unix_sock_dir and a pid file in a temp dir, session
 * mode a temp XDG_RUNTIME_DIR. Everything is removed after the test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnVirtd, type VirtdProcess, waitForListening } from './spawn-virtd.js';

export interface DaemonInMode {
  /** Where its sockets are. */
  sockets: string;
  env: Record<string, string>;
  process: VirtdProcess;
}

export async function startInMode(
  t: { after(fn: () => unknown): void },
  name: string,
  prefix: string,
  mode: 'system' | 'session',
): Promise<DaemonInMode> {
  const dir = mkdtempSync(join(tmpdir(), `virtd-${name}-${mode}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, XDG_RUNTIME_DIR: join(dir, 'run'), XDG_CONFIG_HOME: join(dir, 'config') };
  mkdirSync(env.XDG_RUNTIME_DIR!, { mode: 0o700 });
  const sockets = mode === 'system' ? join(dir, 'sockets') : join(env.XDG_RUNTIME_DIR!, 'libvirt');
  const args = [name, '--mode', mode];
  if (mode === 'system') {
    writeFileSync(join(dir, `${name}.conf`), `unix_sock_dir = "${sockets}"\nlog_outputs = "3:file:${join(dir, `${name}.log`)}"\n`);
    args.push('-f', join(dir, `${name}.conf`), '-p', join(dir, `${name}.pid`));
  }
  const p = spawnVirtd(args, env);
  t.after(() => p.stop());
  await waitForListening(p, join(sockets, `${prefix}-admin-sock`));
  return { sockets, env, process: p };
}
