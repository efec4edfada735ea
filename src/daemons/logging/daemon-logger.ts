/**
 * DaemonLogger: a daemon's logging settings (level, filters, outputs) with
 * libvirt's semantics (daemons.md §9), changeable live through the admin
 * program, and the loggers its modules write through.
 *
 * Line format, as libvirt writes it to stderr and files:
 *   `2026-11-24 00:40:01.437+0000: 21354: error : rpc.server : text`
 * libvirt puts a thread id where we put the pid (Node runs one thread), and
 * `function:line` where we put the category.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatLogFilters, filterPriority, type LogFilter, parseLogFilters } from './log-filters.js';
import { formatLogOutputs, type LogOutput, parseLogOutputs } from './log-outputs.js';
import { DEFAULT_PRIORITY, type LogPriority, LogPriority as P, PRIORITY_NAMES, parsePriority } from './log-priority.js';
import { type LogSink, openSink } from './log-sinks.js';

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  child(category: string): Logger;
}

export interface LoggerOptions {
  /** The daemon's name: journald identifier and default log file name. */
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
  /** The journald socket whose presence makes journald the default; injectable for tests. */
  journalSocket?: string;
  stdinIsTTY?: boolean;
}

/** LIBVIRT_DEBUG accepts 1-4 or the priority names. */
function envPriority(value: string | undefined): LogPriority | undefined {
  if (!value) return undefined;
  const byName: Record<string, LogPriority> = { debug: P.Debug, info: P.Info, warning: P.Warning, warn: P.Warning, error: P.Error };
  return byName[value.toLowerCase()] ?? parsePriority(value);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function timestamp(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`;
}

export class DaemonLogger {
  #level: LogPriority;
  #filters: LogFilter[] = [];
  #outputs: LogOutput[] = [];
  #sinks: LogSink[] = [];
  readonly #opts: LoggerOptions;

  constructor(opts: LoggerOptions) {
    this.#opts = opts;
    const env = opts.env ?? process.env;
    let level = envPriority(env.LIBVIRT_DEBUG) ?? (opts.level ? parsePriority(String(opts.level)) : undefined) ?? DEFAULT_PRIORITY;
    if (opts.verbose && level > P.Info) level = P.Info;
    this.#level = level;
    this.setFilters(env.LIBVIRT_LOG_FILTERS ?? opts.filters ?? null);
    this.setOutputs(env.LIBVIRT_LOG_OUTPUTS ?? opts.outputs ?? null);
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
  }

  /** null or "" restores the default output. The new sinks are opened before the old are closed. */
  setOutputs(text: string | null): void {
    const outputs = text ? parseLogOutputs(text) : [this.defaultOutput()];
    // The default log file's directory is ours to create (libvirt does the same); a
    // directory an operator names must already exist.
    const fallback = outputs[0];
    if (!text && fallback?.destination === 'file') mkdirSync(dirname(fallback.name!), { recursive: true, mode: 0o700 });
    const sinks: LogSink[] = [];
    try {
      for (const o of outputs) sinks.push(openSink(o, this.#opts.ident));
    } catch (err) {
      for (const s of sinks) s.close();
      throw err;
    }
    for (const s of this.#sinks) s.close();
    this.#outputs = outputs;
    this.#sinks = sinks;
  }

  /** libvirt's default output (daemons.md §9). */
  defaultOutput(): LogOutput {
    const o = this.#opts;
    const journal = o.journalSocket ?? '/run/systemd/journal/socket';
    const hasJournal = existsSync(journal);
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
    return priority >= (filterPriority(this.#filters, category) ?? this.#level);
  }

  log(category: string, priority: LogPriority, message: string): void {
    if (!this.enabled(category, priority)) return;
    const line = `${timestamp(new Date())}: ${process.pid}: ${PRIORITY_NAMES[priority]} : ${category} : ${message}\n`;
    this.#outputs.forEach((o, i) => {
      if (priority >= o.priority) this.#sinks[i]!.write(line, priority);
    });
  }

  child(category: string): Logger {
    const at = (p: LogPriority) => (msg: string) => this.log(category, p, msg);
    return {
      debug: at(P.Debug),
      info: at(P.Info),
      warn: at(P.Warning),
      error: at(P.Error),
      child: (sub: string) => this.child(`${category}.${sub}`),
    };
  }

  close(): void {
    for (const s of this.#sinks) s.close();
    this.#sinks = [];
  }
}
