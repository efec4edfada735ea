/**
 * Server: a named group of services, their clients, programs, a worker pool
 * and client limits (libvirt's virNetServer). Dispatch of each frame is in
 * dispatch.ts; admission and limits are here.
 *
 * libvirt stops calling accept() while max_clients (or max_anonymous_clients)
 * is reached, so new connects wait in the kernel backlog. Node cannot pause
 * accept, so we accept, keep the socket paused and unserved in a queue bounded
 * by max_queued_clients, and admit it when a slot frees: the peer sees what it
 * sees with libvirt (connected, unserved, served once someone leaves).
 */
import type { Socket } from 'node:net';
import { AuthType, ClientTransport, MAX_PACKET } from '../../rpc/index.js';
import type { Logger } from '../logging/index.js';
import type { DescriptorBudget } from './descriptor-budget.js';
import { dispatchFrame } from './dispatch.js';
import { RateLimitedWarning } from './rate-limited-warning.js';

import type { KeepaliveSettings } from './keepalive.js';
import { peerCredentials, type PeerCredentials } from './peer-credentials.js';
import type { Program } from './program.js';
import { type ClientOwner, type DropReason, ServerClient } from './server-client.js';
import type { Service } from './service.js';
import { WorkerPool, type WorkerPoolLimits } from './worker-pool.js';

export interface ClientLimits {
  maxClients: number;
  /** 0 means no limit. */
  maxAnonymousClients: number;
  maxQueuedClients: number;
}

export interface ServerOptions extends WorkerPoolLimits, ClientLimits {
  name: string;
  maxClientRequests: number;
  keepalive: KeepaliveSettings;
  logger: Logger;
  /** Decides whether a UNIX peer may connect at all (the daemon's uid policy); a string is the refusal. */
  admitPeer?: (peer: PeerCredentials, service: Service) => string | undefined;
  /** The daemon's descriptors, shared by its servers; absent, nothing is counted. */
  descriptors?: DescriptorBudget;
  /** The admin server may use the descriptors kept in reserve; the others may not. */
  usesDescriptorReserve?: boolean;
  /** Our limits on slow clients, in seconds; 0 or absent: none (libvirt has neither). */
  clientPacketTimeoutSec?: number;
  clientAuthTimeoutSec?: number;
}

export class Server {
  readonly name: string;
  readonly pool: WorkerPool;
  readonly services: Service[] = [];
  readonly logger: Logger;
  maxClientRequests: number;
  keepalive: KeepaliveSettings;
  /** Called whenever a client joins or leaves (the daemon's auto-shutdown timer listens). */
  onClientsChanged: () => void = () => {};
  /** Told of every client admitted, authenticated and gone (the extension program's events). */
  readonly clientListeners = new Set<(event: 'connect' | 'authenticated' | 'disconnect', client: ServerClient) => void>();

  readonly #clients = new Map<number, ServerClient>();
  readonly #programs = new Map<string, Program>();
  readonly #waiting: { socket: Socket; service: Service }[] = [];
  readonly #serviceOf = new WeakMap<ServerClient, Service>();
  #limits: ClientLimits;
  #nextClientId = 1;
  #unauthCount = 0;
  readonly #admitPeer: ServerOptions['admitPeer'];
  #held = false;
  readonly #descriptors: DescriptorBudget | undefined;
  readonly #clientTimeouts: { packetTimeoutSec: number; authTimeoutSec: number };
  readonly #usesReserve: boolean;
  /** Connections turned away because the server and its queue were full. */
  readonly refusedFull: RateLimitedWarning;
  /** Connections turned away to keep descriptors for the admin server. */
  readonly refusedDescriptors: RateLimitedWarning;
  /** Clients disconnected for what they did (or did not do), by reason. */
  readonly dropped: Readonly<Record<DropReason, RateLimitedWarning>>;

  constructor(opts: ServerOptions) {
    this.name = opts.name;
    this.logger = opts.logger;
    this.pool = new WorkerPool(opts);
    this.#limits = { maxClients: opts.maxClients, maxAnonymousClients: opts.maxAnonymousClients, maxQueuedClients: opts.maxQueuedClients };
    this.maxClientRequests = opts.maxClientRequests;
    this.keepalive = opts.keepalive;
    this.#admitPeer = opts.admitPeer;
    this.#descriptors = opts.descriptors;
    this.#usesReserve = opts.usesDescriptorReserve ?? false;
    this.#clientTimeouts = { packetTimeoutSec: opts.clientPacketTimeoutSec ?? 0, authTimeoutSec: opts.clientAuthTimeoutSec ?? 0 };
    const refusals = (why: string) =>
      new RateLimitedWarning(this.logger, { one: `refused a connection to ${this.name} ${why}`, more: (n) => `refused ${n} more connections to ${this.name} ${why}` });
    this.refusedFull = refusals('past max_clients + max_queued_clients');
    this.refusedDescriptors = refusals('to keep descriptors for the admin server');
    const drops = (why: string) =>
      new RateLimitedWarning(this.logger, { one: `disconnected a client of ${this.name} that ${why}`, more: (n) => `disconnected ${n} more clients of ${this.name} that ${why}` });
    this.dropped = {
      events: drops('left 256 KiB of events unread'),
      packet: drops(`held an incomplete packet for ${this.#clientTimeouts.packetTimeoutSec} s (client_packet_timeout)`),
      auth: drops(`did not authenticate within ${this.#clientTimeouts.authTimeoutSec} s (client_auth_timeout)`),
      layer: drops('broke its SASL security layer (bytes in the clear after authenticating, or a block that failed)'),
    };
  }

  addProgram(program: Program): void {
    this.#programs.set(`${program.number}/${program.version}`, program);
  }

  programs(): Program[] {
    return [...this.#programs.values()];
  }

  programFor(prog: number, vers: number): Program | undefined {
    return this.#programs.get(`${prog}/${vers}`);
  }

  async addService(service: Service): Promise<void> {
    service.onConnection = (socket, svc) => this.#accept(socket, svc);
    await service.listen();
    this.services.push(service);
  }

  /** Clients in connection order. */
  clients(): ServerClient[] {
    return [...this.#clients.values()];
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** What every client of this server reports to it: one object, not closures per client. */
  readonly #owner: ClientOwner = {
    frameReceived: (client, frame) => dispatchFrame(this, client, frame),
    clientAuthenticated: (client) => {
      // One fewer anonymous client: someone waiting for max_anonymous_clients may come in.
      this.#unauthCount--;
      this.#admitWaiting();
      for (const fn of this.clientListeners) fn('authenticated', client);
    },
    clientClosed: (client) => {
      this.#clients.delete(client.id);
      if (client.authPending) this.#unauthCount--;
      this.#admitWaiting();
      this.onClientsChanged();
      for (const fn of this.clientListeners) fn('disconnect', client);
    },
    clientDropped: (_client, reason, detail) => this.dropped[reason].record(() => detail),
  };

  /** Clients still authenticating, counted as they come and go (asked at every accept). */
  get unauthClientCount(): number {
    return this.#unauthCount;
  }

  get waitingCount(): number {
    return this.#waiting.length;
  }

  lookupClient(id: bigint): ServerClient | undefined {
    return id <= BigInt(Number.MAX_SAFE_INTEGER) ? this.#clients.get(Number(id)) : undefined;
  }

  /** The service a client connected through. */
  serviceOf(client: ServerClient): Service | undefined {
    return this.#serviceOf.get(client);
  }

  /** The id the next client gets (ids are never reused, across a re-exec too). */
  get nextClientId(): number {
    return this.#nextClientId;
  }

  set nextClientId(id: number) {
    this.#nextClientId = Math.max(this.#nextClientId, id);
  }

  /** Re-exec in preparation: no client's frames are dispatched, new clients' included, until `release`. */
  hold(): void {
    this.#held = true;
    for (const c of this.#clients.values()) c.hold();
  }

  release(): void {
    this.#held = false;
    for (const c of this.#clients.values()) c.release();
  }

  /** Connections accepted but not admitted yet (max_clients reached), oldest first. */
  waiting(): { socket: Socket; service: Service }[] {
    return this.#waiting.map((w) => ({ ...w }));
  }

  /** A connection the previous image accepted and had not admitted yet (re-exec): it waits here again. */
  requeue(socket: Socket, service: Service): void {
    this.#accept(socket, service);
  }

  /** A connection the previous image of this daemon had accepted (re-exec), with its id and connect time. */
  adoptClient(socket: Socket, service: Service, saved: { id: number; timestamp: number; authPending: boolean; readonly: boolean }): ServerClient | undefined {
    return this.#admit(socket, service, saved);
  }

  get limits(): ClientLimits {
    return { ...this.#limits };
  }

  /** New limits take effect at once; nobody is disconnected, waiting peers are admitted if room appeared. */
  setLimits(limits: Partial<ClientLimits>): void {
    this.#limits = { ...this.#limits, ...limits };
    this.#admitWaiting();
  }

  #full(): boolean {
    const l = this.#limits;
    return this.#clients.size >= l.maxClients || (l.maxAnonymousClients > 0 && this.unauthClientCount >= l.maxAnonymousClients);
  }

  #accept(socket: Socket, service: Service): void {
    socket.on('error', () => {}); // errors of a waiting socket end it; nobody else cares
    const d = this.#descriptors;
    if (d && !this.#usesReserve && !d.mayKeepMainConnection()) {
      socket.destroy();
      this.refusedDescriptors.record(() => `${d.inUse} of ${d.limit} descriptors in use, ${d.reserve} kept for the admin server`);
      return;
    }
    if (!this.#full()) {
      this.#admit(socket, service);
      return;
    }
    const queueMax = this.#limits.maxQueuedClients || 30;
    if (this.#waiting.length >= queueMax) {
      // Past the backlog the kernel would have refused the connect.
      socket.destroy();
      this.refusedFull.record(() => `${this.#clients.size} clients (max_clients ${this.#limits.maxClients}), ${this.#waiting.length} waiting (max_queued_clients ${queueMax})`);
      return;
    }
    const waiting = { socket, service };
    this.#waiting.push(waiting);
    socket.once('close', () => {
      const at = this.#waiting.indexOf(waiting);
      if (at !== -1) this.#waiting.splice(at, 1);
    });
  }

  #admitWaiting(): void {
    while (this.#waiting.length > 0 && !this.#full()) {
      const { socket, service } = this.#waiting.shift()!;
      if (!socket.destroyed) this.#admit(socket, service);
    }
  }

  #admit(socket: Socket, service: Service, adopted?: { id: number; timestamp: number; authPending: boolean; readonly: boolean }): ServerClient | undefined {
    let peer: PeerCredentials | undefined;
    if (service.transport === ClientTransport.Unix) {
      try {
        peer = peerCredentials(socket);
      } catch (err) {
        this.logger.error(`cannot read peer credentials: ${(err as Error).message}`);
        socket.destroy();
        return undefined;
      }
      const refusal = this.#admitPeer?.(peer, service);
      if (refusal) {
        this.logger.error(refusal);
        socket.destroy();
        return undefined;
      }
    }
    const client = new ServerClient({
      id: adopted?.id ?? this.#nextClientId++,
      timestamp: adopted?.timestamp,
      socket,
      transport: service.transport,
      readonly: adopted?.readonly ?? service.readonly,
      authType: service.auth,
      authPending: adopted?.authPending ?? service.auth !== AuthType.None,
      peer,
      sockAddr: socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : undefined,
      x509DName: service.peerDn(socket),
      maxRequests: this.maxClientRequests,
      keepalive: this.keepalive,
      maxPacket: MAX_PACKET,
      owner: this.#owner,
      ...this.#clientTimeouts,
    });
    this.#clients.set(client.id, client);
    if (client.authPending) this.#unauthCount++;
    this.#serviceOf.set(client, service);
    if (this.#held) client.hold();
    this.onClientsChanged();
    for (const fn of this.clientListeners) fn('connect', client);
    // An adopted client starts once its carried bytes and program state are back.
    if (!adopted) client.start();
    return client;
  }

  /**
   * Stops listening and closes every client at once, as libvirt does on SIGTERM: calls in
   * progress lose their connection (their replies would go nowhere). Services finish closing
   * only once their connections are gone, so clients go first.
   */
  async close(): Promise<void> {
    const closing = this.services.map((s) => s.close());
    for (const w of this.#waiting.splice(0)) w.socket.destroy();
    for (const c of this.clients()) c.close();
    await Promise.all(closing);
  }
}
