/**
 * Service: one listening socket of a server (libvirt's virNetServerService).
 * It creates a UNIX socket with the configured mode and group, or adopts a
 * listening fd handed over by systemd, and passes accepted connections,
 * paused, to its owner through `onConnection`. Sockets it created itself are
 * removed when it closes; adopted ones belong to systemd and stay.
 */
import { chmodSync, chownSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { SecureContextOptions, TLSSocket } from 'node:tls';
import { type AuthType, ClientTransport } from '../../rpc/index.js';
import { dnAllowed, formatDn } from '../tls/distinguished-name.js';

const TLS_CONFIRMATION = Buffer.from([1]);

/** x509 TLS on a TCP service (daemons.md §5.2). */
export interface TlsServiceOptions {
  context: SecureContextOptions;
  /** Client certificates are required and checked against the CA (not tls_no_verify_certificate). */
  verifyPeer: boolean;
  /** tls_allowed_dn_list: globs a client's DN must match; unset allows any verified client. */
  allowedDns?: readonly string[];
  /** Reads the files again (server-update-tls). */
  reload(): SecureContextOptions;
  /** Why a client was turned away, for the daemon's log. */
  refused(why: string): void;
}

export interface ServiceOptions {
  /** A UNIX socket path to create, a TCP address to listen on, or `fd` to adopt. */
  path?: string;
  tcp?: { host?: string; port: number };
  fd?: number;
  tls?: TlsServiceOptions;
  /** Socket file mode, e.g. 0o700. */
  perms?: number;
  gid?: number;
  readonly: boolean;
  auth: AuthType;
  transport?: ClientTransport;
  /** listen() backlog: max_queued_clients (libvirt uses 30 when it is 0). */
  backlog?: number;
  /** How this socket came to be: for listing services to operators. */
  activation?: 'self' | 'systemd';
  /** With `fd`: the daemon made the socket file at `path` itself (before a re-exec) and removes it at close. */
  ownsPath?: boolean;
}

export class Service {
  readonly options: ServiceOptions;
  onConnection: (socket: Socket, service: Service) => void = () => {};
  /** Reloads TLS credentials; set only on TLS services (admin SERVER_UPDATE_TLS_FILES). */
  updateTlsFiles: (() => Promise<void>) | undefined;
  #net: NetServer | undefined;
  #created = false;
  /** Every connection accepted and not yet closed, TLS handshakes in progress included. */
  readonly #connections = new Set<Socket>();

  constructor(options: ServiceOptions) {
    this.options = options;
  }

  get readonly(): boolean {
    return this.options.readonly;
  }

  get auth(): AuthType {
    return this.options.auth;
  }

  get transport(): ClientTransport {
    return this.options.transport ?? ClientTransport.Unix;
  }

  get path(): string | undefined {
    return this.options.path;
  }

  /** The listening descriptor, to hand to the next image on re-exec. */
  get fd(): number | undefined {
    return (this.#net as unknown as { _handle?: { fd?: number } } | undefined)?._handle?.fd;
  }

  /** Whether the socket file is this daemon's to remove at close. */
  get ownsPath(): boolean {
    return this.#created;
  }

  /** The verified client certificate's subject on a TLS connection. */
  peerDn(socket: Socket): string | undefined {
    const tls = socket as Partial<TLSSocket>;
    return tls.encrypted ? formatDn(tls.getPeerCertificate!()?.subject as Record<string, string | string[]> | undefined) : undefined;
  }

  /** node:tls is loaded only by a daemon that listens with TLS: the others start without it. */
  async #tlsServer(t: TlsServiceOptions): Promise<NetServer> {
    const { createServer: createTlsServer } = await import('node:tls');
    const server = createTlsServer({ ...t.context, requestCert: true, rejectUnauthorized: t.verifyPeer }, (socket) => {
      const dn = this.peerDn(socket);
      if (t.allowedDns && (dn === undefined || !dnAllowed(dn, t.allowedDns))) {
        t.refused(`Client's Distinguished Name '${dn ?? ''}' is not on the list of allowed clients (tls_allowed_dn_list)`);
        socket.destroy();
        return;
      }
      // libvirt's clients wait for one byte after the handshake: the server's checks of the
      // certificate passed ("TLS confirmation"); only then does RPC framing start.
      socket.write(TLS_CONFIRMATION);
      socket.pause();
      this.onConnection(socket, this);
    });
    server.on('tlsClientError', (err, socket) => t.refused(`TLS handshake with ${socket.remoteAddress}:${socket.remotePort} failed: ${err.message}`));
    // New credentials apply to new connections; connected clients keep their session.
    this.updateTlsFiles = async () => server.setSecureContext({ ...t.reload() });
    return server;
  }

  async listen(): Promise<void> {
    const net = this.options.tls
      ? await this.#tlsServer(this.options.tls)
      : createServer({ pauseOnConnect: true }, (socket) => this.onConnection(socket, this));
    this.#net = net;
    net.on('connection', (socket: Socket) => {
      this.#connections.add(socket);
      socket.once('close', () => this.#connections.delete(socket));
    });
    const backlog = this.options.backlog || 30;
    if (this.options.fd !== undefined || this.options.tcp) {
      const where = this.options.fd !== undefined ? { fd: this.options.fd } : { host: this.options.tcp!.host, port: this.options.tcp!.port };
      await new Promise<void>((resolve, reject) => {
        net.once('error', reject);
        net.listen({ ...where, backlog }, () => resolve());
      });
      this.#created = this.options.fd !== undefined && this.options.ownsPath === true;
      return;
    }
    const path = this.options.path!;
    removeStaleSocket(path);
    const perms = this.options.perms ?? 0o700;
    // Bind under a umask that leaves exactly `perms`, so nobody can connect in a window
    // before chmod; libvirt does the same.
    const oldMask = process.umask(~perms & 0o777);
    try {
      await new Promise<void>((resolve, reject) => {
        net.once('error', reject);
        net.listen({ path, backlog }, () => resolve());
      });
    } finally {
      process.umask(oldMask);
    }
    this.#created = true;
    chmodSync(path, perms);
    if (this.options.gid !== undefined) chownSync(path, -1, this.options.gid);
  }

  /** Stops listening and drops every connection still open (net.Server.close waits for them all). */
  async close(): Promise<void> {
    const net = this.#net;
    this.#net = undefined;
    if (!net) return;
    const closed = new Promise<void>((resolve) => net.close(() => resolve()));
    for (const socket of this.#connections) socket.destroy();
    await closed;
    if (this.#created && this.options.path) removeStaleSocket(this.options.path);
  }
}

/** An existing socket file at the path is unlinked before bind (daemons.md §2); anything else is left alone. */
function removeStaleSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Absent: nothing to remove.
  }
}
