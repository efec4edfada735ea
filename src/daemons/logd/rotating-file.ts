/**
 * A log file that rolls over (daemons.md §10.1), as libvirt's rotating writer
 * does: when a write would take the file past max_size, it is cut (at a
 * newline within the last 80 bytes written when there is one, so lines stay
 * whole), `path.N-2` -> `path.N-1` ... `path` -> `path.0`, and a fresh `path`
 * takes the rest. No byte is lost. max_backups 0 deletes instead of keeping,
 * max_size 0 never rolls, a file already past max_size rolls before the next
 * write. Opening with truncate deletes the file and its backups. Files are
 * mode 0600. Errors are libvirt's, with strerror's text.
 */
import { closeSync, constants, fstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { ErrorCode, ErrorDomain, errorsFrom, systemError, VirError } from '../../rpc/index.js';
import { MAX_BACKUPS_LIMIT } from '../../conf/helper-daemon-config.js';
import { errnoOf, strerror } from '../system-errors.js';

/** How far back from the cut a newline is looked for. */
const NEWLINE_WINDOW = 80;
const FILE_MODE = 0o600;

/** libvirt's rotating file lives in its util code: errors carry no domain. */
const sysError = (text: string, err: unknown): VirError => systemError(ErrorDomain.None, `${text}: ${strerror(err)}`, errnoOf(err));

export function checkMaxBackups(maxBackups: number): void {
  if (maxBackups > MAX_BACKUPS_LIMIT) {
    throw errorsFrom(ErrorDomain.None)(ErrorCode.ConfigUnsupported, `Max backup ${maxBackups} must be less than or equal to ${MAX_BACKUPS_LIMIT}`);
  }
}

function openForAppend(path: string): number {
  try {
    return openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, FILE_MODE);
  } catch (err) {
    throw sysError(`Unable to open file: ${path}`, err);
  }
}

function removeIfThere(path: string, what: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw sysError(`${what} ${path}`, err);
  }
}

export class RotatingFile {
  #fd: number;
  #size: number;

  /** Opens `path` for appending (after deleting it and its backups when `truncate`). */
  static open(path: string, maxSize: number, maxBackups: number, truncate: boolean): RotatingFile {
    checkMaxBackups(maxBackups);
    if (truncate) {
      removeIfThere(path, 'Unable to delete file');
      for (let i = 0; i < maxBackups; i++) removeIfThere(`${path}.${i}`, 'Unable to delete file');
    }
    const fd = openForAppend(path);
    return new RotatingFile(path, maxSize, maxBackups, fd, fstatSync(fd).size);
  }

  /** Takes over a file another image of this daemon had open (re-exec): same descriptor, same size. */
  static adopt(path: string, maxSize: number, maxBackups: number, fd: number, size: number): RotatingFile {
    checkMaxBackups(maxBackups);
    return new RotatingFile(path, maxSize, maxBackups, fd, size);
  }

  private constructor(
    readonly path: string,
    readonly maxSize: number,
    readonly maxBackups: number,
    fd: number,
    size: number,
  ) {
    this.#fd = fd;
    this.#size = size;
  }

  get fd(): number {
    return this.#fd;
  }

  /** Bytes in the current file: where the next byte goes. */
  get size(): number {
    return this.#size;
  }

  /** The current file's inode and size. */
  position(): { inode: bigint; offset: bigint } {
    return { inode: BigInt(fstatSync(this.#fd).ino), offset: BigInt(this.#size) };
  }

  write(data: Buffer): void {
    let rest = data;
    while (rest.length > 0) {
      let take = rest.length;
      let roll = false;
      if (this.maxSize !== 0) {
        if (this.#size > this.maxSize) {
          take = 0;
          roll = true;
        } else if (this.#size + take > this.maxSize) {
          take = this.maxSize - this.#size;
          const nl = take > 0 ? rest.lastIndexOf(0x0a, take - 1) : -1;
          if (nl >= 0 && nl >= take - NEWLINE_WINDOW) {
            take = nl + 1;
            roll = true;
          }
        }
      }
      if (take > 0) {
        this.#append(rest.subarray(0, take));
        rest = rest.subarray(take);
      }
      if (this.maxSize !== 0 && ((this.#size === this.maxSize && rest.length > 0) || roll)) this.#roll();
    }
  }

  #append(chunk: Buffer): void {
    try {
      let off = 0;
      while (off < chunk.length) off += writeSync(this.#fd, chunk, off);
    } catch (err) {
      throw sysError(`Unable to write to file ${this.path}`, err);
    }
    this.#size += chunk.length;
  }

  #roll(): void {
    if (this.maxBackups === 0) removeIfThere(this.path, 'Unable to remove');
    else {
      for (let i = this.maxBackups - 1; i >= 0; i--) {
        const from = i === 0 ? this.path : `${this.path}.${i - 1}`;
        try {
          renameSync(from, `${this.path}.${i}`);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw sysError(`Unable to rename ${from} to ${this.path}.${i}`, err);
        }
      }
    }
    const fd = openForAppend(this.path);
    closeSync(this.#fd);
    this.#fd = fd;
    this.#size = fstatSync(fd).size;
  }

  close(): void {
    closeSync(this.#fd);
  }
}
