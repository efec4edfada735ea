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
import { dispatchFrame } from './dispatch.js';
import type { KeepaliveSettings } from './keepalive.js';
import { peerCredentials, type PeerCredentials } from './peer-credentials.js';
import type { Program } from './program.js';
import { ServerClient } from './server-client.js';
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
  /** Told of every client admitted and gone (the extension program's events). */
  readonly clientListeners = new Set<(event: 'connect' | 'disconnect', client: ServerClient) => void>();

  readonly #clients = new Map<number, ServerClient>();
  readonly #programs = new Map<string, Program>();
  readonly #waiting: { socket: Socket; service: Service }[] = [];
  #limits: ClientLimits;
  #nextClientId = 1;
  readonly #admitPeer: ServerOptions['admitPeer'];

  constructor(opts: ServerOptions) {
    this.name = opts.name;
    this.logger = opts.logger;
    this.pool = new WorkerPool(opts);
    this.#limits = { maxClients: opts.maxClients, maxAnonymousClients: opts.maxAnonymousClients, maxQueuedClients: opts.maxQueuedClients };
    this.maxClientRequests = opts.maxClientRequests;
    this.keepalive = opts.keepalive;
    this.#admitPeer = opts.admitPeer;
  }

  addProgram(program: Program): void {
    this.#programs.set(`${program.number}/${program.version}`, program);
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

  get unauthClientCount(): number {
    let n = 0;
    for (const c of this.#clients.values()) if (c.authPending) n++;
    return n;
  }

  get waitingCount(): number {
    return this.#waiting.length;
  }

  lookupClient(id: bigint): ServerClient | undefined {
    return id <= BigInt(Number.MAX_SAFE_INTEGER) ? this.#clients.get(Number(id)) : undefined;
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
    if (!this.#full()) {
      this.#admit(socket, service);
      return;
    }
    if (this.#waiting.length >= (this.#limits.maxQueuedClients || 30)) {
      // Past the backlog the kernel would have refused the connect.
      socket.destroy();
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

  #admit(socket: Socket, service: Service): void {
    let peer: PeerCredentials | undefined;
    if (service.transport === ClientTransport.Unix) {
      try {
        peer = peerCredentials(socket);
      } catch (err) {
        this.logger.error(`cannot read peer credentials: ${(err as Error).message}`);
        socket.destroy();
        return;
      }
      const refusal = this.#admitPeer?.(peer, service);
      if (refusal) {
        this.logger.error(refusal);
        socket.destroy();
        return;
      }
    }
    const client = new ServerClient({
      id: this.#nextClientId++,
      socket,
      transport: service.transport,
      readonly: service.readonly,
      authType: service.auth,
      authPending: service.auth !== AuthType.None,
      peer,
      sockAddr: socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : undefined,
      x509DName: service.peerDn(socket),
      maxRequests: this.maxClientRequests,
      keepalive: this.keepalive,
      maxPacket: MAX_PACKET,
    });
    client.onFrame = (frame) => dispatchFrame(this, client, service, frame);
    client.onClose = () => {
      this.#clients.delete(client.id);
      this.#admitWaiting();
      this.onClientsChanged();
      for (const fn of this.clientListeners) fn('disconnect', client);
    };
    this.#clients.set(client.id, client);
    this.onClientsChanged();
    for (const fn of this.clientListeners) fn('connect', client);
    client.start();
  }

  /** Stops listening and closes every client. */
  async close(): Promise<void> {
    // A listener's close completes only once its connections are gone, so the clients are
    // closed before it is waited for; else one idle client would hold the daemon's exit.
    const closing = Promise.all(this.services.map((s) => s.close()));
    for (const w of this.#waiting.splice(0)) w.socket.destroy();
    for (const c of this.clients()) c.close();
    await closing;
  }
}
