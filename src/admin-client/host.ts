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
