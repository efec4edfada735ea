/**
 * Whether a daemon's pid file is held, and by which process: libvirt's
 * daemons (and ours) keep a POSIX write lock on it for their whole life, and
 * /proc/locks lists those locks by inode with the holder's pid, so a reader
 * can tell without taking the lock itself. This is what tells libvirtd and
 * virtproxyd apart (they listen on the same paths), and which process serves
 * a libvirt daemon's socket (a restart changes it). The files are read on the
 * daemon's host (HostFiles), this one or another over SSH.
 */
import { type HostFiles, localFiles } from './host-files.js';

/** Holder pid by locked inode, from /proc/locks' text. */
export function parseLockHolders(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 14334 fe:00:2146668 0 0"
    const m = /POSIX\s+ADVISORY\s+WRITE\s+(\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/.exec(line);
    if (m) out.set(m[2]!, Number(m[1]));
  }
  return out;
}

/** Holder pid by locked inode (decimal, as /proc/locks writes it), or undefined when unknown. */
export async function lockHolders(files: HostFiles = localFiles): Promise<Map<string, number> | undefined> {
  try {
    return parseLockHolders((await files.readFile('/proc/locks')).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The locked inodes, or undefined when unknown. */
export async function lockedInodes(files: HostFiles = localFiles): Promise<Set<string> | undefined> {
  const holders = await lockHolders(files);
  return holders && new Set(holders.keys());
}

/** true: held; false: there and not held (stale) or absent; undefined: cannot tell. */
export async function pidFileHeld(path: string, locked: Set<string> | undefined, files: HostFiles = localFiles): Promise<boolean | undefined> {
  if (!locked) return undefined;
  const inode = await files.inode(path);
  return inode !== undefined && locked.has(inode);
}

/** The pid of the process holding the pid file's lock; undefined when none does or it cannot be told. */
export async function pidFileHolder(path: string, holders?: Map<string, number>, files: HostFiles = localFiles): Promise<number | undefined> {
  const known = holders ?? (await lockHolders(files));
  if (!known) return undefined;
  const inode = await files.inode(path);
  return inode === undefined ? undefined : known.get(inode);
}
