/**
 * What a pino destination in the daemons' multistream learns about each message.
 * Destinations that format a message themselves (libvirt's text line, journald's
 * fields, syslog's datagram) set pino's metadata flag; pino (and its multistream)
 * then hands them the level, message, time and logger of each line before writing
 * the JSON, which they ignore.
 */
import { type LogPriority, priorityOfPinoLevel } from '../../conf/log-priority.js';

/** The category (libvirt's log "source", e.g. `rpc.server.libvirtd`) of a pino child logger. */
export const CATEGORY = Symbol('virtd.log.category');

export interface LogRecord {
  priority: LogPriority;
  category: string;
  message: string;
  /** ISO 8601 UTC with milliseconds: `2026-11-24T00:40:01.437Z`. */
  isoTime: string;
}

/** pino's flag asking for each line's metadata (lastLevel, lastMsg, lastTime, lastLogger). */
const PINO_METADATA: unique symbol = Symbol.for('pino.metadata') as never;

export abstract class RecordStream {
  readonly [PINO_METADATA] = true;
  lastLevel = 0;
  lastMsg = '';
  /** pino's time as it appears in the JSON: the quoted ISO string (stdTimeFunctions.isoTime). */
  lastTime = '';
  lastLogger: { [CATEGORY]?: string } | undefined;

  readonly #record: LogRecord = { priority: 1, category: '', message: '', isoTime: '' };
  #lastTime = '';

  write(_json: string): void {
    // One record object, refilled per line: a busy daemon logs a line per call.
    const r = this.#record;
    r.priority = priorityOfPinoLevel(this.lastLevel);
    r.category = this.lastLogger?.[CATEGORY] ?? '';
    r.message = this.lastMsg ?? '';
    if (this.lastTime !== this.#lastTime) {
      this.#lastTime = this.lastTime;
      r.isoTime = this.lastTime.slice(1, -1);
    }
    this.writeRecord(r);
  }

  protected abstract writeRecord(record: LogRecord): void;
  /** Writes out anything buffered; called at exit and before the process execs. */
  abstract flushSync(): void;
  /** Finishes and releases the destination (files are flushed and closed). */
  abstract close(): Promise<void>;
}

/** libvirt's timestamp, `2026-11-24 00:40:01.437+0000`, from pino's ISO time. */
export function libvirtTimestamp(isoTime: string): string {
  return `${isoTime.slice(0, 10)} ${isoTime.slice(11, 23)}+0000`;
}
