/**
 * AdminSession: one admin connection's life for AdminClient: opened (CONNECT_OPEN),
 * lost, opened again with backoff when `reconnect` is set, closed; its state for
 * whoever follows it; and what our daemons push (client, settings and live log
 * events), subscribed again after each reconnect. A daemon on another host is
 * reached through `reach`: a local socket to its socket there, set up again
 * before every connection attempt.
 */
import {
  Admin,
  type ClientEvent,
  Extension,
  EXTENSION_PROGRAM,
  type LogRecordBatch,
  type LogSubscribed,
  type LogSubscription,
  type ProcedureSpec,
  type SettingsEvent,
} from '../rpc/index.js';
import { ConnectionLost } from './admin-client-error.js';
import { deliverEvent, isMissingProgram } from './admin-results.js';
import { AdminConnection, type ConnectionOptions } from './admin-connection.js';
import type { ResolvedUri, UriContext } from './admin-uri.js';
import { type HostFiles, localFiles } from './host-files.js';
import type { ConnectionState } from './admin-types.js';

export interface AdminClientOptions extends ConnectionOptions {
  /** Reconnect with backoff when the connection is lost, instead of failing for good. */
  reconnect?: boolean;
  /** First and largest delay between reconnect attempts. */
  backoffMs?: { initial: number; max: number };
  uriContext?: UriContext;
  /** The daemon is on another host: how to reach it from here. */
  reach?: RemoteReach;
}

/** A daemon on another host: how its socket is reached from here, and that host's files. */
export interface RemoteReach {
  /** The host as the operator named it (the SSH destination). */
  readonly hostName: string;
  readonly files: HostFiles;
  /**
   * Makes the daemon's socket on that host reachable from here, now: its path there, and the
   * local socket that reaches it. Rejects with why not (host unreachable, socket absent there).
   */
  dial(): Promise<{ remotePath: string; localPath: string }>;
}

/**
 * One admin session's life: the connection (opened again with backoff when
 * `reconnect` is set), its state, and what the daemon pushes (our extension
 * program's client, settings and log events), renewed after every reconnect.
 * AdminClient adds a typed method per procedure.
 */
export class AdminSession {
  #target: ResolvedUri;
  readonly #opts: AdminClientOptions;
  #conn: AdminConnection | undefined;
  #state: ConnectionState = 'connecting';
  #lastError: Error | undefined;
  #stateListeners = new Set<(state: ConnectionState, error?: Error) => void>();
  #clientEventListeners = new Set<(event: ClientEvent) => void>();
  #settingsListeners = new Set<(event: SettingsEvent) => void>();
  #logListeners = new Set<(batch: LogRecordBatch) => void>();
  /** The live log subscription to renew after a reconnect. */
  #logSubscription: LogSubscription | undefined;
  /** This connection asked not to keep the daemon up (renewed after a reconnect). */
  #holdReleased = false;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #attempt = 0;

  protected constructor(target: ResolvedUri, opts: AdminClientOptions) {
    this.#target = target;
    this.#opts = opts;
  }

  /** Opens the connection (CONNECT_OPEN, flags 0); with `reconnect`, a failure is retried instead of thrown. */
  protected async start(): Promise<void> {
    try {
      await this.#open();
    } catch (err) {
      if (!this.#opts.reconnect) throw err;
      this.#lost(err as Error);
    }
  }

  get uri(): string {
    return this.#target.uri;
  }

  /** Where the daemon is: its URI, its socket (on its host), its name and mode, and the host when remote. */
  get target(): ResolvedUri {
    return this.#target;
  }

  /** Files on the daemon's host (/proc there), for who its peers and its process are. */
  get files(): HostFiles {
    return this.#opts.reach?.files ?? localFiles;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /** Follow connection state changes; returns the unsubscribe function. */
  onState(listener: (state: ConnectionState, error?: Error) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  #setState(state: ConnectionState, error?: Error): void {
    this.#state = state;
    if (error) this.#lastError = error;
    for (const l of this.#stateListeners) l(state, error);
  }

  async #open(): Promise<void> {
    let path = this.#target.socketPath;
    if (this.#opts.reach) {
      const { remotePath, localPath } = await this.#opts.reach.dial();
      this.#target = { ...this.#target, socketPath: remotePath };
      path = localPath;
    }
    const conn = await AdminConnection.open(path, this.#opts);
    conn.onClose = (reason) => {
      if (this.#conn === conn) this.#lost(reason);
    };
    await conn.call(Admin.connectOpen, { flags: 0 });
    conn.onEvent = (prog, proc, frame) =>
      deliverEvent(prog, proc, frame, { client: this.#clientEventListeners, settings: this.#settingsListeners, log: this.#logListeners });
    // A reconnected daemon forgets subscriptions: ask again before anyone calls.
    if (this.#clientEventListeners.size > 0) await conn.call(Extension.subscribeClientEvents, undefined, EXTENSION_PROGRAM).catch(() => {});
    if (this.#logSubscription) await conn.call(Extension.subscribeLog, this.#logSubscription, EXTENSION_PROGRAM).catch(() => {});
    if (this.#holdReleased) await conn.call(Extension.releaseIdleHold, undefined, EXTENSION_PROGRAM).catch(() => {});
    this.#conn = conn;
    this.#attempt = 0;
    this.#setState('connected');
  }

  /**
   * Live log: `listener` gets the daemon's records that `sub`'s filters let through, as they
   * happen, until unsubscribeLog (renewed after reconnects; again replaces the filters).
   * Resolves the filters as the daemon took them, or undefined from a daemon without the
   * extension program (libvirt's: follow its log file instead). Bad filters reject with
   * libvirt's message.
   */
  async subscribeLog(sub: LogSubscription, listener: (batch: LogRecordBatch) => void): Promise<LogSubscribed | undefined> {
    const taken = await this.extension(Extension.subscribeLog, sub);
    if (!taken) return undefined;
    this.#logSubscription = { filters: taken.filters, priority: taken.priority };
    this.#logListeners.clear();
    this.#logListeners.add(listener);
    return taken;
  }

  /**
   * Our daemons: this connection stops counting against auto-shutdown (libvirt counts every
   * admin client, so a console watching a daemon started with --timeout would keep it up for
   * ever). False from libvirt's daemons, which this console then keeps up while attached.
   */
  async releaseIdleHold(): Promise<boolean> {
    try {
      await this.#extension(Extension.releaseIdleHold, undefined);
    } catch (err) {
      if (isMissingProgram(err)) return false;
      throw err;
    }
    this.#holdReleased = true;
    return true;
  }

  async unsubscribeLog(): Promise<void> {
    this.#logSubscription = undefined;
    this.#logListeners.clear();
    if (this.#conn) await this.extension(Extension.unsubscribeLog, undefined);
  }

  /**
   * Pushes client connect/disconnect events to `listener` (re-subscribed after reconnects).
   * Resolves false when the daemon has no extension program: poll instead.
   */
  async subscribeClientEvents(listener: (event: ClientEvent) => void): Promise<boolean> {
    try {
      await this.#extension(Extension.subscribeClientEvents, undefined);
    } catch (err) {
      if (isMissingProgram(err)) return false;
      throw err;
    }
    this.#clientEventListeners.add(listener);
    return true;
  }

  /** Settings changed through the admin program, pushed while client events are subscribed to. */
  onSettingsChanged(listener: (event: SettingsEvent) => void): () => void {
    this.#settingsListeners.add(listener);
    return () => this.#settingsListeners.delete(listener);
  }

  /** A call of our extension program; undefined from a daemon without it (libvirt's own). */
  async extension<A, R>(spec: ProcedureSpec<A, R>, args: A): Promise<R | undefined> {
    try {
      return await this.#extension(spec, args);
    } catch (err) {
      if (isMissingProgram(err)) return undefined;
      throw err;
    }
  }

  #extension<A, R>(spec: ProcedureSpec<A, R>, args: A): Promise<R> {
    const conn = this.#conn;
    if (!conn) throw this.#lastError ?? new ConnectionLost('no valid connection');
    return conn.call(spec, args, EXTENSION_PROGRAM);
  }

  #lost(reason: Error): void {
    this.#conn = undefined;
    if (this.#state === 'closed') return;
    if (!this.#opts.reconnect) {
      this.#setState('lost', reason);
      return;
    }
    this.#setState(this.#attempt === 0 ? 'lost' : 'reconnecting', reason);
    const { initial, max } = this.#opts.backoffMs ?? { initial: 200, max: 5000 };
    const delay = Math.min(max, initial * 2 ** this.#attempt++);
    this.#reconnectTimer = setTimeout(() => {
      this.#setState('reconnecting');
      this.#open().catch((err: Error) => this.#lost(err));
    }, delay);
    this.#reconnectTimer.unref();
  }

  protected async call<A, R>(spec: ProcedureSpec<A, R>, args: A): Promise<R> {
    const conn = this.#conn;
    if (!conn) throw this.#lastError ?? new ConnectionLost('no valid connection');
    return conn.call(spec, args);
  }

  /** Sends CONNECT_CLOSE and ends the connection; no reconnect after this. */
  async close(): Promise<void> {
    this.#state = 'closed';
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    const conn = this.#conn;
    this.#conn = undefined;
    if (!conn) return;
    await conn.call(Admin.connectClose, undefined).catch(() => {});
    conn.close();
  }
}
