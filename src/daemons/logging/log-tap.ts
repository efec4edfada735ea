/**
 * Live log taps: a reader of the daemon's log records as they happen, with its
 * own libvirt filters (a console's live log view), beside the daemon's outputs
 * and without changing what they write.
 *
 * A category's pino level must let through whatever any tap wants, which can be
 * more than the daemon's own filters allow; so each output is wrapped in a gate
 * that drops what the daemon's filters would not have logged (the level the
 * daemon's filters give a category is stamped on its pino child). Without taps
 * the two levels are the same and the gate never drops anything.
 */
import { filterPriority, type LogFilter } from '../../conf/log-filters.js';
import type { LogPriority } from '../../conf/log-priority.js';
import type { LogDestination } from './log-destinations.js';
import { type LogRecord, RecordStream } from './log-record.js';

/** The pino level (20 debug ... 50 error) the daemon's own filters give a category, on its pino child. */
export const GATE_LEVEL = Symbol('virtd.log.gate');

/** One record as a tap receives it: its own object, kept as long as the reader likes. */
export interface TappedRecord {
  /** ISO 8601 UTC with milliseconds. */
  time: string;
  priority: LogPriority;
  category: string;
  message: string;
}

export interface LogTapSpec {
  filters: LogFilter[];
  /** For categories no filter matches. */
  priority: LogPriority;
  deliver(record: TappedRecord): void;
}

export class LogTap {
  #spec: LogTapSpec;
  /** Categories are few and long-lived: each one's priority is worked out once. */
  #byCategory = new Map<string, LogPriority>();

  constructor(spec: LogTapSpec) {
    this.#spec = spec;
  }

  priorityFor(category: string): LogPriority {
    let p = this.#byCategory.get(category);
    if (p === undefined) {
      p = filterPriority(this.#spec.filters, category) ?? this.#spec.priority;
      this.#byCategory.set(category, p);
    }
    return p;
  }

  offer(r: LogRecord): void {
    if (r.priority < this.priorityFor(r.category)) return;
    this.#spec.deliver({ time: r.isoTime, priority: r.priority, category: r.category, message: r.message });
  }
}

/** The multistream destination every tap reads from. */
export class TapStream extends RecordStream {
  constructor(private readonly taps: ReadonlySet<LogTap>) {
    super();
  }
  protected writeRecord(r: LogRecord): void {
    for (const tap of this.taps) tap.offer(r);
  }
  flushSync(): void {}
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const PINO_METADATA: unique symbol = Symbol.for('pino.metadata') as never;

interface MetadataStream {
  lastLevel: number;
  lastMsg: string;
  lastTime: string;
  lastObj: unknown;
  lastLogger: unknown;
}

/** An output behind the daemon's filters: what only a tap asked for never reaches it. */
export class GatedDestination {
  readonly [PINO_METADATA] = true;
  lastLevel = 0;
  lastMsg = '';
  lastTime = '';
  lastObj: unknown;
  lastLogger: { [GATE_LEVEL]?: number } | undefined;
  readonly #innerWantsMetadata: boolean;

  constructor(readonly inner: LogDestination) {
    this.#innerWantsMetadata = (inner as unknown as Record<symbol, unknown>)[PINO_METADATA] === true;
  }

  write(json: string): void {
    const gate = this.lastLogger?.[GATE_LEVEL];
    if (gate !== undefined && this.lastLevel < gate) return;
    if (this.#innerWantsMetadata) {
      const m = this.inner as unknown as MetadataStream;
      m.lastLevel = this.lastLevel;
      m.lastMsg = this.lastMsg;
      m.lastTime = this.lastTime;
      m.lastObj = this.lastObj;
      m.lastLogger = this.lastLogger;
    }
    this.inner.write(json);
  }
}
