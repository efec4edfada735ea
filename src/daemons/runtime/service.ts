/**
 * Service: one listening socket of a server (libvirt's virNetServerService).
 * It creates a UNIX socket with the configured mode and group, or adopts a
 * listening fd handed over by systemd, and passes accepted connections,
 * paused, to its owner through `onConnection`. Sockets it created itself are
 * removed when it closes; adopted ones belong to systemd and stay.
 */
import { chmodSync, chownSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { type AuthType, ClientTransport } from '../../rpc/index.js';

export interface ServiceOptions {
  /** A UNIX socket path to create, or `fd` to adopt. */
  path?: string;
  fd?: number;
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
}

export class Service {
  readonly options: ServiceOptions;
  onConnection: (socket: Socket, service: Service) => void = () => {};
  /** Reloads TLS credentials; set only on TLS services (admin SERVER_UPDATE_TLS_FILES). */
  updateTlsFiles: (() => Promise<void>) | undefined;
  #net: NetServer | undefined;
  #created = false;

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

  async listen(): Promise<void> {
    const net = createServer({ pauseOnConnect: true }, (socket) => this.onConnection(socket, this));
    this.#net = net;
    const backlog = this.options.backlog || 30;
    if (this.options.fd !== undefined) {
      await new Promise<void>((resolve, reject) => {
        net.once('error', reject);
        net.listen({ fd: this.options.fd, backlog }, () => resolve());
      });
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

  async close(): Promise<void> {
    const net = this.#net;
    this.#net = undefined;
    if (!net) return;
    await new Promise<void>((resolve) => net.close(() => resolve()));
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
