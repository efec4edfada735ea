/**
 * A daemon started for a test, real libvirtd's or ours, with everything in a
 * fresh temporary directory: the shape the parity tests compare.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asUser, runTool, type ToolResult } from './tools.js';
import { until } from './until.js';

export interface DaemonUnderTest {
  dir: string;
  runtimeDir: string;
  mainSocket: string;
  adminSocket: string;
  adminUri: string;
  mainUri: string;
  user: string | undefined;
  env: Record<string, string>;
  pid: number;
  logs(): string;
  /** The exit code once the daemon has exited on its own or been stopped; undefined while it runs. */
  exitStatus(): number | null | undefined;
  virtAdmin(args: string[]): Promise<ToolResult>;
  virsh(args: string[]): Promise<ToolResult>;
  /** Runs any command as the daemon's user with its environment (and `extraEnv` on top). */
  run(cmd: string, args: string[], timeoutMs?: number, extraEnv?: Record<string, string>): Promise<ToolResult>;
  /** Stops the daemon (SIGTERM) and keeps its directory, so that `start` brings it back on the same sockets. */
  halt(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The daemon stopped on its own before its sockets were up: a start-up refusal, with what it said. */
export class DaemonExited extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly log: string,
    cmd: string,
  ) {
    super(`${cmd} exited at start (${exitCode}):\n${log}`);
  }
}

export interface LaunchSpec {
  cmd: string;
  args: string[];
  user?: { name: string; uid: number; gid: number };
  config?: { name: string; text: string };
  extraEnv?: Record<string, string>;
  /** Socket file names under the runtime dir. */
  mainName: string;
  adminName: string;
  /**
   * TCP ports (on tcpHost) that must accept too before the daemon counts as started:
   * libvirtd binds its UNIX sockets before it sets up TLS, and may still refuse to start.
   */
  tcpPorts?: number[];
  /** Where those ports listen (listen_addr); 127.0.0.1 unless said. */
  tcpHost?: string;
}

function socketAccepts(path: string | number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = typeof path === 'number' ? connect(path, host) : connect(path);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    // A probe that neither connects nor fails must not stall the wait for the daemon.
    const timer = setTimeout(() => done(false), 1000);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/**
 * Writes a session daemon's config file NAME in `dir`/config/libvirt (its XDG_CONFIG_HOME's),
 * that directory owned by `user` when given; returns the file's path.
 */
export function writeSessionConfig(dir: string, name: string, text: string, user?: { uid: number; gid: number }): string {
  const confDir = join(dir, 'config', 'libvirt');
  mkdirSync(confDir, { recursive: true, mode: 0o700 });
  if (user) chownSync(confDir, user.uid, user.gid);
  const file = join(confDir, name);
  writeFileSync(file, text);
  return file;
}

export async function launchDaemon(spec: LaunchSpec): Promise<DaemonUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-test-'));
  const env: Record<string, string> = {
    HOME: join(dir, 'home'),
    XDG_RUNTIME_DIR: join(dir, 'run'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_DATA_HOME: join(dir, 'data'),
    LIBVIRT_AUTOSTART: '0',
    ...spec.extraEnv,
  };
  for (const d of ['home', 'run', 'config', 'cache', 'data']) mkdirSync(join(dir, d), { mode: 0o700 });
  if (spec.config) writeSessionConfig(dir, spec.config.name, spec.config.text);
  if (spec.user) {
    for (const d of ['', 'home', 'run', 'config', 'cache', 'data', 'config/libvirt']) {
      try {
        chownSync(join(dir, d), spec.user.uid, spec.user.gid);
      } catch {
        // config/libvirt exists only with a config
      }
    }
  }
  // A test may put several daemons in one runtime directory (extraEnv XDG_RUNTIME_DIR), as on a host.
  const runtimeDir = join(env.XDG_RUNTIME_DIR!, 'libvirt');
  const mainSocket = join(runtimeDir, spec.mainName);
  const adminSocket = join(runtimeDir, spec.adminName);
  const [file, argv] = asUser(spec.cmd, spec.args, spec.user?.name, env);
  let child: ChildProcess;
  let log = '';
  let exited = true;
  let exitCode: number | null = null;
  const start = async () => {
    const current = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = current;
    exited = false;
    current.stdout!.setEncoding('utf8').on('data', (d: string) => (log += d));
    current.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
    // Only this start's process: a late exit of the one before must not look like this one failing.
    current.on('exit', (code, signal) => {
      if (child !== current) return;
      exited = true;
      exitCode = code;
      if (signal) log += `\n[killed by ${signal}]`;
    });
    try {
      const ready = async () => {
        for (const where of [adminSocket, mainSocket, ...(spec.tcpPorts ?? [])]) if (!(await socketAccepts(where, spec.tcpHost))) return false;
        return true;
      };
      await until(async () => exited || (await ready()), {
        timeoutMs: 10000,
        message: `${spec.cmd} sockets`,
      });
    } catch (err) {
      child.kill('SIGKILL');
      throw new Error(`${spec.cmd} did not start: ${(err as Error).message}\n${log}`);
    }
    if (exited) {
      rmSync(dir, { recursive: true, force: true });
      throw new DaemonExited(exitCode, log, spec.cmd);
    }
  };
  const halt = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    await until(() => exited, { timeoutMs: 10000, message: `${spec.cmd} to exit` }).catch(async () => {
      child.kill('SIGKILL');
      await until(() => exited, { timeoutMs: 5000, message: `${spec.cmd} to die` });
    });
  };
  await start();
  const user = spec.user?.name;
  const run = (cmd: string, args: string[], timeoutMs?: number, extraEnv?: Record<string, string>) =>
    runTool(cmd, args, { user, env: { ...env, ...extraEnv }, timeoutMs });
  const adminUri = `libvirtd:///session?socket=${adminSocket}`;
  const mainUri = `qemu:///session?socket=${mainSocket}`;
  return {
    dir,
    runtimeDir,
    mainSocket,
    adminSocket,
    adminUri,
    mainUri,
    user,
    env,
    // setpriv execs the daemon in place: this is the daemon's own pid.
    get pid() {
      return child.pid!;
    },
    logs: () => log,
    exitStatus: () => (exited ? exitCode : undefined),
    virtAdmin: (args) => run('virt-admin', ['-c', adminUri, ...args]),
    virsh: (args) => run('virsh', ['-c', mainUri, ...args], 30000),
    run,
    halt,
    start,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
