/**
 * Program: a number, a version, and a table of procedures with their handlers
 * and the dispatch facts libvirt attaches to each: priority (may run on a
 * priority worker), whether it changes state (refused on read-only
 * connections), and whether it may run before authentication.
 */
import type { Header, ProcedureSpec } from '../../rpc/index.js';
import type { ServerClient } from './server-client.js';

export interface CallContext {
  header: Header;
  /** The whole call frame, for programs that pass calls on as they are (the proxy). */
  frame: Buffer;
  client: ServerClient;
  /** Close the connection once this call's reply has been written (CONNECT_CLOSE). */
  closeAfterReply(): void;
  /**
   * Run `fn` right after this call's successful reply is queued, before anything else is
   * written: the final SASL step switches the connection to its security layer there.
   */
  afterReplyQueued(fn: () => void): void;
  /**
   * Pass these descriptors after the reply (REPLY_WITH_FDS), as virtlogd hands out a log
   * pipe; they are closed here once sent.
   */
  attachFds?(fds: number[]): void;
}

export interface ProcedureEntry<A = any, R = any> {
  spec: ProcedureSpec<A, R>;
  handler: (args: A, ctx: CallContext) => R | Promise<R>;
  priority?: boolean;
  /** The public API this procedure serves, named in the read-only refusal; set only for state changes. */
  writeApi?: string;
  /** AUTH_LIST and the AUTH_* steps run before the client is authenticated. */
  beforeAuth?: boolean;
}

export function entry<A, R>(
  spec: ProcedureSpec<A, R>,
  handler: (args: A, ctx: CallContext) => R | Promise<R>,
  options: Omit<ProcedureEntry<A, R>, 'spec' | 'handler'> = {},
): ProcedureEntry<A, R> {
  return { spec, handler, ...options };
}

/**
 * Answers a call no entry handles with a whole reply frame (the proxy relays
 * such calls to the daemon behind it); without one, such a call is
 * "unknown procedure".
 */
export type ForwardHandler = (ctx: CallContext) => Promise<Buffer>;

/** State a program keeps per client (virtlockd's lock owner), carried to the next image on re-exec. */
export interface ClientStateHandoff {
  /** What to carry for this client; undefined when there is nothing. */
  save(client: ServerClient): unknown;
  restore(client: ServerClient, saved: unknown): void;
}

export class Program {
  readonly #procedures = new Map<number, ProcedureEntry>();
  clientHandoff: ClientStateHandoff | undefined;

  constructor(
    readonly number: number,
    readonly version: number,
    /** The error domain of this program's read-only refusals. */
    readonly domain: number,
    entries: readonly ProcedureEntry[],
    readonly forward?: ForwardHandler,
  ) {
    for (const e of entries) this.#procedures.set(e.spec.proc, e);
  }

  lookup(proc: number): ProcedureEntry | undefined {
    return this.#procedures.get(proc);
  }
}
