/**
 * AdminClient: every admin procedure as a typed method, over a connection to
 * a daemon's admin socket, with optional reconnect and backoff when the
 * daemon goes away (for long-lived callers such as the console). The daemon
 * may be on this machine or on another host (`reach`: a local socket that
 * reaches its socket there, set up again before every connection attempt).
 */
import {
  Admin,
  type ClientEvent,
  type DaemonState,
  type LoadStats,
  type DaemonProcessInfo,
  Extension,
  EXTENSION_PROGRAM,
  type ServiceListing,
  type SettingsEvent,
  type UnauthClients,
  type ProcedureSpec,
  ClientLimitParam,
  ThreadpoolParam,
  type TypedParam,
  uintParam,
} from '../rpc/index.js';
import { ConnectionLost } from './admin-client-error.js';
import { deliverEvent, isMissingProgram, paramValue, summary } from './admin-results.js';
import { clientInfoFrom, TRANSPORT_NUMBERS } from './client-identity.js';
import { checkWireUint } from './wire-range.js';
import { AdminConnection, type ConnectionOptions } from './admin-connection.js';
import { defaultContext, resolveAdminUri, type ResolvedUri, type UriContext } from './admin-uri.js';
import { type HostFiles, localFiles } from './host-files.js';
import {
  type ClientInfo,
  type ClientLimits,
  type ClientSummary,
  type ConnectionState,
  type LoggingFilters,
  type LoggingOutputs,
  type ThreadpoolInfo,
} from './admin-types.js';

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

export class AdminClient {
  #target: ResolvedUri;
  readonly #opts: AdminClientOptions;
  #conn: AdminConnection | undefined;
  #state: ConnectionState = 'connecting';
  #lastError: Error | undefined;
  #stateListeners = new Set<(state: ConnectionState, error?: Error) => void>();
  #clientEventListeners = new Set<(event: ClientEvent) => void>();
  #settingsListeners = new Set<(event: SettingsEvent) => void>();
  #reconnectTimer: NodeJS.Timeout | undefined;
  #attempt = 0;

  private constructor(target: ResolvedUri, opts: AdminClientOptions) {
    this.#target = target;
    this.#opts = opts;
  }

  /** Resolves the URI as virt-admin does and opens the connection (CONNECT_OPEN, flags 0). */
  static connect(uri?: string, opts: AdminClientOptions = {}): Promise<AdminClient> {
    return AdminClient.attach(resolveAdminUri(uri, opts.uriContext ?? defaultContext()), opts);
  }

  /** Opens the connection to a target already resolved (a remote host resolves its own URIs). */
  static async attach(target: ResolvedUri, opts: AdminClientOptions = {}): Promise<AdminClient> {
    const client = new AdminClient(target, opts);
    try {
      await client.#open();
    } catch (err) {
      if (!opts.reconnect) throw err;
      client.#lost(err as Error);
    }
    return client;
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
    conn.onEvent = (prog, proc, frame) => deliverEvent(prog, proc, frame, { client: this.#clientEventListeners, settings: this.#settingsListeners });
    // A reconnected daemon forgets subscriptions: ask again before anyone calls.
    if (this.#clientEventListeners.size > 0) await conn.call(Extension.subscribeClientEvents, undefined, EXTENSION_PROGRAM).catch(() => {});
    this.#conn = conn;
    this.#attempt = 0;
    this.#setState('connected');
  }

  /**
   * Our daemons' extension: the listening services. Undefined from a daemon without the
   * extension program (libvirt's own), so callers fall back to probing sockets.
   */
  async listServices(): Promise<ServiceListing[] | undefined> {
    return (await this.#optionalExtension(Extension.listServices))?.services;
  }

  /** Our daemons: descriptors in use against the limit, and what each server refused or dropped; undefined from libvirt's. */
  loadStats(): Promise<LoadStats | undefined> {
    return this.#optionalExtension(Extension.getLoadStats);
  }

  /**
   * Our daemons' extension: the daemon's pid, and virtlogd's open logs or virtlockd's
   * held leases. Undefined from a daemon without the extension program (libvirt's own).
   */
  daemonState(): Promise<DaemonState | undefined> {
    return this.#optionalExtension(Extension.getDaemonState);
  }

  /** Our daemons: which clients of each server are still authenticating; undefined from libvirt's (it cannot say). */
  async unauthClients(): Promise<UnauthClients[] | undefined> {
    return (await this.#optionalExtension(Extension.listUnauthClients))?.servers;
  }

  async #optionalExtension<R>(spec: ProcedureSpec<void, R>): Promise<R | undefined> {
    try {
      return await this.#extension(spec);
    } catch (err) {
      if (isMissingProgram(err)) return undefined;
      throw err;
    }
  }

  /**
   * Pushes client connect/disconnect events to `listener` (re-subscribed after reconnects).
   * Resolves false when the daemon has no extension program: poll instead.
   */
  async subscribeClientEvents(listener: (event: ClientEvent) => void): Promise<boolean> {
    try {
      await this.#extension(Extension.subscribeClientEvents);
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

  /** Our daemons' extension: pid, start time, auto-shutdown timeout. Undefined from libvirt's daemons. */
  daemonProcess(): Promise<DaemonProcessInfo | undefined> {
    return this.#optionalExtension(Extension.daemonInfo);
  }

  #extension<R>(spec: ProcedureSpec<void, R>): Promise<R> {
    const conn = this.#conn;
    if (!conn) throw this.#lastError ?? new ConnectionLost('no valid connection');
    return conn.call(spec, undefined, EXTENSION_PROGRAM);
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

  async #call<A, R>(spec: ProcedureSpec<A, R>, args: A): Promise<R> {
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

  async getLibVersion(): Promise<number> {
    return Number((await this.#call(Admin.connectGetLibVersion, undefined)).libVer);
  }

  async listServers(): Promise<string[]> {
    const r = await this.#call(Admin.connectListServers, { needResults: 1, flags: 0 });
    return r.servers.map((s) => s.name);
  }

  async lookupServer(name: string): Promise<string> {
    return (await this.#call(Admin.connectLookupServer, { name, flags: 0 })).srv.name;
  }

  async getThreadpoolParameters(server: string): Promise<ThreadpoolInfo> {
    const { params } = await this.#call(Admin.serverGetThreadpoolParameters, { srv: { name: server }, flags: 0 });
    return {
      minWorkers: paramValue(params, ThreadpoolParam.MinWorkers),
      maxWorkers: paramValue(params, ThreadpoolParam.MaxWorkers),
      nWorkers: paramValue(params, ThreadpoolParam.CurrentWorkers),
      freeWorkers: paramValue(params, ThreadpoolParam.FreeWorkers),
      prioWorkers: paramValue(params, ThreadpoolParam.PriorityWorkers),
      jobQueueDepth: paramValue(params, ThreadpoolParam.JobQueueDepth),
    };
  }

  /** Sends only the limits given, in virt-admin's order (max, min, prio). */
  async setThreadpoolParameters(server: string, limits: { minWorkers?: number; maxWorkers?: number; prioWorkers?: number }): Promise<void> {
    for (const [name, v] of Object.entries(limits)) if (v !== undefined) checkWireUint(name, v);
    const params: TypedParam[] = [];
    if (limits.maxWorkers !== undefined) params.push(uintParam(ThreadpoolParam.MaxWorkers, limits.maxWorkers));
    if (limits.minWorkers !== undefined) params.push(uintParam(ThreadpoolParam.MinWorkers, limits.minWorkers));
    if (limits.prioWorkers !== undefined) params.push(uintParam(ThreadpoolParam.PriorityWorkers, limits.prioWorkers));
    await this.#call(Admin.serverSetThreadpoolParameters, { srv: { name: server }, params, flags: 0 });
  }

  async listClients(server: string): Promise<ClientSummary[]> {
    const r = await this.#call(Admin.serverListClients, { srv: { name: server }, needResults: 1, flags: 0 });
    return r.clients.map(summary);
  }

  async lookupClient(server: string, id: number | bigint): Promise<ClientSummary> {
    const r = await this.#call(Admin.serverLookupClient, { srv: { name: server }, id: BigInt(id), flags: 0 });
    return summary(r.clnt);
  }

  async getClientInfo(server: string, id: number | bigint): Promise<ClientInfo> {
    const ref = await this.#call(Admin.serverLookupClient, { srv: { name: server }, id: BigInt(id), flags: 0 });
    const { params } = await this.#call(Admin.clientGetInfo, { clnt: ref.clnt, flags: 0 });
    return clientInfoFrom(summary(ref.clnt), params);
  }

  /**
   * client-info for a client already listed, in one call: a daemon finds the client by
   * server and id alone (admin-api.md §2), so the lookup virt-admin makes first is not needed.
   */
  async clientInfoOf(c: ClientSummary): Promise<ClientInfo> {
    const clnt = { srv: { name: c.server }, id: BigInt(c.id), timestamp: BigInt(c.connectedAt), transport: TRANSPORT_NUMBERS[c.transport] ?? 0 };
    const { params } = await this.#call(Admin.clientGetInfo, { clnt, flags: 0 });
    return clientInfoFrom(c, params);
  }

  /** Disconnects a client (virt-admin looks it up first; so do we, for the same errors). */
  async closeClient(server: string, id: number | bigint): Promise<void> {
    const ref = await this.#call(Admin.serverLookupClient, { srv: { name: server }, id: BigInt(id), flags: 0 });
    await this.#call(Admin.clientClose, { clnt: ref.clnt, flags: 0 });
  }

  async getClientLimits(server: string): Promise<ClientLimits> {
    const { params } = await this.#call(Admin.serverGetClientLimits, { srv: { name: server }, flags: 0 });
    return {
      nclientsMax: paramValue(params, ClientLimitParam.MaxClients),
      nclients: paramValue(params, ClientLimitParam.CurrentClients),
      nclientsUnauthMax: paramValue(params, ClientLimitParam.MaxUnauthClients),
      nclientsUnauth: paramValue(params, ClientLimitParam.CurrentUnauthClients),
    };
  }

  async setClientLimits(server: string, limits: { maxClients?: number; maxUnauthClients?: number }): Promise<void> {
    for (const [name, v] of Object.entries(limits)) if (v !== undefined) checkWireUint(name, v);
    const params: TypedParam[] = [];
    if (limits.maxClients !== undefined) params.push(uintParam(ClientLimitParam.MaxClients, limits.maxClients));
    if (limits.maxUnauthClients !== undefined) params.push(uintParam(ClientLimitParam.MaxUnauthClients, limits.maxUnauthClients));
    await this.#call(Admin.serverSetClientLimits, { srv: { name: server }, params, flags: 0 });
  }

  async getLoggingFilters(): Promise<LoggingFilters> {
    const r = await this.#call(Admin.connectGetLoggingFilters, { flags: 0 });
    return { filters: r.filters, count: r.nfilters };
  }

  async setLoggingFilters(filters: string | null): Promise<void> {
    await this.#call(Admin.connectSetLoggingFilters, { filters, flags: 0 });
  }

  async getLoggingOutputs(): Promise<LoggingOutputs> {
    const r = await this.#call(Admin.connectGetLoggingOutputs, { flags: 0 });
    return { outputs: r.outputs, count: r.noutputs };
  }

  async setLoggingOutputs(outputs: string | null): Promise<void> {
    await this.#call(Admin.connectSetLoggingOutputs, { outputs, flags: 0 });
  }

  async updateTlsFiles(server: string): Promise<void> {
    await this.#call(Admin.serverUpdateTlsFiles, { srv: { name: server }, flags: 0 });
  }

  async setDaemonTimeout(seconds: number): Promise<void> {
    checkWireUint('timeout', seconds);
    await this.#call(Admin.connectSetDaemonTimeout, { timeout: seconds, flags: 0 });
  }
}
