/**
 * Discovery: which daemons' sockets exist on this host and whether anybody
 * is listening (admin-client issue, scope 4). Each socket is `active`
 * (accepts a connection), `stale` (the file is there, nobody listens),
 * `absent`, or `denied` (we may not connect). The kernel's list of listening
 * sockets answers first, without disturbing the daemon; what it does not list
 * is probed by connecting, in parallel, with short timeouts.
 */
import { constants } from 'node:fs';
import { access, lstat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { adminSocketName, SYSTEM_SOCKET_DIR, sessionSocketDir } from './admin-uri.js';
import { KNOWN_DAEMONS, type KnownDaemon, TCP_PORT, TLS_PORT } from './known-daemons.js';
import { listeningTcpPorts, listeningUnixPaths } from './listening-sockets.js';
import { lockedInodes, pidFileHeld } from './pid-file-locks.js';
import { USER_RUNTIME_ROOT, userSessionDirs } from './user-sessions.js';

export type SocketState = 'active' | 'stale' | 'absent' | 'denied';
export type SocketRole = 'rw' | 'ro' | 'admin' | 'tcp' | 'tls';

export interface DiscoveredSocket {
  role: SocketRole;
  /** A path for UNIX sockets, "host:port" for TCP/TLS. */
  address: string;
  state: SocketState;
}

export interface DiscoveredDaemon {
  name: string;
  mode: 'system' | 'session';
  sockets: DiscoveredSocket[];
  /** The URI virt-admin and virt-admin-tui attach with. */
  adminUri: string;
  /** At least one socket is active (and, where sockets are shared, its pid file is held). */
  running: boolean;
  /** Its sockets are active but another daemon holds them (libvirtd and virtproxyd share paths). */
  socketsHeldBy?: string;
  /** A session daemon of another user, found in that user's runtime directory (run as root). */
  uid?: number;
}

export interface DiscoveryOptions {
  systemDir?: string;
  sessionDir?: string;
  modes?: ('system' | 'session')[];
  /** Where TCP/TLS are probed; default 127.0.0.1 with libvirt's ports. */
  tcpHost?: string;
  tcpPort?: number;
  tlsPort?: number;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /**
   * Also every user's session daemons, in USER_RUNTIME_ROOT/UID/libvirt (default: when
   * running as root, who alone may look there).
   */
  allUsers?: boolean;
  /** Where the users' runtime directories are; default /run/user. */
  userRuntimeRoot?: string;
}

function probe(open: () => Socket, timeoutMs: number): Promise<SocketState> {
  return new Promise((resolve) => {
    const s = open();
    const done = (state: SocketState) => {
      clearTimeout(timer);
      s.destroy();
      resolve(state);
    };
    const timer = setTimeout(() => done('stale'), timeoutMs);
    s.once('connect', () => done('active'));
    s.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EACCES' || err.code === 'EPERM') done('denied');
      else if (err.code === 'EAGAIN') done('active'); // listening, backlog full
      else done(err.code === 'ENOENT' ? 'absent' : 'stale');
    });
  });
}

/** `listening`: the kernel's listening paths, when known; a path listed there is not connected to. */
export async function probeUnixSocket(path: string, timeoutMs = 300, listening?: Set<string>): Promise<SocketState> {
  try {
    const st = await lstat(path);
    if (!st.isSocket()) return 'stale';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EACCES' ? 'denied' : 'absent';
  }
  if (listening?.has(path)) {
    // connect(2) on a UNIX socket needs write permission on its file.
    return access(path, constants.W_OK).then(
      () => 'active',
      () => 'denied',
    );
  }
  return probe(() => connect(path), timeoutMs);
}

/** `listening`: ports the kernel lists in LISTEN state on this host, when known. */
export async function probeTcp(host: string, port: number, timeoutMs = 300, listening?: Set<number>): Promise<SocketState> {
  if (listening && isLocal(host)) return listening.has(port) ? 'active' : 'absent';
  const state = await probe(() => connect({ host, port }), timeoutMs);
  // Nothing listening on a port is "absent": there is no file to be stale.
  return state === 'stale' ? 'absent' : state;
}

function isLocal(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

async function discoverOne(d: KnownDaemon, mode: 'system' | 'session', dir: string, o: Required<Pick<DiscoveryOptions, 'tcpHost' | 'tcpPort' | 'tlsPort' | 'timeoutMs'>>, tcp: SocketState, tls: SocketState, listening: Set<string> | undefined): Promise<DiscoveredDaemon> {
  const unix: [SocketRole, string][] = [['rw', join(dir, `${d.prefix}-sock`)]];
  if (d.hasReadOnly && mode === 'system') unix.push(['ro', join(dir, `${d.prefix}-sock-ro`)]);
  const admin = join(dir, adminSocketName(d.name === 'virtproxyd' ? 'libvirtd' : d.name));
  unix.push(['admin', admin]);
  const sockets: DiscoveredSocket[] = await Promise.all(
    unix.map(async ([role, address]) => ({ role, address, state: await probeUnixSocket(address, o.timeoutMs, listening) })),
  );
  if (d.ip) {
    sockets.push({ role: 'tcp', address: `${o.tcpHost}:${o.tcpPort}`, state: tcp });
    sockets.push({ role: 'tls', address: `${o.tcpHost}:${o.tlsPort}`, state: tls });
  }
  const scheme = d.name === 'virtproxyd' ? 'libvirtd' : d.name;
  return { name: d.name, mode, sockets, adminUri: `${scheme}:///${mode}?socket=${admin}`, running: sockets.some((s) => s.state === 'active') };
}

/** Every known daemon in each mode, with the state of each of its sockets. */
export async function discoverDaemons(opts: DiscoveryOptions = {}): Promise<DiscoveredDaemon[]> {
  const o = { tcpHost: opts.tcpHost ?? '127.0.0.1', tcpPort: opts.tcpPort ?? TCP_PORT, tlsPort: opts.tlsPort ?? TLS_PORT, timeoutMs: opts.timeoutMs ?? 300 };
  const dirs = { system: opts.systemDir ?? SYSTEM_SOCKET_DIR, session: opts.sessionDir ?? sessionSocketDir(opts.env ?? process.env) };
  const [unixListening, tcpListening] = await Promise.all([listeningUnixPaths(), listeningTcpPorts()]);
  const [tcp, tls] = await Promise.all([probeTcp(o.tcpHost, o.tcpPort, o.timeoutMs, tcpListening), probeTcp(o.tcpHost, o.tlsPort, o.timeoutMs, tcpListening)]);
  const modes = opts.modes ?? ['system', 'session'];
  const all = await Promise.all(modes.flatMap((mode) => KNOWN_DAEMONS.map((d) => discoverOne(d, mode, dirs[mode], o, tcp, tls, unixListening))));
  // A daemon that refuses a mode is listed in it only if something is really there (a socket file, at least).
  const present = (d: DiscoveredDaemon) => d.sockets.some((s) => s.state !== 'absent' && s.role !== 'tcp' && s.role !== 'tls');
  const found = all.filter((d) => KNOWN_DAEMONS.find((k) => k.name === d.name)!.modes.includes(d.mode) || present(d));
  await attributeSharedSockets(found, dirs.session, dirs.system);
  if (!(opts.allUsers ?? process.geteuid?.() === 0) || !modes.includes('session')) return found;
  // Other users' session daemons: only those with something really there (a user has no row per known daemon).
  for (const { uid, dir } of await userSessionDirs(opts.userRuntimeRoot ?? USER_RUNTIME_ROOT)) {
    if (dir === dirs.session) continue;
    const theirs = await Promise.all(KNOWN_DAEMONS.filter((k) => k.modes.includes('session')).map((k) => discoverOne(k, 'session', dir, o, tcp, tls, unixListening)));
    const there = theirs.filter(present).map((d) => ({ ...d, uid, sockets: d.sockets.filter((s) => s.role !== 'tcp' && s.role !== 'tls') }));
    await attributeSharedSockets(there, dir, dirs.system);
    found.push(...there);
  }
  return found;
}

/**
 * libvirtd and virtproxyd listen on the same socket paths: whichever holds its pid file
 * (system: /run/NAME.pid or beside the sockets, session: beside the sockets) is the one running; the other is
 * marked as not running, its sockets held by the first.
 */
async function attributeSharedSockets(found: DiscoveredDaemon[], sessionDir: string, systemDir: string): Promise<void> {
  const locked = await lockedInodes();
  if (!locked) return;
  for (const mode of ['system', 'session'] as const) {
    const pair = found.filter((d) => d.mode === mode && (d.name === 'libvirtd' || d.name === 'virtproxyd') && d.running);
    if (pair.length !== 2) continue;
    // A system daemon given unix_sock_dir may keep its pid file beside its sockets (-p).
    const pidFiles = (name: string) => (mode === 'system' ? [join('/run', `${name}.pid`), join(systemDir, `${name}.pid`)] : [join(sessionDir, `${name}.pid`)]);
    const held = await Promise.all(pair.map(async (d) => (await Promise.all(pidFiles(d.name).map((f) => pidFileHeld(f, locked)))).some(Boolean)));
    if (held[0] === held[1]) continue; // both or neither: cannot tell them apart
    const [owner, other] = held[0] ? [pair[0]!, pair[1]!] : [pair[1]!, pair[0]!];
    other.running = false;
    other.socketsHeldBy = owner.name;
  }
}
