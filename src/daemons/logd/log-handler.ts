/**
 * virtlogd's log files (daemons.md §10.1): OPEN hands the caller the write end
 * of a pipe and copies whatever comes through it into a rotating file until
 * the writer closes; POSITION first copies what waits in the pipe; READ reads
 * back from a position (inode, offset) across rolled-over files; APPEND writes
 * a message with or without an open pipe. Open logs cross a re-exec (pipe,
 * file, size) and are listed for the console.
 */
import { constants as osConstants } from 'node:os';
import { ErrorCode, ErrorDomain, errorsFrom, LOG_STRING_MAX, type LogDomain, type LogPosition, systemError } from '../../rpc/index.js';
import type { Logger } from '../logging/index.js';
import { lazyAddon } from '../runtime/native-addon.js';
import { LogPipe } from './log-pipe.js';
import { RotatingFile } from './rotating-file.js';
import { readRotated } from './rotating-reader.js';

const fdpass = lazyAddon<{ makePipe(): [number, number] }>('fdpass');
const fail = errorsFrom(ErrorDomain.Logging);

export interface LogLimits {
  maxSize: number;
  maxBackups: number;
}

/** What one open log is, for the console and for the next image after a re-exec. */
export interface OpenLogRecord {
  path: string;
  driver: string;
  domain: LogDomain;
  /** Bytes in the current file. */
  size: number;
  /** The read end of the pipe and the current file (re-exec only). */
  pipeFd: number;
  fileFd: number;
}

interface OpenLog {
  path: string;
  driver: string;
  domain: LogDomain;
  file: RotatingFile;
  pipe: LogPipe;
}

export class LogHandler {
  readonly #open = new Map<string, OpenLog>();

  constructor(
    private readonly limits: LogLimits,
    private readonly log: Logger,
  ) {}

  /** Open log files keep a session daemon alive (daemons.md §10.1). */
  get openCount(): number {
    return this.#open.size;
  }

  /** Returns the position and the pipe's write end for the caller (closed here once passed on). */
  open(driver: string, domain: LogDomain, path: string, truncate: boolean): { pos: LogPosition; writeFd: number } {
    if (this.#open.has(path)) {
      throw systemError(ErrorDomain.Logging, `Cannot open log file: '${path}': Device or resource busy`, osConstants.errno.EBUSY);
    }
    const file = RotatingFile.open(path, this.limits.maxSize, this.limits.maxBackups, truncate);
    let readFd: number, writeFd: number;
    try {
      [readFd, writeFd] = fdpass.makePipe();
    } catch (err) {
      file.close();
      throw err;
    }
    this.#watch({ path, driver, domain, file }, readFd);
    return { pos: file.position(), writeFd };
  }

  #watch(entry: Omit<OpenLog, 'pipe'>, readFd: number): void {
    const open = entry as OpenLog;
    open.pipe = new LogPipe(
      readFd,
      (chunk) => this.#copy(open, chunk),
      () => this.#close(open),
      (err) => this.log.error(`Unable to read from log pipe of ${open.path}: ${err.message}`),
    );
    this.#open.set(open.path, open);
  }

  /** As libvirt: a log that cannot be written is closed (the writer then gets EPIPE). */
  #copy(open: OpenLog, chunk: Buffer): void {
    try {
      open.file.write(chunk);
    } catch (err) {
      this.log.error((err as Error).message);
      this.#close(open);
    }
  }

  #close(open: OpenLog): void {
    if (this.#open.get(open.path) !== open) return;
    this.#open.delete(open.path);
    open.pipe.close();
    open.file.close();
  }

  /** Copies what waits in the pipe into the file; true once its writer has gone. */
  #drain(open: OpenLog): boolean {
    try {
      return open.pipe.drain((chunk) => this.#copy(open, chunk));
    } catch (err) {
      this.log.error(`Unable to read from log pipe of ${open.path}: ${(err as Error).message}`);
      return true;
    }
  }

  position(path: string): LogPosition {
    const entry = this.#open.get(path);
    if (!entry) throw fail(ErrorCode.InternalError, `No open log file ${path}`);
    // libvirt answers with what the file holds after copying what is already in the pipe;
    // a writer gone meanwhile is noticed by the pipe's own end event.
    this.#drain(entry);
    if (this.#open.get(path) !== entry) throw fail(ErrorCode.InternalError, `No open log file ${path}`);
    return entry.file.position();
  }

  /** Up to `maxlen` bytes from `pos`, continuing into newer files when a rolled-over one ends. */
  read(path: string, pos: LogPosition, maxlen: bigint): Buffer {
    if (maxlen > BigInt(LOG_STRING_MAX)) {
      throw errorsFrom(ErrorDomain.Rpc)(ErrorCode.InternalError, `Requested data len ${maxlen} is larger than maximum ${LOG_STRING_MAX}`);
    }
    return readRotated(path, this.limits.maxBackups, pos, Number(maxlen));
  }

  append(path: string, message: Buffer): void {
    const entry = this.#open.get(path);
    if (entry) return entry.file.write(message);
    const file = RotatingFile.open(path, this.limits.maxSize, this.limits.maxBackups, false);
    try {
      file.write(message);
    } finally {
      file.close();
    }
  }

  list(): Omit<OpenLogRecord, 'pipeFd' | 'fileFd'>[] {
    return [...this.#open.values()].map((o) => ({ path: o.path, driver: o.driver, domain: o.domain, size: o.file.size }));
  }

  /** Before the daemon exits: what writers already put in the pipes reaches the files. */
  flushAll(): void {
    for (const open of [...this.#open.values()]) if (this.#drain(open)) this.#close(open);
  }

  closeAll(): void {
    for (const open of [...this.#open.values()]) this.#close(open);
  }

  /**
   * Re-exec: stops reading every pipe, copies what they hold, and returns what
   * the next image needs. Bytes written after this wait in the kernel.
   */
  handOver(): OpenLogRecord[] {
    for (const open of this.#open.values()) open.pipe.suspend();
    this.flushAll();
    return [...this.#open.values()].map((o) => ({ path: o.path, driver: o.driver, domain: o.domain, size: o.file.size, pipeFd: o.pipe.fd, fileFd: o.file.fd }));
  }

  /** The exec failed: carry on reading. */
  resume(): void {
    for (const open of this.#open.values()) open.pipe.resume();
  }

  /** The next image takes over the logs the previous one had open. */
  adopt(records: readonly OpenLogRecord[]): void {
    for (const r of records) {
      const file = RotatingFile.adopt(r.path, this.limits.maxSize, this.limits.maxBackups, r.fileFd, r.size);
      this.#watch({ path: r.path, driver: r.driver, domain: r.domain, file }, r.pipeFd);
    }
  }
}
