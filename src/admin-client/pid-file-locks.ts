/**
 * Whether a daemon's pid file is held, and by which process: libvirt's
 * daemons (and ours) keep a POSIX write lock on it for their whole life, and
 * /proc/locks lists those locks by inode with the holder's pid, so a reader
 * can tell without taking the lock itself. This is what tells libvirtd and
 * virtproxyd apart (they listen on the same paths), and which process serves
 * a libvirt daemon's socket (a restart changes it).
 */
import { readFile, stat } from 'node:fs/promises';

/** Holder pid by locked inode (decimal, as /proc/locks writes it), or undefined when unknown. */
export async function lockHolders(): Promise<Map<string, number> | undefined> {
  let text: string;
  try {
    text = await readFile('/proc/locks', 'utf8');
  } catch {
    return undefined;
  }
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 14334 fe:00:2146668 0 0"
    const m = /POSIX\s+ADVISORY\s+WRITE\s+(\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/.exec(line);
    if (m) out.set(m[2]!, Number(m[1]));
  }
  return out;
}

/** The locked inodes, or undefined when unknown. */
export async function lockedInodes(): Promise<Set<string> | undefined> {
  const holders = await lockHolders();
  return holders && new Set(holders.keys());
}

/** true: held; false: there and not held (stale) or absent; undefined: cannot tell. */
export async function pidFileHeld(path: string, locked: Set<string> | undefined): Promise<boolean | undefined> {
  if (!locked) return undefined;
  try {
    return locked.has(String((await stat(path)).ino));
  } catch {
    return false;
  }
}

/** The pid of the process holding the pid file's lock; undefined when none does or it cannot be told. */
export async function pidFileHolder(path: string, holders?: Map<string, number>): Promise<number | undefined> {
  const known = holders ?? (await lockHolders());
  if (!known) return undefined;
  try {
    return known.get(String((await stat(path)).ino));
  } catch {
    return undefined;
  }
}
