/** Per-client state of the remote program: whether a connection is open, to what, and how. */
import type { ServerClient } from '../../runtime/index.js';
import type { ConnectionDriver } from './connection-driver.js';

export interface RemoteConnection {
  uri: string;
  driver: ConnectionDriver;
  readonly: boolean;
}

export class RemoteConnections {
  readonly #open = new WeakMap<ServerClient, RemoteConnection>();

  get(client: ServerClient): RemoteConnection | undefined {
    return this.#open.get(client);
  }

  set(client: ServerClient, conn: RemoteConnection): void {
    this.#open.set(client, conn);
  }

  delete(client: ServerClient): void {
    this.#open.delete(client);
  }
}
