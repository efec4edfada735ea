/**
 * Re-executing virtlogd or virtlockd from a console (issue 10, item 3): SIGUSR1
 * to the pid in the daemon's pid file, which makes the helper execute itself
 * again in the same process, keeping guests' log pipes and disk leases. Sent
 * only when the daemon is on this host, the pid file is held (by a POSIX lock)
 * by that very pid, so a stale file never names a process that is something
 * else now, and the console's user may signal it. libvirtd and the driver
 * daemons die of SIGUSR1 (libvirt's): only the helpers are ever signalled.
 */
import { readFile } from 'node:fs/promises';
import type { ResolvedUri } from './admin-uri.js';
import { pidFileCandidates } from './daemon-process.js';
import { pidFileHolder } from './pid-file-locks.js';

export const REEXEC_HELPERS: readonly string[] = ['virtlogd', 'virtlockd'];

export type ReexecCheck = { pid: number; pidFile: string } | { refused: string };

/** Whether the daemon behind `target` may be re-executed from here, and its pid. */
export async function checkHelperReexec(target: Pick<ResolvedUri, 'daemon' | 'mode' | 'socketPath'>): Promise<ReexecCheck> {
  const name = target.daemon;
  if (!name || !REEXEC_HELPERS.includes(name)) return { refused: `${name ?? 'this daemon'} does not re-execute on SIGUSR1 (only virtlogd and virtlockd do)` };
  for (const pidFile of pidFileCandidates(name, target.mode, target.socketPath)) {
    let written: number;
    try {
      written = Number((await readFile(pidFile, 'utf8')).trim());
    } catch {
      continue;
    }
    const holder = await pidFileHolder(pidFile);
    if (holder === undefined || holder !== written) return { refused: `its pid file ${pidFile} says ${written}, but that process does not hold it: not signalled` };
    try {
      process.kill(written, 0);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { refused: code === 'EPERM' ? `not permitted to signal pid ${written} (another user's process)` : `pid ${written} is gone` };
    }
    return { pid: written, pidFile };
  }
  return { refused: `no pid file of ${name} found beside its sockets` };
}

/** SIGUSR1 to a pid checkHelperReexec accepted. */
export function signalReexec(pid: number): void {
  process.kill(pid, 'SIGUSR1');
}
