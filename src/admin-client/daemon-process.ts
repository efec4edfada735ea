/**
 * Which process serves an admin connection, so a console can say "restarted
 * (pid 812 → 944)" from facts: our daemons report their pid and start time
 * through the extension program; for libvirt's, the process holding the
 * daemon's pid file lock (daemons.md §2: session `X/<daemon>.pid` beside the
 * sockets, system `/run/<daemon>.pid`) and its start time from /proc, both
 * read on the daemon's host (the admin client's `files`: this machine, or the
 * remote one over SSH). When they cannot be read the answer is "unknown", never a guess.
 */
import { dirname, join } from 'node:path';
import type { AdminClient } from './admin-client.js';
import { type HostFiles, localFiles } from './host-files.js';
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

/** When a process started (seconds since the epoch), from /proc/PID/stat and the boot time of its host. */
export async function processStartedAt(pid: number, files: HostFiles = localFiles): Promise<number | undefined> {
  try {
    const [stat, proc] = (await Promise.all([files.readFile(`/proc/${pid}/stat`), files.readFile('/proc/stat')])).map((b) => b.toString('utf8')) as [string, string];
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
  const files = admin.files;
  const holders = await lockHolders(files);
  if (!holders) return undefined;
  const { daemon, mode, socketPath } = admin.target;
  for (const path of pidFileCandidates(daemon, mode, socketPath)) {
    const pid = await pidFileHolder(path, holders, files);
    if (pid !== undefined) return { pid, startedAt: await processStartedAt(pid, files), source: 'pid-file' };
  }
  return undefined;
}
