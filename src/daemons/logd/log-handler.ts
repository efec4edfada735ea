/**
 * virtlogd's log files (daemons.md §10.1): OPEN hands the caller the write end
 * of a pipe and copies whatever comes through it into a rotating file until
 * the writer closes; READ reads back from a position (inode, offset) across
 * rolled-over files; APPEND writes a message with or without an open pipe.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Socket } from 'node:net';
import { constants as osConstants } from 'node:os';
import { ErrorCode, ErrorDomain, errorsFrom, LOG_STRING_MAX, type LogPosition, systemError } from '../../rpc/index.js';
import type { Logger } from '../logging/index.js';
import { lazyAddon } from '../runtime/native-addon.js';
import { RotatingFile } from './rotating-file.js';
import { errnoOf } from '../system-errors.js';

const fdpass = lazyAddon<{ makePipe(): [number, number] }>('fdpass');
const fail = errorsFrom(ErrorDomain.Logging);

interface OpenLog {
  file: RotatingFile;
  pipe: Socket;
}

export class LogHandler {
  readonly #open = new Map<string, OpenLog>();

  constructor(
    private readonly limits: { maxSize: number; maxBackups: number },
    private readonly log: Logger,
  ) {}

  /** Open log files keep a session daemon alive (daemons.md §10.1). */
  get openCount(): number {
    return this.#open.size;
  }

  #rotating(path: string, truncate: boolean): RotatingFile {
    try {
      return new RotatingFile(path, this.limits.maxSize, this.limits.maxBackups, truncate);
    } catch (err) {
      throw systemError(ErrorDomain.Logging, `Unable to open file: ${path}: ${(err as Error).message}`, errnoOf(err));
    }
  }

  /** Returns the position and the pipe's write end for the caller (closed here once passed on). */
  open(path: string, truncate: boolean): { pos: LogPosition; writeFd: number } {
    if (this.#open.has(path)) {
      throw systemError(ErrorDomain.Logging, `Cannot open log file: '${path}': Device or resource busy`, osConstants.errno.EBUSY);
    }
    const file = this.#rotating(path, truncate);
    const [readFd, writeFd] = fdpass.makePipe();
    const pipe = new Socket({ fd: readFd, readable: true, writable: false });
    const entry = { file, pipe };
    this.#open.set(path, entry);
    pipe.on('data', (chunk: Buffer) => {
      try {
        file.write(chunk);
      } catch (err) {
        this.log.error(`writing ${path}: ${(err as Error).message}`);
      }
    });
    const done = () => {
      if (this.#open.get(path) !== entry) return;
      this.#open.delete(path);
      file.close();
    };
    pipe.on('end', done);
    pipe.on('close', done);
    pipe.on('error', (err) => this.log.error(`log pipe of ${path}: ${err.message}`));
    return { pos: file.position(), writeFd };
  }

  position(path: string): LogPosition {
    const entry = this.#open.get(path);
    if (!entry) throw fail(ErrorCode.InternalError, `No open log file ${path}`);
    return entry.file.position();
  }

  /** Up to `maxlen` bytes from `pos`, continuing into newer files when a rolled-over one ends. */
  read(path: string, pos: LogPosition, maxlen: bigint): string {
    if (maxlen > BigInt(LOG_STRING_MAX)) {
      throw errorsFrom(ErrorDomain.Rpc)(ErrorCode.InternalError, `Requested data len ${maxlen} is larger than maximum ${LOG_STRING_MAX}`);
    }
    // Oldest first: path.N-1 ... path.0, path.
    const files = [...Array.from({ length: this.limits.maxBackups }, (_, i) => `${path}.${this.limits.maxBackups - 1 - i}`), path];
    const fds: { fd: number; ino: bigint }[] = [];
    try {
      for (const f of files) {
        try {
          const fd = openSync(f, 'r');
          fds.push({ fd, ino: BigInt(fstatSync(fd).ino) });
        } catch {
          // a backup that does not exist yet
        }
      }
      const start = fds.findIndex((f) => f.ino === pos.inode);
      if (start === -1) throw systemError(ErrorDomain.Logging, `Unable to find log file ${path} with inode ${pos.inode}: No such file or directory`, osConstants.errno.ENOENT);
      const out: Buffer[] = [];
      let want = Number(maxlen);
      let offset = Number(pos.offset);
      for (let i = start; i < fds.length && want > 0; i++, offset = 0) {
        const buf = Buffer.alloc(want);
        const n = readSync(fds[i]!.fd, buf, 0, want, offset);
        out.push(buf.subarray(0, n));
        want -= n;
      }
      return Buffer.concat(out).toString('utf8');
    } finally {
      for (const f of fds) closeSync(f.fd);
    }
  }

  append(path: string, message: string): void {
    const entry = this.#open.get(path);
    if (entry) return entry.file.write(Buffer.from(message));
    const file = this.#rotating(path, false);
    try {
      file.write(Buffer.from(message));
    } finally {
      file.close();
    }
  }

  closeAll(): void {
    for (const { pipe } of this.#open.values()) pipe.destroy();
  }
}
