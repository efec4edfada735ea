/**
 * AdminClient: every admin procedure as a typed method, over a connection to
 * a daemon's admin socket (AdminSession: reconnect and backoff when the daemon
 * goes away, for long-lived callers such as the console; pushed events). The
 * daemon may be on this machine or on another host (AdminSession's `reach`).
 */
import {
  Admin,
  ClientLimitParam,
  type DaemonLaunch,
  type DaemonProcessInfo,
  type DaemonState,
  Extension,
  type LoadStats,
  type ServiceListing,
  ThreadpoolParam,
  type UnauthClients,
  type TypedParam,
  uintParam,
} from '../rpc/index.js';
import { paramValue, summary } from './admin-results.js';
import { type AdminClientOptions, AdminSession } from './admin-session.js';
import { defaultContext, resolveAdminUri, type ResolvedUri } from './admin-uri.js';
import { clientInfoFrom, TRANSPORT_NUMBERS } from './client-identity.js';
import { checkWireUint } from './wire-range.js';
import type { ClientInfo, ClientLimits, ClientSummary, LoggingFilters, LoggingOutputs, ThreadpoolInfo } from './admin-types.js';

export type { AdminClientOptions, RemoteReach } from './admin-session.js';

/** Every admin procedure as a typed method, and our extension program's queries. */
export class AdminClient extends AdminSession {
  /** Resolves the URI as virt-admin does and opens the connection (CONNECT_OPEN, flags 0). */
  static connect(uri?: string, opts: AdminClientOptions = {}): Promise<AdminClient> {
    return AdminClient.attach(resolveAdminUri(uri, opts.uriContext ?? defaultContext()), opts);
  }

  /** Opens the connection to a target already resolved (a remote host resolves its own URIs). */
  static async attach(target: ResolvedUri, opts: AdminClientOptions = {}): Promise<AdminClient> {
    const client = new AdminClient(target, opts);
    await client.start();
    return client;
  }

  /**
   * Our daemons' extension: the listening services. Undefined from a daemon without the
   * extension program (libvirt's own), so callers fall back to probing sockets.
   */
  async listServices(): Promise<ServiceListing[] | undefined> {
    return (await this.extension(Extension.listServices, undefined))?.services;
  }

  /** Our daemons: descriptors in use against the limit, and what each server refused or dropped; undefined from libvirt's. */
  loadStats(): Promise<LoadStats | undefined> {
    return this.extension(Extension.getLoadStats, undefined);
  }

  /**
   * Our daemons' extension: the daemon's pid, and virtlogd's open logs or virtlockd's
   * held leases. Undefined from a daemon without the extension program (libvirt's own).
   */
  daemonState(): Promise<DaemonState | undefined> {
    return this.extension(Extension.getDaemonState, undefined);
  }

  /** Our daemons: which clients of each server are still authenticating; undefined from libvirt's (it cannot say). */
  async unauthClients(): Promise<UnauthClients[] | undefined> {
    return (await this.extension(Extension.listUnauthClients, undefined))?.servers;
  }

  /** Our daemons: how the daemon was started (config, options, environment) and its idle countdown; undefined from libvirt's. */
  daemonLaunch(): Promise<DaemonLaunch | undefined> {
    return this.extension(Extension.getDaemonLaunch, undefined);
  }

  /** Our daemons' extension: pid, start time, auto-shutdown timeout. Undefined from libvirt's daemons. */
  daemonProcess(): Promise<DaemonProcessInfo | undefined> {
    return this.extension(Extension.daemonInfo, undefined);
  }

  async getLibVersion(): Promise<number> {
    return Number((await this.call(Admin.connectGetLibVersion, undefined)).libVer);
  }

  async listServers(): Promise<string[]> {
    const r = await this.call(Admin.connectListServers, { needResults: 1, flags: 0 });
    return r.servers.map((s) => s.name);
  }

  async lookupServer(name: string): Promise<string> {
    return (await this.call(Admin.connectLookupServer, { name, flags: 0 })).srv.name;
  }

  async getThreadpoolParameters(server: string): Promise<ThreadpoolInfo> {
    const { params } = await this.call(Admin.serverGetThreadpoolParameters, { srv: { name: server }, flags: 0 });
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
    await this.call(Admin.serverSetThreadpoolParameters, { srv: { name: server }, params, flags: 0 });
  }

  async listClients(server: string): Promise<ClientSummary[]> {
    const r = await this.call(Admin.serverListClients, { srv: { name: server }, needResults: 1, flags: 0 });
    return r.clients.map(summary);
  }

  async lookupClient(server: string, id: number | bigint): Promise<ClientSummary> {
    const r = await this.call(Admin.serverLookupClient, { srv: { name: server }, id: BigInt(id), flags: 0 });
    return summary(r.clnt);
  }

  async getClientInfo(server: string, id: number | bigint): Promise<ClientInfo> {
    const ref = await this.call(Admin.serverLookupClient, { srv: { name: server }, id: BigInt(id), flags: 0 });
    const { params } = await this.call(Admin.clientGetInfo, { clnt: ref.clnt, flags: 0 });
    return clientInfoFrom(summary(ref.clnt), params);
  }

  /**
   * client-info for a client already listed, in one call: a daemon finds the client by
   * server and id alone (admin-api.md §2), so the lookup virt-admin makes first is not needed.
   */
  async clientInfoOf(c: ClientSummary): Promise<ClientInfo> {
    const clnt = { srv: { name: c.server }, id: BigInt(c.id), timestamp: BigInt(c.connectedAt), transport: TRANSPORT_NUMBERS[c.transport] ?? 0 };
    const { params } = await this.call(Admin.clientGetInfo, { clnt, flags: 0 });
    return clientInfoFrom(c, params);
  }

  /** Disconnects a client (virt-admin looks it up first; so do we, for the same errors). */
  async closeClient(server: string, id: number | bigint): Promise<void> {
    const ref = await this.call(Admin.serverLookupClient, { srv: { name: server }, id: BigInt(id), flags: 0 });
    await this.call(Admin.clientClose, { clnt: ref.clnt, flags: 0 });
  }

  async getClientLimits(server: string): Promise<ClientLimits> {
    const { params } = await this.call(Admin.serverGetClientLimits, { srv: { name: server }, flags: 0 });
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
    await this.call(Admin.serverSetClientLimits, { srv: { name: server }, params, flags: 0 });
  }

  async getLoggingFilters(): Promise<LoggingFilters> {
    const r = await this.call(Admin.connectGetLoggingFilters, { flags: 0 });
    return { filters: r.filters, count: r.nfilters };
  }

  async setLoggingFilters(filters: string | null): Promise<void> {
    await this.call(Admin.connectSetLoggingFilters, { filters, flags: 0 });
  }

  async getLoggingOutputs(): Promise<LoggingOutputs> {
    const r = await this.call(Admin.connectGetLoggingOutputs, { flags: 0 });
    return { outputs: r.outputs, count: r.noutputs };
  }

  async setLoggingOutputs(outputs: string | null): Promise<void> {
    await this.call(Admin.connectSetLoggingOutputs, { outputs, flags: 0 });
  }

  async updateTlsFiles(server: string): Promise<void> {
    await this.call(Admin.serverUpdateTlsFiles, { srv: { name: server }, flags: 0 });
  }

  async setDaemonTimeout(seconds: number): Promise<void> {
    checkWireUint('timeout', seconds);
    await this.call(Admin.connectSetDaemonTimeout, { timeout: seconds, flags: 0 });
  }
}
