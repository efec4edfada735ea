/**
 * Live log subscribers of the extension program: each admin client that asked
 * gets the daemon's log records its filters let through, pushed as they happen
 * (no log file needed). Records are gathered over one turn of the event loop
 * and sent as one LOG_RECORDS message; a subscriber that leaves 256 KiB unread
 * is disconnected by ServerClient.sendEvent, so none makes the daemon buffer
 * without bound. A turn that logs more than a batch holds sends the first ones
 * and says how many were left out.
 */
import { type ProcedureSpec, encodeFrame, ErrorCode, ErrorDomain, errorsFrom, Extension, EXTENSION_PROGRAM, MessageStatus, MessageType, PROGRAM_VERSION } from '../../../rpc/index.js';
import type { LogRecordMessage, LogSubscribed, LogSubscription } from '../../../rpc/index.js';
import { formatLogFilters, parseLogFilters, parsePriority, type DaemonLogger, type LogPriority } from '../../logging/index.js';
import type { LogTapHandle } from '../../logging/daemon-logger.js';
import type { ServerClient } from '../../runtime/index.js';

const fail = errorsFrom(ErrorDomain.None);

/** Records in one message at most: a turn of the event loop rarely logs more. */
export const LOG_BATCH_MAX = 1000;

interface Subscriber {
  tap: LogTapHandle;
  subscribed: LogSubscribed;
  pending: LogRecordMessage[];
  dropped: number;
  scheduled: boolean;
}

function frameOf<T>(spec: ProcedureSpec<T, void>, body: T): Buffer {
  const header = { prog: EXTENSION_PROGRAM, vers: PROGRAM_VERSION, proc: spec.proc, type: MessageType.Message, serial: 0, status: MessageStatus.Ok };
  return encodeFrame(header, spec.args, body);
}

export class LogSubscriptions {
  readonly #subscribers = new Map<ServerClient, Subscriber>();

  constructor(private readonly logger: DaemonLogger) {}

  /** Takes (or replaces) a client's subscription; bad filters are refused with libvirt's message and change nothing. */
  subscribe(client: ServerClient, sub: LogSubscription): LogSubscribed {
    const filters = parseLogFilters(sub.filters ?? null);
    let priority: LogPriority = this.logger.level;
    if (sub.priority !== undefined) {
      const p = parsePriority(String(sub.priority));
      if (p === undefined) throw fail(ErrorCode.InvalidArg, `Invalid priority '${sub.priority}': expected 1 (debug) to 4 (error)`);
      priority = p;
    }
    const subscribed = { filters: formatLogFilters(filters), priority };
    const previous = this.#subscribers.get(client);
    const s: Subscriber = { tap: undefined as unknown as LogTapHandle, subscribed, pending: previous?.pending ?? [], dropped: previous?.dropped ?? 0, scheduled: previous?.scheduled ?? false };
    s.tap = this.logger.addTap({ filters, priority, deliver: (r) => this.#queue(client, s, r) });
    previous?.tap.close();
    this.#subscribers.set(client, s);
    if (!previous) client.whenClosed(() => this.unsubscribe(client));
    return subscribed;
  }

  unsubscribe(client: ServerClient): void {
    const s = this.#subscribers.get(client);
    if (!s) return;
    s.tap.close();
    this.#subscribers.delete(client);
  }

  /** What a re-exec carries for this client (its connection survives; so does its subscription). */
  saved(client: ServerClient): LogSubscription | undefined {
    const s = this.#subscribers.get(client)?.subscribed;
    return s && { filters: s.filters, priority: s.priority };
  }

  #queue(client: ServerClient, s: Subscriber, r: LogRecordMessage): void {
    if (this.#subscribers.get(client) !== s) return;
    if (s.pending.length >= LOG_BATCH_MAX) s.dropped++;
    else s.pending.push(r);
    if (s.scheduled) return;
    s.scheduled = true;
    // Sent after this turn: a record logged while sending (a dropped subscriber is logged) joins the next batch.
    setImmediate(() => this.#flush(client, s));
  }

  #flush(client: ServerClient, s: Subscriber): void {
    s.scheduled = false;
    if (this.#subscribers.get(client) !== s || (s.pending.length === 0 && s.dropped === 0)) return;
    const batch = { records: s.pending, dropped: s.dropped };
    s.pending = [];
    s.dropped = 0;
    client.sendEvent(frameOf(Extension.logRecords, batch));
  }
}
