/**
 * The runtime's part of a re-exec (daemons.md §10.3, §11.3): every server's
 * settings as changed at run time, its listening sockets and its connected
 * clients (id, connect time, the bytes they sent that were not dispatched
 * yet, and each program's per-client state) captured for the next image,
 * and rebuilt there from the same descriptors. Only UNIX sockets cross:
 * virtlogd and virtlockd have nothing else.
 */
import type { Socket } from 'node:net';
import { Socket as NetSocket } from 'node:net';
import { AuthType, ClientTransport } from '../../rpc/index.js';
import { type ClientLimits, type Daemon, type Server, type ServerClient, Service, type WorkerPoolLimits } from '../runtime/index.js';

export interface SavedService {
  fd: number;
  path?: string;
  readonly: boolean;
  auth: number;
  backlog: number;
  /** The daemon made the socket file and removes it at exit. */
  ownsPath: boolean;
  activation: 'self' | 'systemd';
}

export interface SavedProgramState {
  prog: number;
  vers: number;
  state: unknown;
}

export interface SavedClient {
  id: number;
  fd: number;
  /** Index of the service it came through. */
  service: number;
  /** Seconds since the epoch. */
  timestamp: number;
  readonly: boolean;
  authPending: boolean;
  hasIdentity: boolean;
  /** Bytes received and not yet dispatched, in stream order. */
  input: Buffer;
  programs: SavedProgramState[];
}

/** A connection accepted while the server was full, not yet served: nothing was read from it. */
export interface SavedWaiting {
  fd: number;
  service: number;
}

export interface SavedServer {
  name: string;
  nextClientId: number;
  limits: ClientLimits;
  pool: WorkerPoolLimits;
  maxClientRequests: number;
  services: SavedService[];
  clients: SavedClient[];
  /** Absent in files that had none. */
  waiting?: SavedWaiting[];
}

const fdOf = (socket: Socket): number | undefined => (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;

export class HandoffError extends Error {}

/** Whether every client has its replies written and nothing in dispatch. */
export function everyClientIdle(daemon: Daemon): boolean {
  return daemon.servers().every((s) => s.clients().every((c) => c.idle));
}

/** Clients that are not idle (a reply the peer does not read); they cannot be carried. */
export function busyClients(daemon: Daemon): { server: Server; client: ServerClient }[] {
  return daemon.servers().flatMap((server) => server.clients().filter((c) => !c.idle).map((client) => ({ server, client })));
}

/** Everything about a client but its input, checked before anything is taken from anyone. */
function describeClient(server: Server, client: ServerClient): Omit<SavedClient, 'input'> {
  const fd = fdOf(client.socket);
  const via = server.serviceOf(client);
  const service = via ? server.services.indexOf(via) : -1;
  if (fd === undefined || fd < 0 || client.transport !== ClientTransport.Unix || service === -1) {
    throw new HandoffError(`client ${client.id} of server ${server.name} has no UNIX descriptor to hand over`);
  }
  const programs: SavedProgramState[] = [];
  for (const p of server.programs()) {
    const state = p.clientHandoff?.save(client);
    if (state !== undefined) programs.push({ prog: p.number, vers: p.version, state });
  }
  return { id: client.id, fd, service, timestamp: client.timestamp, readonly: client.readonly, authPending: client.authPending, hasIdentity: client.hasIdentity, programs };
}

function describeServer(server: Server): SavedServer {
  const services = server.services.map((s): SavedService => {
    if (s.fd === undefined || s.transport !== ClientTransport.Unix) throw new HandoffError(`a service of server ${server.name} is not a UNIX socket`);
    return { fd: s.fd, path: s.path, readonly: s.readonly, auth: s.auth, backlog: s.options.backlog ?? 30, ownsPath: s.ownsPath, activation: s.options.activation ?? 'self' };
  });
  const pool = server.pool.stats();
  return {
    name: server.name,
    nextClientId: server.nextClientId,
    limits: server.limits,
    pool: { minWorkers: pool.minWorkers, maxWorkers: pool.maxWorkers, prioWorkers: pool.prioWorkers },
    maxClientRequests: server.maxClientRequests,
    services,
    clients: server.clients().map((c) => ({ ...describeClient(server, c), input: Buffer.alloc(0) })),
    waiting: server.waiting().flatMap(({ socket, service }) => {
      const fd = fdOf(socket);
      return fd === undefined || fd < 0 ? [] : [{ fd, service: server.services.indexOf(service) }];
    }),
  };
}

/**
 * Captures every server, synchronously (no event-loop turn may pass between
 * this and the exec, or the kernel would hand bytes to this image). Nothing
 * is taken from a client until every one has been described; then client
 * sockets stop reading, and `giveBack` undoes that if the exec fails.
 */
export function captureServers(daemon: Daemon): { servers: SavedServer[]; fds: number[] } {
  const servers = daemon.servers().map(describeServer);
  for (const saved of servers) {
    const server = daemon.lookupServer(saved.name)!;
    for (const c of saved.clients) c.input = server.lookupClient(BigInt(c.id))!.takeInput();
  }
  const fds = servers.flatMap((s) => [...s.services.map((sv) => sv.fd), ...s.clients.map((c) => c.fd), ...(s.waiting ?? []).map((w) => w.fd)]);
  return { servers, fds };
}

/** The exec failed: clients get back the bytes taken from them and are served again. */
export function giveBack(daemon: Daemon, servers: readonly SavedServer[]): void {
  for (const saved of servers) {
    const server = daemon.lookupServer(saved.name);
    for (const c of saved.clients) server?.lookupClient(BigInt(c.id))?.giveInputBack(c.input);
    server?.release();
  }
}

/** A client rebuilt in the next image, not yet served. */
export interface RestoredClient {
  client: ServerClient;
  input: Buffer;
}

/**
 * In the next image: the servers (already built from the config) take back
 * their run-time settings, listening sockets and clients, with each program's
 * per-client state. Clients are served by `serveRestored` once the daemon's
 * own state is back too.
 */
export async function restoreServers(daemon: Daemon, saved: readonly SavedServer[]): Promise<RestoredClient[]> {
  const restored: RestoredClient[] = [];
  for (const s of saved) {
    const server = daemon.lookupServer(s.name);
    if (!server) throw new HandoffError(`the saved server '${s.name}' does not exist in this daemon`);
    server.setLimits(s.limits);
    server.pool.setLimits(s.pool);
    server.maxClientRequests = s.maxClientRequests;
    server.nextClientId = s.nextClientId;
    const services: Service[] = [];
    for (const sv of s.services) {
      const service = new Service({ fd: sv.fd, path: sv.path, readonly: sv.readonly, auth: sv.auth as AuthType, backlog: sv.backlog, ownsPath: sv.ownsPath, activation: sv.activation });
      await server.addService(service);
      services.push(service);
    }
    for (const c of s.clients) {
      const service = services[c.service];
      if (!service) throw new HandoffError(`client ${c.id} of server ${s.name} names service ${c.service}, which was not saved`);
      const socket = new NetSocket({ fd: c.fd, readable: true, writable: true });
      socket.pause();
      const client = server.adoptClient(socket, service, { id: c.id, timestamp: c.timestamp, authPending: c.authPending, readonly: c.readonly });
      if (!client) continue;
      client.hasIdentity = c.hasIdentity;
      for (const p of c.programs) server.programFor(p.prog, p.vers)?.clientHandoff?.restore(client, p.state);
      restored.push({ client, input: c.input });
    }
    for (const w of s.waiting ?? []) {
      const service = services[w.service];
      if (!service) throw new HandoffError(`a waiting connection of server ${s.name} names service ${w.service}, which was not saved`);
      const socket = new NetSocket({ fd: w.fd, readable: true, writable: true });
      socket.pause();
      server.requeue(socket, service);
    }
  }
  return restored;
}

/** The carried bytes first, then whatever the socket brings. */
export function serveRestored(clients: readonly RestoredClient[]): void {
  for (const { client, input } of clients) {
    if (client.closed) continue;
    client.restoreInput(input);
    client.start();
  }
}
