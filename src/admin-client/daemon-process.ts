/**
 * Which process serves an admin connection, so a console can say "restarted
 * (pid 812 → 944)" from facts: our daemons report their pid and start time
 * through the extension program; for libvirt's, the process holding the
 * daemon's pid file lock (daemons.md §2: session `X/<daemon>.pid` beside the
 * sockets, system `/run/<daemon>.pid`) and its start time from /proc. Both
 * need the daemon on this host; elsewhere the answer is "unknown", never a guess.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AdminClient } from './admin-client.js';
import { lockHolders, pidFileHolder } from './pid-file-locks.js';

export interface DaemonProcess {
  pid: number;
  /** When the process started, seconds since the epoch; undefined when it cannot be read. */
  startedAt?: number;
  /** The auto-shutdown timeout in force (our daemons only: libvirt has no call that reads it). */
  timeoutSec?: number;
  source: 'extension' | 'pid-file';
}

/** /proc reports process times in USER_HZ, which Linux fixes at 100 for user space. */
const USER_HZ = 100;

/** Where the daemon behind `socketPath` keeps its pid file; libvirtd's sockets may be virtproxyd's. */
export function pidFileCandidates(daemon: string | undefined, mode: 'system' | 'session' | undefined, socketPath: string): string[] {
  if (!daemon) return [];
  const names = daemon === 'libvirtd' ? ['libvirtd', 'virtproxyd'] : [daemon];
  // A system daemon given unix_sock_dir may keep its pid file beside its sockets (-p).
  return names.flatMap((n) => (mode === 'system' ? [join('/run', `${n}.pid`), join(dirname(socketPath), `${n}.pid`)] : [join(dirname(socketPath), `${n}.pid`)]));
}

/** When a local process started (seconds since the epoch), from /proc/PID/stat and the boot time. */
export async function processStartedAt(pid: number): Promise<number | undefined> {
  try {
    const [stat, proc] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile('/proc/stat', 'utf8')]);
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[22 - 3]);
    const boot = Number(/^btime (\d+)$/m.exec(proc)?.[1]);
    return Number.isFinite(ticks) && Number.isFinite(boot) ? Math.floor(boot + ticks / USER_HZ) : undefined;
  } catch {
    return undefined;
  }
}

/** The process behind the admin connection, or undefined when it cannot be known. */
export async function findDaemonProcess(admin: AdminClient): Promise<DaemonProcess | undefined> {
  const reported = await admin.daemonProcess().catch(() => undefined);
  if (reported) return { pid: reported.pid, startedAt: reported.startedAt, timeoutSec: reported.timeoutSec, source: 'extension' };
  const holders = await lockHolders();
  if (!holders) return undefined;
  const { daemon, mode, socketPath } = admin.target;
  for (const path of pidFileCandidates(daemon, mode, socketPath)) {
    const pid = await pidFileHolder(path, holders);
    if (pid !== undefined) return { pid, startedAt: await processStartedAt(pid), source: 'pid-file' };
  }
  return undefined;
}

/**
 * The command name of a client's process, read on this host (/proc/PID/status), and only
 * when that process belongs to the uid the daemon reported: a pid seen through another
 * pid namespace or already reused must not put a wrong name beside a client.
 */
export async function localProcessName(pid: number, uid: number | undefined): Promise<string | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const name = /^Name:\t(.*)$/m.exec(status)?.[1];
    const realUid = Number(/^Uid:\t(\d+)/m.exec(status)?.[1]);
    return uid !== undefined && realUid === uid ? name : undefined;
  } catch {
    return undefined;
  }
}
