/**
 * DaemonLogger: a daemon's logging, with libvirt's settings (level, filters, outputs;
 * daemons.md §9) changeable live through the admin program, on pino:
 * - libvirt's priorities are pino's levels (1 debug, 2 info, 3 warn, 4 error);
 * - each module logs through a pino child for its category (`rpc.server.libvirtd`), whose
 *   level is what the filters say for that category (the first match), else the default;
 * - each output is a destination in one pino.multistream, at the output's own level:
 *   libvirt's text line on stderr and in files, JSON lines in `json` files, journald's
 *   native protocol, syslog datagrams (log-destinations.ts);
 * - files are written asynchronously (SonicBoom) and reopened on reopen() (SIGHUP) and
 *   whenever the outputs are set again.
 * Everything runs in the daemon's thread (no worker transport), so nothing is lost at exit.
 * Live log taps (log-tap.ts) read the records with filters of their own, beside the outputs.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pino, { type Logger as PinoLogger, type MultiStreamRes } from 'pino';
import { openDestination, type DestinationOptions, type LogDestination } from './log-destinations.js';
import { filterPriority, formatLogFilters, type LogFilter, parseLogFilters } from '../../conf/log-filters.js';
import { formatLogOutputs, type LogOutput, parseLogOutputs } from '../../conf/log-outputs.js';
import { effectiveLogPriority } from '../../conf/log-defaults.js';
import { LogPriority as P, type LogPriority, PINO_LEVEL } from '../../conf/log-priority.js';
import { CATEGORY } from './log-record.js';
import { isoTimestamp } from './log-time.js';
import { JOURNAL_SOCKET } from './datagram-streams.js';
import { GATE_LEVEL, GatedDestination, LogTap, type LogTapSpec, TapStream } from './log-tap.js';

/** What daemon code logs through: one per category, from DaemonLogger.child(). */
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** Whether a message at this level would go anywhere: build costly messages only then. */
  enabled(level: 'debug' | 'info' | 'warn' | 'error'): boolean;
  child(category: string): Logger;
}

export interface LoggerOptions extends DestinationOptions {
  /** The daemon's name: journald's and syslog's identifier and the default log file's name. */
  ident: string;
  mode: 'system' | 'session';
  /** log_level, log_filters, log_outputs from the config file. */
  level?: number;
  filters?: string;
  outputs?: string;
  verbose?: boolean;
  daemonized?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Where the session's default log file goes ($XDG_CACHE_HOME/libvirt), and the system's (/var/log/libvirt). */
  logDir: string;
  stdinIsTTY?: boolean;
}

interface Category {
  pino: PinoLogger;
  logger: Logger;
}

/** pino's level numbers: 20 debug, 30 info, 40 warn, 50 error. */
const pinoNumber = (p: LogPriority) => (p + 1) * 10;

/** A live log reader's hold on the logger: ended with close(). */
export interface LogTapHandle {
  close(): void;
}

/** Every live DaemonLogger, flushed once at process exit. */
const live = new Set<DaemonLogger>();
let exitHookInstalled = false;

export class DaemonLogger {
  #level: LogPriority;
  #filters: LogFilter[] = [];
  #outputs: LogOutput[] = [];
  #destinations: LogDestination[] = [];
  #streamIds: number[] = [];
  readonly #multistream: MultiStreamRes;
  readonly #root: PinoLogger;
  readonly #categories = new Map<string, Category>();
  readonly #opts: LoggerOptions;
  readonly #taps = new Set<LogTap>();
  #tapStreamId: number | undefined;

  constructor(opts: LoggerOptions) {
    this.#opts = opts;
    const env = opts.env ?? process.env;
    this.#level = effectiveLogPriority(opts.level, env, opts.verbose === true);
    this.#multistream = pino.multistream([]);
    this.#root = pino(
      {
        level: 'debug',
        base: { pid: process.pid, daemon: opts.ident },
        timestamp: isoTimestamp,
        // The json flavour names the level as libvirt and pino do, side by side.
        formatters: { level: (label, number) => ({ level: label, priority: Math.min(4, Math.max(1, number / 10 - 1)) }) },
      },
      this.#multistream,
    );
    this.setFilters(env.LIBVIRT_LOG_FILTERS ?? opts.filters ?? null);
    this.setOutputs(env.LIBVIRT_LOG_OUTPUTS ?? opts.outputs ?? null);
    live.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => {
        for (const logger of live) logger.flushSync();
      });
    }
  }

  get level(): LogPriority {
    return this.#level;
  }

  get nfilters(): number {
    return this.#filters.length;
  }

  get noutputs(): number {
    return this.#outputs.length;
  }

  filtersText(): string | null {
    return formatLogFilters(this.#filters);
  }

  outputsText(): string {
    return formatLogOutputs(this.#outputs);
  }

  /** null or "" clears the filters. A bad item rejects the whole text and changes nothing. */
  setFilters(text: string | null): void {
    this.#filters = parseLogFilters(text);
    this.#applyLevels();
  }

  /**
   * Hands every record the tap's filters let through to `spec.deliver`, synchronously,
   * whatever the daemon's own filters say (they still decide what the outputs write).
   */
  addTap(spec: LogTapSpec): LogTapHandle {
    const tap = new LogTap(spec);
    this.#taps.add(tap);
    if (this.#tapStreamId === undefined) {
      this.#multistream.add({ level: PINO_LEVEL[P.Debug], stream: new TapStream(this.#taps) });
      this.#tapStreamId = (this.#multistream as unknown as { lastId: number }).lastId;
    }
    this.#applyLevels();
    return {
      close: () => {
        if (!this.#taps.delete(tap)) return;
        if (this.#taps.size === 0 && this.#tapStreamId !== undefined) {
          this.#multistream.remove(this.#tapStreamId);
          this.#tapStreamId = undefined;
        }
        this.#applyLevels();
      },
    };
  }

  get tapCount(): number {
    return this.#taps.size;
  }

  /**
   * null or "" restores the default output. Every new destination is opened before the
   * old ones are closed, so a bad output changes nothing; files are opened anew.
   */
  setOutputs(text: string | null): void {
    const outputs = text ? parseLogOutputs(text) : [this.defaultOutput()];
    // The default log file's directory is ours to create (libvirt does the same); a
    // directory an operator names must already exist.
    const fallback = outputs[0];
    if (!text && fallback?.destination === 'file') mkdirSync(dirname(fallback.name!), { recursive: true, mode: 0o700 });
    const opened: LogDestination[] = [];
    try {
      for (const o of outputs) opened.push(openDestination(o, this.#opts.ident, this.#opts));
    } catch (err) {
      for (const d of opened) void d.close();
      throw err;
    }
    const ids = opened.map((stream, i) => {
      this.#multistream.add({ level: PINO_LEVEL[outputs[i]!.priority], stream: new GatedDestination(stream) });
      // pino numbers the streams it adds; remove() takes that number.
      return (this.#multistream as unknown as { lastId: number }).lastId;
    });
    for (const id of this.#streamIds) this.#multistream.remove(id);
    for (const d of this.#destinations) void d.close();
    this.#outputs = outputs;
    this.#destinations = opened;
    this.#streamIds = ids;
  }

  /** libvirt's default output (daemons.md §9). */
  defaultOutput(): LogOutput {
    const o = this.#opts;
    const hasJournal = existsSync(o.journalSocket ?? JOURNAL_SOCKET);
    const priority = this.#level;
    if (o.daemonized) {
      if (hasJournal) return { priority: Math.max(priority, P.Info) as LogPriority, destination: 'journald' };
      return { priority, destination: 'file', name: join(o.logDir, `${o.ident}.log`) };
    }
    if (!(o.stdinIsTTY ?? process.stdin.isTTY) && hasJournal) {
      return { priority: Math.max(priority, P.Info) as LogPriority, destination: 'journald' };
    }
    return { priority, destination: 'stderr' };
  }

  /** Whether a message of this category and priority would be written anywhere. */
  enabled(category: string, priority: LogPriority): boolean {
    return priority >= this.#lowestFor(category);
  }

  log(category: string, priority: LogPriority, message: string): void {
    this.#category(category).pino[PINO_LEVEL[priority]](message);
  }

  child(category: string): Logger {
    return this.#category(category).logger;
  }

  /** Logrotate renamed the files: later lines go to new files at the same paths (SIGHUP). */
  reopen(): void {
    for (const d of this.#destinations) d.file?.reopen();
  }

  flushSync(): void {
    for (const d of this.#destinations) d.flushSync();
  }

  /** Writes out every buffered line and closes the outputs. */
  async close(): Promise<void> {
    live.delete(this);
    for (const id of this.#streamIds) this.#multistream.remove(id);
    const closing = this.#destinations.map((d) => d.close());
    this.#destinations = [];
    this.#streamIds = [];
    await Promise.all(closing);
  }

  #priorityFor(category: string): LogPriority {
    return filterPriority(this.#filters, category) ?? this.#level;
  }

  /** The lowest priority anyone reads for the category: the daemon's filters, or a tap's. */
  #lowestFor(category: string): LogPriority {
    let lowest = this.#priorityFor(category);
    for (const tap of this.#taps) lowest = Math.min(lowest, tap.priorityFor(category)) as LogPriority;
    return lowest;
  }

  #setLevel(category: string, child: PinoLogger): void {
    child.level = PINO_LEVEL[this.#lowestFor(category)];
    (child as unknown as { [GATE_LEVEL]: number })[GATE_LEVEL] = pinoNumber(this.#priorityFor(category));
  }

  #applyLevels(): void {
    for (const [category, c] of this.#categories) this.#setLevel(category, c.pino);
  }

  #category(category: string): Category {
    let c = this.#categories.get(category);
    if (!c) {
      const child = this.#root.child({ category });
      this.#setLevel(category, child);
      (child as unknown as { [CATEGORY]: string })[CATEGORY] = category;
      const logger: Logger = {
        debug: (msg) => child.debug(msg),
        info: (msg) => child.info(msg),
        warn: (msg) => child.warn(msg),
        error: (msg) => child.error(msg),
        enabled: (level) => child.isLevelEnabled(level),
        child: (sub) => this.child(`${category}.${sub}`),
      };
      c = { pino: child, logger };
      this.#categories.set(category, c);
    }
    return c;
  }
}
