/**
 * Whether a daemon's pid file is held: libvirt's daemons (and ours) keep a
 * POSIX write lock on it for their whole life, and /proc/locks lists those
 * locks by inode, so a reader can tell without taking the lock itself. This
 * is what tells libvirtd and virtproxyd apart: they listen on the same paths.
 */
import { readFile, stat } from 'node:fs/promises';

/** The locked inodes by "major:minor:inode" in hex/decimal as /proc/locks writes them, or undefined when unknown. */
export async function lockedInodes(): Promise<Set<string> | undefined> {
  let text: string;
  try {
    text = await readFile('/proc/locks', 'utf8');
  } catch {
    return undefined;
  }
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 14334 fe:00:2146668 0 0"
    const m = /POSIX\s+ADVISORY\s+WRITE\s+\d+\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/.exec(line);
    if (m) out.add(m[1]!);
  }
  return out;
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
