/**
 * The pid file, held as libvirt holds it (daemons.md §2): opened O_CREAT 0644,
 * write-locked on byte 0 with fcntl for the life of the process, truncated,
 * the pid written without a newline. A second instance, ours or libvirt's,
 * fails to take the lock.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { lazyAddon } from './native-addon.js';
import { strerror } from '../system-errors.js';

const addon = lazyAddon<{ tryLockByte(fd: number): boolean }>('filelock');

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

  /**
   * The pid file this process already holds, across a re-exec: the same descriptor,
   * so the lock is never let go (closing any descriptor of a file drops the
   * process's POSIX locks on it). It must still be the file at `path`.
   */
  static adopt(path: string, fd: number): PidFile {
    let same = false;
    try {
      const held = fstatSync(fd);
      const there = statSync(path);
      same = held.ino === there.ino && held.dev === there.dev;
    } catch {
      same = false;
    }
    if (!same || !addon.tryLockByte(fd)) throw new PidFileError(`Failed to acquire pid file '${path}': the descriptor handed over is not that file or not locked`);
    return new PidFile(path, fd);
  }

  /** The locked descriptor, to hand to the next image on re-exec. */
  get descriptor(): number | undefined {
    return this.fd;
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
