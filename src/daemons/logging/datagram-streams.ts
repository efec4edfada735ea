/**
 * The log outputs that send datagrams to a local collector, through the dgram addon
 * (Node has no UNIX datagram sockets):
 * - journald: journald's native protocol to /run/systemd/journal/socket, with
 *   libvirt's fields (journal-entry.ts); an entry too big for one datagram goes in a
 *   sealed memfd, as journald expects.
 * - syslog: what glibc's syslog(3) sends to /dev/log after libvirt's openlog(ident, 0, 0):
 *   `<PRI>Mmm dd hh:mm:ss IDENT: ` and libvirt's line without its timestamp, with the
 *   user facility (libvirt sets none) and the message's severity.
 * Sending never blocks the daemon: when the collector is behind (EAGAIN) the line is
 * dropped and the next one that gets through says how many were lost. With no collector
 * listening the lines are dropped, as libvirt drops them; stderr says so once.
 */
import { closeSync } from 'node:fs';
import { constants } from 'node:os';
import { lazyAddon } from '../runtime/native-addon.js';
import { callSite, mapCallSites } from './call-site.js';
import { encodeJournalEntry } from './journal-entry.js';
import { PRIORITY_NAMES, SYSLOG_SEVERITY } from '../../conf/log-priority.js';
import { type LogRecord, RecordStream } from './log-record.js';

interface DgramAddon {
  socket(): number;
  sendTo(fd: number, path: string, data: Buffer): number;
  sendMemfdTo(fd: number, path: string, data: Buffer): number;
}
const dgram = lazyAddon<DgramAddon>('dgram');
const { EAGAIN, EMSGSIZE, ENOBUFS } = constants.errno;

export const JOURNAL_SOCKET = '/run/systemd/journal/socket';
export const SYSLOG_SOCKET = '/dev/log';
const LOG_USER = 1;
const LOG_DAEMON = 3;

abstract class DatagramStream extends RecordStream {
  protected readonly fd = dgram.socket();
  #dropped = 0;
  #warned = false;

  constructor(
    readonly socketPath: string,
    readonly what: string,
  ) {
    super();
  }

  /** Sends one datagram; 0 when it went out, else the errno (and the line counts as dropped). */
  protected send(data: Buffer): number {
    let err = dgram.sendTo(this.fd, this.socketPath, data);
    if (err === EMSGSIZE || err === ENOBUFS) err = this.sendLarge(data);
    if (err === 0) return 0;
    this.#dropped++;
    if (err !== EAGAIN && !this.#warned) {
      this.#warned = true;
      process.stderr.write(`virtd: ${this.what} log output: cannot send to ${this.socketPath} (errno ${err}); its lines are dropped\n`);
    }
    return err;
  }

  /** What to do with an entry too big for one datagram. */
  protected sendLarge(_data: Buffer): number {
    return EMSGSIZE;
  }

  /** Lines lost since the last that got through (0 most of the time). */
  protected takeDropped(): number {
    const n = this.#dropped;
    this.#dropped = 0;
    return n;
  }

  flushSync(): void {}

  close(): Promise<void> {
    closeSync(this.fd);
    return Promise.resolve();
  }
}

function droppedNotice(lost: number, collector: string): string {
  return `${lost} earlier log messages were dropped: ${collector} did not keep up`;
}

export class JournaldStream extends DatagramStream {
  constructor(
    readonly ident: string,
    socketPath = JOURNAL_SOCKET,
  ) {
    super(socketPath, 'journald');
    mapCallSites();
  }

  protected writeRecord(r: LogRecord): void {
    const site = callSite();
    const entry = (message: string) =>
      encodeJournalEntry([
        ['MESSAGE', message],
        ['PRIORITY', SYSLOG_SEVERITY[r.priority]],
        ['SYSLOG_FACILITY', LOG_DAEMON],
        ['SYSLOG_IDENTIFIER', this.ident],
        ['LIBVIRT_SOURCE', r.category],
        ...(site ? ([['CODE_FILE', site.file], ['CODE_LINE', site.line], ['CODE_FUNC', site.func]] as const) : []),
      ]);
    if (this.send(entry(r.message)) !== 0) return;
    const lost = this.takeDropped();
    if (lost > 0) this.send(entry(droppedNotice(lost, 'the journal')));
  }

  protected override sendLarge(data: Buffer): number {
    return dgram.sendMemfdTo(this.fd, this.socketPath, data);
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** syslog's timestamp as glibc writes it: local time, `Nov  3 09:05:01`. */
function syslogTime(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

export class SyslogStream extends DatagramStream {
  constructor(
    readonly ident: string,
    socketPath = SYSLOG_SOCKET,
  ) {
    super(socketPath, 'syslog');
  }

  protected writeRecord(r: LogRecord): void {
    const datagram = (priority: LogRecord['priority'], category: string, message: string) =>
      Buffer.from(`<${LOG_USER * 8 + SYSLOG_SEVERITY[priority]}>${syslogTime(new Date())} ${this.ident}: ${process.pid}: ${PRIORITY_NAMES[priority]} : ${category} : ${message}\n`);
    if (this.send(datagram(r.priority, r.category, r.message)) !== 0) return;
    const lost = this.takeDropped();
    if (lost > 0) this.send(datagram(3, 'logging', droppedNotice(lost, 'syslog')));
  }
}
