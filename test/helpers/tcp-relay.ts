/**
 * A TCP relay that passes bytes between a client and a daemon unchanged and
 * keeps what went each way: the eavesdropper in tests that prove a security
 * layer leaves nothing in the clear.
 */
import { type AddressInfo, connect, createServer, type Server } from 'node:net';

export interface RelayedConnection {
  /** Client to daemon, and daemon to client, in order. */
  up: Buffer[];
  down: Buffer[];
  closed: boolean;
}

export interface TcpRelay {
  port: number;
  connections: RelayedConnection[];
  close(): Promise<void>;
}

export async function startRelay(host: string, targetPort: number): Promise<TcpRelay> {
  const connections: RelayedConnection[] = [];
  const server: Server = createServer((client) => {
    const seen: RelayedConnection = { up: [], down: [], closed: false };
    connections.push(seen);
    const daemon = connect(targetPort, host);
    client.on('data', (d: Buffer) => (seen.up.push(d), daemon.write(d)));
    daemon.on('data', (d: Buffer) => (seen.down.push(d), client.write(d)));
    const end = () => {
      seen.closed = true;
      client.destroy();
      daemon.destroy();
    };
    for (const s of [client, daemon]) {
      s.on('close', end);
      s.on('error', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
