/**
 * A log file that rolls over (daemons.md §10.1): when a write would take it
 * past max_size, the write is cut (at a newline within its last 80 bytes when
 * there is one, so lines stay whole), `path.N-2` -> `path.N-1` ... `path` ->
 * `path.0`, and a fresh `path` takes the rest. No byte is lost; max_backups 0
 * deletes instead of keeping, max_size 0 never rolls. Files are mode 0600.
 */
import { closeSync, constants, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/** How far back from the cut a newline is looked for. */
const NEWLINE_WINDOW = 80;

export class RotatingFile {
  #fd: number;
  #size: number;

  constructor(
    readonly path: string,
    readonly maxSize: number,
    readonly maxBackups: number,
    truncate = false,
  ) {
    this.#fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | (truncate ? constants.O_TRUNC : 0), 0o600);
    this.#size = fstatSync(this.#fd).size;
  }

  /** The current file's inode and size: where the next byte goes. */
  position(): { inode: bigint; offset: bigint } {
    return { inode: BigInt(fstatSync(this.#fd).ino), offset: BigInt(this.#size) };
  }

  write(data: Buffer): void {
    let rest = data;
    // A file already over the limit (left by an earlier run) rolls before the next write.
    if (this.maxSize > 0 && this.#size >= this.maxSize) this.#roll();
    while (rest.length > 0) {
      const room = this.maxSize > 0 ? this.maxSize - this.#size : rest.length;
      if (rest.length <= room) {
        this.#append(rest);
        return;
      }
      let cut = room;
      const nl = rest.lastIndexOf(0x0a, room - 1);
      if (nl >= 0 && nl >= room - NEWLINE_WINDOW) cut = nl + 1;
      this.#append(rest.subarray(0, cut));
      rest = rest.subarray(cut);
      this.#roll();
    }
  }

  #append(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) off += writeSync(this.#fd, chunk, off);
    this.#size += chunk.length;
  }

  #roll(): void {
    closeSync(this.#fd);
    if (this.maxBackups === 0) rmSync(this.path, { force: true });
    else {
      rmSync(`${this.path}.${this.maxBackups - 1}`, { force: true });
      for (let i = this.maxBackups - 2; i >= 0; i--) {
        try {
          renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
        } catch {
          // fewer backups so far
        }
      }
      renameSync(this.path, `${this.path}.0`);
    }
    this.#fd = openSync(this.path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND, 0o600);
    this.#size = 0;
  }

  close(): void {
    closeSync(this.#fd);
  }
}
