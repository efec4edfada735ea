/**
 * A remote host for tests: Debian's real sshd on 127.0.0.1 with its own host
 * key, config and authorized_keys in a temp dir, and the daemons "on" it
 * reached through it. sshd runs as the login user itself (an sshd that is not
 * root logs in only its own user and needs no /run/sshd, so nothing outside
 * temp dirs is touched). Each host has its own XDG_RUNTIME_DIR (sshd's
 * SetEnv), so two sshd on two ports are two hosts with different daemons.
 * The ssh client side (identity, known_hosts, ssh_config) lives in its own
 * temp dir, so tests never read or write ~/.ssh.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { asUser, ensureUser, type TestUser } from './tools.js';
import { until } from './until.js';

/**
 * The login user of test sshds: a shell (/bin/sh, to run commands) and a password field that
 * is not locked ('*': no password login either), which sshd without PAM insists on.
 */
export function ensureSshUser(name = 'virtssh'): TestUser {
  return ensureUser(name, ['-s', '/bin/sh', '-p', '*']);
}

/** The operator's side: an identity, a known_hosts file and an ssh_config naming both. */
export interface SshClientFiles {
  dir: string;
  configFile: string;
  knownHosts: string;
  identity: string;
  publicKey: string;
  cleanup(): void;
}

export function makeSshClient(): SshClientFiles {
  const dir = mkdtempSync(join(tmpdir(), 'ssh-client-'));
  const identity = join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'virt-admin-tui test', '-f', identity]);
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, '', { mode: 0o600 });
  const configFile = join(dir, 'ssh_config');
  writeFileSync(configFile, `Host *\n  IdentityFile ${identity}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${knownHosts}\n  StrictHostKeyChecking yes\n`);
  return { dir, configFile, knownHosts, identity, publicKey: readFileSync(`${identity}.pub`, 'utf8'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SshHostUnderTest {
  port: number;
  user: TestUser;
  /** The host's XDG_RUNTIME_DIR: daemons started for it get it in their environment. */
  runtimeDir: string;
  /** The login's XDG_STATE_HOME there. */
  stateDir: string;
  /** Environment for a daemon on this host (startVirtd/startRealLibvirtd's env). */
  daemonEnv: Record<string, string>;
  /** The admin URI of a daemon in session mode on this host. */
  uri(daemon?: string, query?: string): string;
  logs(): string;
  /** Stops sshd and every connection it serves (their processes die, so clients see the drop at once). */
  halt(): Promise<void>;
  /** Starts it again on the same port with the same keys. */
  start(): Promise<void>;
  /** SIGSTOP to sshd and every connection it serves: a host gone silent, its sockets still open. */
  freeze(): void;
  /** SIGCONT to what freeze() stopped. */
  thaw(): void;
  /** A new host key, as a reinstalled host would have (known_hosts still holds the old one). */
  replaceHostKey(): void;
  stop(): Promise<void>;
}

/** How a hosts file and the fleet view name the host: `user@127.0.0.1:port`. */
export const hostName = (h: SshHostUnderTest) => `${h.user.name}@127.0.0.1:${h.port}`;

/** A host's lines in the fleet view: name and counts, figures, then its warnings and problem, if any. */
export function fleetRow(screen: string, h: SshHostUnderTest): string {
  const lines = screen.split('\n');
  const at = lines.findIndex((l) => l.includes(hostName(h)));
  return at === -1 ? '' : lines.slice(at, at + 4).join('\n').split(/\n(?=[▶ ] \S)/)[0]!;
}

/** The pids of every process below `pid` (sshd's per-connection processes). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export async function startSshHost(client: SshClientFiles, user: TestUser = ensureSshUser()): Promise<SshHostUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'sshd-host-'));
  chmodSync(dir, 0o755);
  const runtimeDir = join(dir, 'run');
  mkdirSync(runtimeDir, { mode: 0o700 });
  // The login's state directory (its home is /nonexistent): where a debug capture's files go by default.
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir, { mode: 0o700 });
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  const makeHostKey = () => {
    rmSync(hostKey, { force: true });
    rmSync(`${hostKey}.pub`, { force: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    chownSync(hostKey, user.uid, user.gid);
  };
  makeHostKey();
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, client.publicKey);
  chownSync(runtimeDir, user.uid, user.gid);
  chownSync(stateDir, user.uid, user.gid);
  chownSync(authorizedKeys, user.uid, user.gid);
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      // StrictModes would refuse keys below /tmp (world-writable) for a user whose home is elsewhere.
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PidFile none',
      'MaxStartups 100',
      `SetEnv XDG_RUNTIME_DIR=${runtimeDir} XDG_STATE_HOME=${stateDir}`,
      '',
    ].join('\n'),
  );
  appendFileSync(client.knownHosts, `[127.0.0.1]:${port} ${readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);

  let child: ChildProcess | undefined;
  let log = '';
  let exited = true;
  const start = async () => {
    const [file, argv] = asUser('/usr/sbin/sshd', ['-f', config, '-D', '-e'], user.name, {});
    const current = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = current;
    exited = false;
    current.stdout!.setEncoding('utf8').on('data', (d: string) => (log += d));
    current.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
    current.on('exit', () => {
      if (child === current) exited = true;
    });
    await until(async () => exited || (await accepts(port)), { timeoutMs: 10000, message: 'sshd listening' });
    if (exited) throw new Error(`sshd did not start:\n${log}`);
  };
  const halt = async () => {
    if (!child || exited) return;
    const all = [child.pid!, ...descendants(child.pid!)];
    for (const pid of all) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await until(() => exited && all.every((pid) => !isAlive(pid)), { timeoutMs: 5000, message: 'sshd and its sessions gone' });
  };
  const signalAll = (signal: NodeJS.Signals) => {
    if (!child || exited) return;
    for (const pid of [child.pid!, ...descendants(child.pid!)]) {
      try {
        process.kill(pid, signal);
      } catch {
        // gone meanwhile
      }
    }
  };
  await start();
  return {
    port,
    user,
    runtimeDir,
    stateDir,
    daemonEnv: { XDG_RUNTIME_DIR: runtimeDir },
    uri: (daemon = 'libvirtd', query) => `${daemon}+ssh://${user.name}@127.0.0.1:${port}/session${query ? `?${query}` : ''}`,
    logs: () => log,
    halt,
    start,
    freeze: () => signalAll('SIGSTOP'),
    thaw: () => signalAll('SIGCONT'),
    replaceHostKey: makeHostKey,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether /proc still has the process (a zombie counts as gone: it holds no sockets). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
