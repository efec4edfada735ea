/**
 * The pid file, held as libvirt holds it (daemons.md §2): opened O_CREAT 0644,
 * write-locked on byte 0 with fcntl for the life of the process, truncated,
 * the pid written without a newline. A second instance, ours or libvirt's,
 * fails to take the lock.
 */
import { closeSync, ftruncateSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { loadAddon } from './native-addon.js';
import { strerror } from '../system-errors.js';

const addon = loadAddon<{ tryLockByte(fd: number): boolean }>('filelock');

export class PidFileError extends Error {}

export class PidFile {
  private constructor(
    readonly path: string,
    private fd: number | undefined,
  ) {}

  static acquire(path: string): PidFile {
    let fd: number;
    try {
      fd = openSync(path, 'a+', 0o644);
    } catch (err) {
      throw new PidFileError(`Failed to open pid file '${path}': ${strerror(err)}`);
    }
    if (!addon.tryLockByte(fd)) {
      closeSync(fd);
      throw new PidFileError(`Failed to acquire pid file '${path}': Resource temporarily unavailable`);
    }
    ftruncateSync(fd, 0);
    writeSync(fd, String(process.pid), 0);
    return new PidFile(path, fd);
  }

  /** Removes the file while still holding the lock, so no other instance sees a half-released file. */
  release(): void {
    if (this.fd === undefined) return;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone.
    }
    closeSync(this.fd);
    this.fd = undefined;
  }
}
