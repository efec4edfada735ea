/**
 * Discovery: which daemons' sockets exist on this host and whether anybody
 * is listening (admin-client issue, scope 4). Each socket is `active`
 * (accepts a connection), `stale` (the file is there, nobody listens),
 * `absent`, or `denied` (we may not connect). The kernel's list of listening
 * sockets answers first, without disturbing the daemon; what it does not list
 * is probed by connecting, in parallel, with short timeouts. The probing is
 * the host's (HostProbe): this machine's below, another one's over SSH; the
 * rules that turn socket states into daemons are the same for both.
 */
import { constants, Stats } from 'node:fs';
import { access, lstat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { adminSocketName, SYSTEM_SOCKET_DIR, sessionSocketDir } from './admin-uri.js';
import { type HostFiles, localFiles } from './host-files.js';
import { KNOWN_DAEMONS, type KnownDaemon, TCP_PORT, TLS_PORT } from './known-daemons.js';
import { ListeningUnixCache, type ListingReuse, lstatEach } from './listening-cache.js';
import { listeningTcpPorts, listeningUnixPaths } from './listening-sockets.js';
import { lockedInodes, pidFileHeld } from './pid-file-locks.js';
import { USER_RUNTIME_ROOT, type UserSessionDir, userSessionDirs } from './user-sessions.js';

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
  /**
   * Reuse this machine's list of listening sockets for up to this long while no socket file
   * changed (listening-cache.ts; a console discovering every second). Default: read every time.
   */
  reuseListingMs?: number;
  /** With reuseListingMs: the caller saw an admin connection drop; read the list anew. */
  recheckListing?: boolean;
}

/** How discovery looks at a host's sockets, asked in bulk (a remote host answers each in one round trip). */
export interface HostProbe {
  /** The state of each path, in order; `reuse`: how long an earlier look at the host's listening sockets may serve. */
  unixSockets(paths: string[], timeoutMs: number, reuse?: ListingReuse): Promise<SocketState[]>;
  /** The state of each TCP port on `host`, in order. */
  tcpPorts(host: string, ports: number[], timeoutMs: number): Promise<SocketState[]>;
  /** The host's files (/proc/locks and pid files tell libvirtd and virtproxyd apart). */
  files: HostFiles;
  /** The URI to attach to a daemon's admin socket found there. */
  adminUri(scheme: string, mode: 'system' | 'session', adminSocket: string): string;
  /** Whether discovery runs as root there (only root may look into other users' runtime directories). */
  runsAsRoot(): boolean;
  /** The users' libvirt runtime directories under `root` there. */
  userSessionDirs(root: string): Promise<UserSessionDir[]>;
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

/**
 * `listening`: the kernel's listening paths, when known; a path listed there is not connected to.
 * `stat`: the path's lstat (or its error) when the caller has it already.
 */
export async function probeUnixSocket(path: string, timeoutMs = 300, listening?: Set<string>, stat?: Stats | NodeJS.ErrnoException): Promise<SocketState> {
  const st = stat ?? (await lstat(path).catch((err: NodeJS.ErrnoException) => err));
  if (!(st instanceof Stats)) return st.code === 'EACCES' ? 'denied' : 'absent';
  if (!st.isSocket()) return 'stale';
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

const localListing = new ListeningUnixCache();

/** This machine: the kernel's lists first, connecting only to what they do not show. */
export const localProbe: HostProbe = {
  async unixSockets(paths, timeoutMs, reuse) {
    const stats = await lstatEach(paths);
    const listening = reuse ? await localListing.listening(paths, stats, reuse) : await listeningUnixPaths();
    return Promise.all(paths.map((p, i) => probeUnixSocket(p, timeoutMs, listening, stats[i])));
  },
  async tcpPorts(host, ports, timeoutMs) {
    const listening = await listeningTcpPorts();
    return Promise.all(ports.map((port) => probeTcp(host, port, timeoutMs, listening)));
  },
  files: localFiles,
  adminUri: (scheme, mode, adminSocket) => `${scheme}:///${mode}?socket=${adminSocket}`,
  runsAsRoot: () => process.geteuid?.() === 0,
  userSessionDirs,
};

/** A daemon's UNIX sockets in a directory, by role. */
function unixSocketsOf(d: KnownDaemon, mode: 'system' | 'session', dir: string): [SocketRole, string][] {
  const unix: [SocketRole, string][] = [['rw', join(dir, `${d.prefix}-sock`)]];
  if (d.hasReadOnly && mode === 'system') unix.push(['ro', join(dir, `${d.prefix}-sock-ro`)]);
  unix.push(['admin', join(dir, adminSocketName(d.name === 'virtproxyd' ? 'libvirtd' : d.name))]);
  return unix;
}

/** Every known daemon in each mode, with the state of each of its sockets, on the probe's host. */
export async function discoverDaemons(opts: DiscoveryOptions = {}, probe: HostProbe = localProbe): Promise<DiscoveredDaemon[]> {
  const o = { tcpHost: opts.tcpHost ?? '127.0.0.1', tcpPort: opts.tcpPort ?? TCP_PORT, tlsPort: opts.tlsPort ?? TLS_PORT, timeoutMs: opts.timeoutMs ?? 300 };
  const dirs = { system: opts.systemDir ?? SYSTEM_SOCKET_DIR, session: opts.sessionDir ?? sessionSocketDir(opts.env ?? process.env) };
  const modes = opts.modes ?? ['system', 'session'];
  const wanted = modes.flatMap((mode) => KNOWN_DAEMONS.map((d) => ({ d, mode, unix: unixSocketsOf(d, mode, dirs[mode]) })));
  const paths = wanted.flatMap((w) => w.unix.map(([, path]) => path));
  const reuse = opts.reuseListingMs === undefined ? undefined : { maxAgeMs: opts.reuseListingMs, recheck: opts.recheckListing };
  const [states, [tcp, tls]] = await Promise.all([probe.unixSockets(paths, o.timeoutMs, reuse), probe.tcpPorts(o.tcpHost, [o.tcpPort, o.tlsPort], o.timeoutMs)]);
  let next = 0;
  const all = wanted.map(({ d, mode, unix }): DiscoveredDaemon => {
    const sockets: DiscoveredSocket[] = unix.map(([role, address]) => ({ role, address, state: states[next++]! }));
    if (d.ip) {
      sockets.push({ role: 'tcp', address: `${o.tcpHost}:${o.tcpPort}`, state: tcp! });
      sockets.push({ role: 'tls', address: `${o.tcpHost}:${o.tlsPort}`, state: tls! });
    }
    const scheme = d.name === 'virtproxyd' ? 'libvirtd' : d.name;
    const admin = unix.find(([role]) => role === 'admin')![1];
    return { name: d.name, mode, sockets, adminUri: probe.adminUri(scheme, mode, admin), running: sockets.some((s) => s.state === 'active') };
  });
  // A daemon that refuses a mode is listed in it only if something is really there (a socket file, at least).
  const present = (d: DiscoveredDaemon) => d.sockets.some((s) => s.state !== 'absent' && s.role !== 'tcp' && s.role !== 'tls');
  const found = all.filter((d) => KNOWN_DAEMONS.find((k) => k.name === d.name)!.modes.includes(d.mode) || present(d));
  await attributeSharedSockets(found, dirs.session, dirs.system, probe.files);
  if (!(opts.allUsers ?? probe.runsAsRoot()) || !modes.includes('session')) return found;
  // Other users' session daemons: only those with something really there (a user has no row per known daemon).
  const sessionKinds = KNOWN_DAEMONS.filter((k) => k.modes.includes('session'));
  for (const { uid, dir } of await probe.userSessionDirs(opts.userRuntimeRoot ?? USER_RUNTIME_ROOT)) {
    if (dir === dirs.session) continue;
    const theirs = sessionKinds.map((d) => ({ d, unix: unixSocketsOf(d, 'session', dir) }));
    const theirStates = await probe.unixSockets(theirs.flatMap((t) => t.unix.map(([, path]) => path)), o.timeoutMs, reuse);
    let at = 0;
    const there = theirs
      .map(({ d, unix }): DiscoveredDaemon => {
        const sockets: DiscoveredSocket[] = unix.map(([role, address]) => ({ role, address, state: theirStates[at++]! }));
        const admin = unix.find(([role]) => role === 'admin')![1];
        const scheme = d.name === 'virtproxyd' ? 'libvirtd' : d.name;
        return { name: d.name, mode: 'session', sockets, adminUri: probe.adminUri(scheme, 'session', admin), running: sockets.some((s) => s.state === 'active'), uid };
      })
      .filter(present);
    await attributeSharedSockets(there, dir, dirs.system, probe.files);
    found.push(...there);
  }
  return found;
}

/**
 * libvirtd and virtproxyd listen on the same socket paths: whichever holds its pid file
 * (system: /run/NAME.pid or beside the sockets, session: beside the sockets) is the one running; the other is
 * marked as not running, its sockets held by the first.
 */
async function attributeSharedSockets(found: DiscoveredDaemon[], sessionDir: string, systemDir: string, files: HostFiles): Promise<void> {
  const locked = await lockedInodes(files);
  if (!locked) return;
  for (const mode of ['system', 'session'] as const) {
    const pair = found.filter((d) => d.mode === mode && (d.name === 'libvirtd' || d.name === 'virtproxyd') && d.running);
    if (pair.length !== 2) continue;
    // A system daemon given unix_sock_dir may keep its pid file beside its sockets (-p).
    const pidFiles = (name: string) => (mode === 'system' ? [join('/run', `${name}.pid`), join(systemDir, `${name}.pid`)] : [join(sessionDir, `${name}.pid`)]);
    const held = await Promise.all(pair.map(async (d) => (await Promise.all(pidFiles(d.name).map((f) => pidFileHeld(f, locked, files)))).some(Boolean)));
    if (held[0] === held[1]) continue; // both or neither: cannot tell them apart
    const [owner, other] = held[0] ? [pair[0]!, pair[1]!] : [pair[1]!, pair[0]!];
    other.running = false;
    other.socketsHeldBy = owner.name;
  }
}
