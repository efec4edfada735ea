/**
 * A daemon's log as it happens. Ours push their records through the extension
 * program, through the viewer's own filters, with no file involved; libvirt's
 * cannot, so their file output (the first `file` in daemon-log-outputs) is
 * followed on their host when there is one and it can be read. While a debug
 * capture covers the daemon, its capture file is what is followed.
 */
import type { AdminClient, Host, LogRecordMessage } from '../../admin-client/index.js';
import { parseLogOutputs } from '../../conf/index.js';
import { FileFollower } from './file-follower.js';

export interface LogLine {
  /** ISO time, when the line says it. */
  time?: string;
  priority?: number;
  category?: string;
  text: string;
}

export type LiveLogSource =
  | { kind: 'stream'; filters: string | null; priority: number }
  | { kind: 'file'; path: string; why: 'capture' | 'output' }
  | { kind: 'none'; why: string };

export interface LiveLogOptions {
  /** libvirt's filter syntax, for the stream; null: the daemon's default priority for everything. */
  filters?: string | null;
  priority?: number;
  /** A capture's file for this daemon, followed instead. */
  captureFile?: string;
}

export interface LiveLogEvents {
  lines(lines: LogLine[]): void;
  note(text: string): void;
}

const PRIORITIES: Readonly<Record<string, number>> = { debug: 1, info: 2, warning: 3, error: 4 };
const LINE = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})\+0000: \d+: (debug|info|warning|error) : (\S+) : (.*)$/;

/** libvirt's text line (ours writes the same) read back into its parts. */
export function parseLogLine(text: string): LogLine {
  const m = LINE.exec(text);
  if (!m) return { text };
  return { time: `${m[1]}T${m[2]}Z`, priority: PRIORITIES[m[3]!], category: m[4], text: m[5]! };
}

function fromRecord(r: LogRecordMessage): LogLine {
  return { time: r.time, priority: r.priority, category: r.category, text: r.message };
}

export class LiveLog {
  #follower: FileFollower | undefined;
  #admin: AdminClient | undefined;

  private constructor(readonly source: LiveLogSource) {}

  static async start(admin: AdminClient, host: Host, opts: LiveLogOptions, events: LiveLogEvents): Promise<LiveLog> {
    const follow = async (path: string, why: 'capture' | 'output') => {
      const log = new LiveLog({ kind: 'file', path, why });
      log.#follower = new FileFollower(host, path, { lines: (l) => events.lines(l.map(parseLogLine)), note: events.note });
      await log.#follower.start();
      return log;
    };
    if (opts.captureFile) return follow(opts.captureFile, 'capture');
    const taken = await admin.subscribeLog({ filters: opts.filters ?? null, ...(opts.priority ? { priority: opts.priority } : {}) }, (batch) => {
      events.lines(batch.records.map(fromRecord));
      if (batch.dropped) events.note(`${batch.dropped} records left out: more came at once than a message holds`);
    });
    if (taken) {
      const log = new LiveLog({ kind: 'stream', filters: taken.filters, priority: taken.priority });
      log.#admin = admin;
      return log;
    }
    const outputs = await admin.getLoggingOutputs();
    const file = parseLogOutputs(outputs.outputs).find((o) => o.destination === 'file');
    if (!file) return new LiveLog({ kind: 'none', why: `libvirt's daemons cannot stream their log, and this one logs to no file (outputs: ${outputs.outputs})` });
    try {
      return await follow(file.name!, 'output');
    } catch (err) {
      return new LiveLog({ kind: 'none', why: `its log file ${file.name} cannot be followed: ${(err as Error).message}` });
    }
  }

  async stop(): Promise<void> {
    this.#follower?.stop();
    if (this.#admin) await this.#admin.unsubscribeLog().catch(() => {});
  }
}
