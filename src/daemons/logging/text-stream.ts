/**
 * libvirt's text line, byte for byte as libvirt writes it to stderr and files (daemons.md §9):
 *   `2026-11-24 00:40:01.437+0000: 21354: error : rpc.server : text`
 * libvirt puts a thread id where we put the pid (Node runs one thread), and
 * `function:line` where we put the category. Formatted in the daemon's own thread,
 * not in a worker: a line logged just before exit is never lost.
 */
import sonicBoom from 'sonic-boom';
import { FileTarget } from './file-target.js';
import { LogPriority, type LogPriority as Priority, PRIORITY_NAMES } from '../../conf/log-priority.js';
import { libvirtTimestamp, type LogRecord, RecordStream } from './log-record.js';
import { isoTime } from './log-time.js';

// sonic-boom is CommonJS: its class comes through the default export.
const { SonicBoom } = sonicBoom;

export function formatLine(r: LogRecord): string {
  return `${libvirtTimestamp(r.isoTime)}: ${process.pid}: ${PRIORITY_NAMES[r.priority]} : ${r.category} : ${r.message}\n`;
}

/**
 * formatLine for a busy daemon: the parts that repeat (the timestamp within one
 * millisecond, `pid: priority : `) are built once and reused.
 */
class LineFormatter {
  #iso = '';
  #stamp = '';
  readonly #heads = new Map<Priority, string>();

  format(r: LogRecord): string {
    if (r.isoTime !== this.#iso) {
      this.#iso = r.isoTime;
      this.#stamp = `${libvirtTimestamp(r.isoTime)}: `;
    }
    let head = this.#heads.get(r.priority);
    if (head === undefined) this.#heads.set(r.priority, (head = `${process.pid}: ${PRIORITY_NAMES[r.priority]} : `));
    return `${this.#stamp}${head}${r.category} : ${r.message}\n`;
  }
}

function droppedNotice(bytes: number): string {
  return `${bytes} bytes of log lines dropped: the disk did not keep up`;
}

/** Text lines to a file, asynchronously. */
export class TextFileStream extends RecordStream {
  readonly #line = new LineFormatter();
  constructor(readonly file: FileTarget) {
    super();
  }
  protected writeRecord(r: LogRecord): void {
    const dropped = this.file.takeDroppedBytes();
    if (dropped > 0) this.file.write(formatLine({ ...r, priority: LogPriority.Warning, category: 'logging', message: droppedNotice(dropped) }));
    this.file.write(this.#line.format(r));
  }
  flushSync(): void {
    this.file.flushSync();
  }
  close(): Promise<void> {
    return this.file.close();
  }
}

/** Text lines to stderr, synchronously as libvirt writes them (and so nothing is lost at exit). */
export class StderrStream extends RecordStream {
  readonly #out = new SonicBoom({ fd: 2, sync: true });
  readonly #line = new LineFormatter();
  constructor() {
    super();
    this.#out.on('error', () => {}); // a closed stderr must not take the daemon down
  }
  protected writeRecord(r: LogRecord): void {
    this.#out.write(this.#line.format(r));
  }
  flushSync(): void {}
  close(): Promise<void> {
    return Promise.resolve(); // fd 2 is not ours to close
  }
}

/** pino's own JSON line, one per message, to a file: the `json` output flavour for log shippers. */
export class JsonFileStream {
  constructor(readonly file: FileTarget) {}
  write(json: string): void {
    const dropped = this.file.takeDroppedBytes();
    if (dropped > 0) {
      const notice = { level: 'warn', priority: LogPriority.Warning, time: isoTime(Date.now()), pid: process.pid, category: 'logging', msg: droppedNotice(dropped) };
      this.file.write(`${JSON.stringify(notice)}\n`);
    }
    this.file.write(json);
  }
  flushSync(): void {
    this.file.flushSync();
  }
  close(): Promise<void> {
    return this.file.close();
  }
}
