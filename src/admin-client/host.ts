/**
 * Where daemons live (docs/architecture.md, "targets, hosts, fleet"): this
 * machine, or another one reached over SSH. Everything above this interface
 * (the host dashboard, the host-wide client table, the fleet) is the same for
 * both: it discovers daemons, attaches admin clients, and asks who the
 * process behind a local peer is, through the host that holds them.
 *
 * LocalHost is this machine. A remote implementation (OpenSSH, one ssh process
 * per host) provides the same operations over its connection.
 */
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { AdminClient, type AdminClientOptions } from './admin-client.js';
import { type DaemonProcess, findDaemonProcess } from './daemon-process.js';
import { type DiscoveredDaemon, discoverDaemons, type DiscoveryOptions } from './discovery.js';
import { checkHelperReexec, type ReexecCheck, signalReexec } from './helper-reexec.js';
import { type HostFiles, localFiles } from './host-files.js';

/** The process behind a client's connection, as the host's /proc shows it. */
export interface PeerProcess {
  pid: number;
  /** The command name (comm), e.g. virsh. */
  command: string;
  /** Its arguments, argv[0] first; empty when the process hides them. */
  args: string[];
}

/** A process on the host, as its /proc shows it. */
export interface ProcessInfo extends PeerProcess {
  /** Its real uid. */
  uid: number;
  /** Its environment, when this user may read it (the same uid, or root). */
  env?: Record<string, string>;
}

export interface FileStat {
  size: number;
  /** A file renamed away and created anew (logrotate) has a new inode. */
  ino: number;
  mtimeMs: number;
}

export interface Host {
  /** "localhost", or the SSH destination as the operator wrote it. */
  readonly name: string;
  /** Which daemons and sockets exist there, and which are active. */
  discover(opts?: DiscoveryOptions): Promise<DiscoveredDaemon[]>;
  /** An admin client for one of its daemons, by admin URI (virt-admin's syntax; undefined: the default URI). */
  connect(uri: string | undefined, opts?: AdminClientOptions): Promise<AdminClient>;
  /**
   * Who is behind a client's connection: read only when the process still belongs to the
   * uid the daemon reported, so a reused pid never puts a wrong name beside a client.
   */
  peerProcess(pid: number, uid: number | undefined): Promise<PeerProcess | undefined>;
  /**
   * Bytes of a file there from `start` (at most `maxBytes`): config files, certificates, a
   * log file being followed. Rejects with the system's error (ENOENT, EACCES) as Node's.
   */
  readFile(path: string, range?: { start?: number; maxBytes?: number }): Promise<Buffer>;
  /** A file's size and identity; undefined when it is not there. */
  statFile(path: string): Promise<FileStat | undefined>;
  /** Creates a directory and its parents, 0700 unless said (a daemon there writes into it). */
  makeDirectory(path: string, mode?: number): Promise<void>;
  /** The user's state directory there: $XDG_STATE_HOME, else ~/.local/state. */
  stateDirectory(): Promise<string>;
  /** A process there (libvirt's daemons say nothing of how they were started: /proc does). */
  processInfo(pid: number): Promise<ProcessInfo | undefined>;
  /** A TCP connection made from the host to address:port (a daemon's TLS listener). */
  connectTcp(address: string, port: number): Promise<Duplex>;
  /** Ends what the host holds open for its clients (nothing, locally). */
  close(): Promise<void>;
  /**
   * The process serving an admin connection (restarts are told from its pid). A host that
   * leaves this out is asked through the daemon's extension program only (ours report it).
   */
  daemonProcess?(admin: AdminClient): Promise<DaemonProcess | undefined>;
  /**
   * Whether a client's peer process is this console itself (its own admin connections, which a
   * batch disconnect must never touch). A host that cannot tell leaves this out, and every
   * client of an admin server is then treated as possibly the console's.
   */
  isConsoleProcess?(pid: number): boolean;
  /** Local only: whether virtlogd or virtlockd behind `admin` may be re-executed (SIGUSR1) from here. */
  checkReexec?(admin: AdminClient): Promise<ReexecCheck>;
  /** Local only: sends the SIGUSR1 that checkReexec allowed. */
  reexec?(pid: number): Promise<void>;
}

/** /proc/PID's command and arguments on the host whose `files` these are, when the process belongs to `uid`. */
export async function readPeerProcess(pid: number, uid: number | undefined, files: HostFiles = localFiles): Promise<PeerProcess | undefined> {
  try {
    const status = (await files.readFile(`/proc/${pid}/status`)).toString('utf8');
    const realUid = Number(/^Uid:\t(\d+)/m.exec(status)?.[1]);
    if (uid === undefined || realUid !== uid) return undefined;
    const command = /^Name:\t(.*)$/m.exec(status)?.[1] ?? '';
    const cmdline = (await files.readFile(`/proc/${pid}/cmdline`).catch(() => Buffer.alloc(0))).toString('utf8');
    const args = cmdline.split('\0');
    // A process that retitled itself (sshd: user@notty) pads its arguments with NULs.
    while (args.length > 0 && args[args.length - 1] === '') args.pop();
    return { pid, command, args };
  } catch {
    return undefined;
  }
}

/** A process's uid, command, arguments and (when readable) environment, from /proc on the host whose `files` these are. */
export async function readProcessInfo(pid: number, files: HostFiles = localFiles): Promise<ProcessInfo | undefined> {
  let uid: number;
  try {
    uid = Number(/^Uid:\t(\d+)/m.exec((await files.readFile(`/proc/${pid}/status`)).toString('utf8'))?.[1]);
  } catch {
    return undefined;
  }
  const peer = await readPeerProcess(pid, uid, files);
  if (!peer) return undefined;
  const environ = await files.readFile(`/proc/${pid}/environ`).catch(() => undefined);
  const env = environ && Object.fromEntries(
    environ
      .toString('utf8')
      .split('\0')
      .filter((kv) => kv.includes('='))
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  return { ...peer, uid, ...(env ? { env } : {}) };
}

export class LocalHost implements Host {
  readonly name = 'localhost';

  discover(opts?: DiscoveryOptions): Promise<DiscoveredDaemon[]> {
    return discoverDaemons(opts);
  }

  connect(uri: string | undefined, opts?: AdminClientOptions): Promise<AdminClient> {
    return AdminClient.connect(uri, opts);
  }

  peerProcess(pid: number, uid: number | undefined): Promise<PeerProcess | undefined> {
    return readPeerProcess(pid, uid);
  }

  async readFile(path: string, range: { start?: number; maxBytes?: number } = {}): Promise<Buffer> {
    const start = range.start ?? 0;
    if (start === 0 && range.maxBytes === undefined) return readFile(path);
    const f = await open(path, 'r');
    try {
      const size = (await f.stat()).size;
      const length = Math.max(0, Math.min(size - start, range.maxBytes ?? Infinity));
      const buf = Buffer.alloc(length);
      const { bytesRead } = await f.read(buf, 0, length, start);
      return buf.subarray(0, bytesRead);
    } finally {
      await f.close();
    }
  }

  async statFile(path: string): Promise<FileStat | undefined> {
    try {
      const s = await stat(path);
      return { size: s.size, ino: s.ino, mtimeMs: s.mtimeMs };
    } catch {
      return undefined;
    }
  }

  async makeDirectory(path: string, mode = 0o700): Promise<void> {
    await mkdir(path, { recursive: true, mode });
  }

  async stateDirectory(): Promise<string> {
    return process.env.XDG_STATE_HOME || join(process.env.HOME || homedir(), '.local', 'state');
  }

  processInfo(pid: number): Promise<ProcessInfo | undefined> {
    return readProcessInfo(pid);
  }

  connectTcp(address: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: address, port });
      s.once('connect', () => {
        s.removeListener('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
  }

  async close(): Promise<void> {}

  daemonProcess(admin: AdminClient): Promise<DaemonProcess | undefined> {
    return findDaemonProcess(admin);
  }

  isConsoleProcess(pid: number): boolean {
    return pid === process.pid;
  }

  checkReexec(admin: AdminClient): Promise<ReexecCheck> {
    return checkHelperReexec(admin.target);
  }

  async reexec(pid: number): Promise<void> {
    signalReexec(pid);
  }
}
