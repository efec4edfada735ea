/**
 * Two daemons on one host for capture tests: Debian's libvirtd 9.0 and our
 * virtqemud, both in session mode as the unprivileged test user, their sockets in
 * one runtime directory (as on a host, so `--daemons all` finds both), and a state
 * directory of that user for the console's journals and captures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { asUser, ensureTestUser, runTool, TUI_BIN, type ToolResult } from '../helpers/tools.js';
import { startVirtd } from '../helpers/virtd.js';

export interface CaptureHost {
  libvirtd: DaemonUnderTest;
  virtqemud: DaemonUnderTest;
  /** The console's environment: the shared runtime directory, its own state directory. */
  env: Record<string, string>;
  stateDir: string;
  journalDir: string;
  /** A directory the test user may create capture directories in. */
  scratch: string;
  virtAdmin(d: DaemonUnderTest, args: string[]): Promise<ToolResult>;
  /** virt-admin-tui as the test user, to completion. */
  tui(args: string[], timeoutMs?: number): Promise<ToolResult>;
  /** virt-admin-tui as the test user, left running; its output collected. */
  spawnTui(args: string[]): { child: ChildProcess; out(): string };
  stop(): Promise<void>;
}

export async function startCaptureHost(): Promise<CaptureHost> {
  const user = ensureTestUser();
  const libvirtd = await startRealLibvirtd();
  const virtqemud = await startVirtd('virtqemud', { asTestUser: true, env: { XDG_RUNTIME_DIR: join(libvirtd.dir, 'run') } });
  const own = (p: string) => {
    mkdirSync(p, { recursive: true, mode: 0o700 });
    chownSync(p, user.uid, user.gid);
    return p;
  };
  const stateDir = own(join(libvirtd.dir, 'state'));
  const scratch = own(join(libvirtd.dir, 'scratch'));
  const env = { ...libvirtd.env, XDG_STATE_HOME: stateDir };
  return {
    libvirtd,
    virtqemud,
    env,
    stateDir,
    journalDir: join(stateDir, 'virt-admin-tui', 'capture-journals'),
    scratch,
    // Each daemon's own admin URI: libvirt's virt-admin is the referee.
    virtAdmin: (d, args) => runTool('virt-admin', ['-c', d.adminUri, ...args], { user: user.name, env }),
    tui: (args, timeoutMs = 30_000) => runTool(process.execPath, [TUI_BIN, ...args], { user: user.name, env, timeoutMs }),
    spawnTui(args) {
      const [file, argv] = asUser(process.execPath, [TUI_BIN, ...args], user.name, env);
      const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
      return { child, out: () => out };
    },
    async stop() {
      await virtqemud.stop();
      await libvirtd.stop();
    },
  };
}

/** What virt-admin says a daemon's filters and outputs are. */
export async function logSettings(h: CaptureHost, d: DaemonUnderTest): Promise<{ filters: string; outputs: string }> {
  const f = await h.virtAdmin(d, ['daemon-log-filters']);
  const o = await h.virtAdmin(d, ['daemon-log-outputs']);
  if (f.code !== 0 || o.code !== 0) throw new Error(`virt-admin failed: ${f.stderr}${o.stderr}`);
  return { filters: /Logging filters: ?(.*)$/m.exec(f.stdout)![1]!.trim(), outputs: /Logging outputs: ?(.*)$/m.exec(o.stdout)![1]!.trim() };
}
