/**
 * A host as issue 12 has it: several daemons, libvirt's and ours, side by
 * side, as the unprivileged test user. Session daemons share one runtime
 * directory ($XDG_RUNTIME_DIR/libvirt); system-only daemons (and virtproxyd,
 * which would take libvirtd's socket names there) run in system mode with
 * unix_sock_dir in a second directory, never under /run. Each daemon can be
 * killed and started again on the same sockets.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asUser, ensureTestUser, REPO_ROOT, runTool, type TestUser, type ToolResult, VIRTD_BIN } from './tools.js';
import { until } from './until.js';

export interface HostDaemonSpec {
  name: string;
  /** libvirt's binary (/usr/sbin/...) or ours (virtd NAME). */
  ours: boolean;
  mode: 'system' | 'session';
  /** More lines for the daemon's config file (e.g. max_clients). */
  config?: string;
}

export interface MixedDaemon {
  spec: HostDaemonSpec;
  adminSocket: string;
  mainSocket: string;
  adminUri: string;
  pid: number;
  kill(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

export interface MixedHost {
  dir: string;
  user: TestUser;
  env: Record<string, string>;
  sessionDir: string;
  systemDir: string;
  daemons: Record<string, MixedDaemon>;
  /** Runs a tool as the test user with the host's environment. */
  run(cmd: string, args: string[], timeoutMs?: number): Promise<ToolResult>;
  virtAdmin(daemon: string, args: string[]): Promise<ToolResult>;
  stop(): Promise<void>;
}

const prefixOf = (name: string) => (name === 'libvirtd' || name === 'virtproxyd' ? 'libvirt' : name);

function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export async function startMixedHost(specs: HostDaemonSpec[]): Promise<MixedHost> {
  const user = ensureTestUser();
  const dir = mkdtempSync(join(tmpdir(), 'mixed-host-'));
  const env: Record<string, string> = {
    HOME: join(dir, 'home'),
    XDG_RUNTIME_DIR: join(dir, 'run'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    LIBVIRT_AUTOSTART: '0',
  };
  const systemDir = join(dir, 'system');
  for (const d of ['', 'home', 'run', 'config', 'cache', 'system', 'config/libvirt']) {
    mkdirSync(join(dir, d), { recursive: true, mode: 0o700 });
    chownSync(join(dir, d), user.uid, user.gid);
  }
  const sessionDir = join(dir, 'run', 'libvirt');
  const children = new Map<string, ChildProcess>();
  const logs = new Map<string, string>();
  const daemons: Record<string, MixedDaemon> = {};
  for (const spec of specs) {
    const sockets = spec.mode === 'system' ? systemDir : sessionDir;
    const args: string[] = spec.ours ? [spec.name, '--mode', spec.mode] : [];
    if (spec.mode === 'system') {
      const conf = join(dir, `${spec.name}.conf`);
      writeFileSync(conf, `unix_sock_dir = "${systemDir}"\nunix_sock_rw_perms = "0700"\nunix_sock_ro_perms = "0700"\n${spec.config ?? ''}`);
      args.push('-f', conf, '-p', join(systemDir, `${spec.name}.pid`));
    } else if (spec.config) {
      // Session daemons read $XDG_CONFIG_HOME/libvirt/NAME.conf.
      writeFileSync(join(dir, 'config', 'libvirt', `${spec.name}.conf`), spec.config);
      chownSync(join(dir, 'config', 'libvirt', `${spec.name}.conf`), user.uid, user.gid);
    }
    const cmd = spec.ours ? VIRTD_BIN : `/usr/sbin/${spec.name}`;
    const adminSocket = join(sockets, `${prefixOf(spec.name)}-admin-sock`);
    const mainSocket = join(sockets, `${prefixOf(spec.name)}-sock`);
    const start = async () => {
      const [file, argv] = asUser(cmd, args, user.name, env);
      const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
      children.set(spec.name, child);
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
      child.stderr!.setEncoding('utf8').on('data', (s: string) => (out += s));
      logs.set(spec.name, '');
      child.on('exit', () => logs.set(spec.name, out));
      await until(async () => child.exitCode !== null || ((await accepts(adminSocket)) && (await accepts(mainSocket))), { timeoutMs: 20000, message: `${spec.name} listening` }).catch((err: Error) => {
        throw new Error(`${err.message}\n${out}`);
      });
      if (child.exitCode !== null) throw new Error(`${spec.name} exited at start:\n${out}`);
    };
    const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
      const child = children.get(spec.name);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await gone;
    };
    daemons[spec.name] = {
      spec,
      adminSocket,
      mainSocket,
      adminUri: `${spec.name === 'virtproxyd' ? 'libvirtd' : spec.name}:///${spec.mode}?socket=${adminSocket}`,
      get pid() {
        return children.get(spec.name)!.pid!;
      },
      kill,
      start,
    };
  }
  const stop = async () => {
    await Promise.all(Object.values(daemons).map((d) => d.kill('SIGTERM')));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // One at a time: libvirtd would spawn its own helpers if they were not listening yet.
    for (const d of Object.values(daemons)) await d.start();
  } catch (err) {
    await stop();
    throw err;
  }
  const run = (cmd: string, args: string[], timeoutMs?: number) => runTool(cmd, args, { user: user.name, env, timeoutMs });
  return {
    dir,
    user,
    env,
    sessionDir,
    systemDir,
    daemons,
    run,
    virtAdmin: (daemon, args) => run('virt-admin', ['-c', daemons[daemon]!.adminUri, ...args]),
    stop,
  };
}

/** Issue 12's host: libvirt's libvirtd, virtlogd and virtlockd in session mode; ours beside them. */
export const MIXED = [
  { name: 'virtlogd', ours: false, mode: 'session' },
  { name: 'virtlockd', ours: false, mode: 'session' },
  { name: 'libvirtd', ours: false, mode: 'session' },
  { name: 'virtqemud', ours: true, mode: 'session' },
  { name: 'virtnetworkd', ours: true, mode: 'system' },
  { name: 'virtproxyd', ours: true, mode: 'system' },
] as const;

export interface PyHolder {
  pid: number;
  out(): string;
  stop(): void;
}

/** python3 holding one client on each socket, past its first call. */
export async function holdPython(host: MixedHost, sockets: string[]): Promise<PyHolder> {
  const [file, argv] = asUser('python3', [join(REPO_ROOT, 'test', 'helpers', 'py', 'hold_remote.py'), ...sockets], host.user.name, host.env);
  const child: ChildProcess = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (out += s));
  await until(() => out.includes('ready') || child.exitCode !== null, { timeoutMs: 20000, message: 'the python holder' });
  if (!out.includes('ready')) throw new Error(`python holder: ${out}`);
  return { pid: child.pid!, out: () => out, stop: () => child.stdin!.end() };
}

/** The main server's client count as virt-admin sees it. */
export async function clientCount(host: MixedHost, daemon: string): Promise<number> {
  const servers = await host.virtAdmin(daemon, ['srv-list']);
  assert.equal(servers.code, 0, servers.stderr);
  const main = [...servers.stdout.matchAll(/^\s*\d+\s+(\S+)\s*$/gm)].map((m) => m[1]!).find((n) => n !== 'admin')!;
  const info = await host.virtAdmin(daemon, ['srv-clients-info', main]);
  return Number(/nclients\s+: (\d+)/.exec(info.stdout)![1]);
}

/** Client ids of a server, as virt-admin lists them. */
export async function clientIds(host: MixedHost, daemon: string, server: string): Promise<number[]> {
  const r = await host.virtAdmin(daemon, ['client-list', server]);
  assert.equal(r.code, 0, r.stderr);
  return [...r.stdout.matchAll(/^\s*(\d+)\s+\S+\s+\d{4}-/gm)].map((m) => Number(m[1]));
}

