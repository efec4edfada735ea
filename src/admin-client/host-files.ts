/**
 * The few files a console reads on the host where a daemon runs (/proc for
 * peers and pid-file locks, a pid file's inode): read here with node:fs, or
 * on another host through its SSH connection. Whoever reads them gets them
 * from the daemon's host, never from this one by accident.
 */
import { readFile, stat } from 'node:fs/promises';

export interface HostFiles {
  /** The file's bytes; rejects when it cannot be read (absent, denied). */
  readFile(path: string): Promise<Buffer>;
  /** The file's inode number in decimal, or undefined when it cannot be read. */
  inode(path: string): Promise<string | undefined>;
}

export const localFiles: HostFiles = {
  readFile: (path) => readFile(path),
  inode: (path) => stat(path).then(
    (st) => String(st.ino),
    () => undefined,
  ),
};
