/**
 * Our extension program on the admin server (rpc/protocols/extension-protocol):
 * the daemon's listening services, client connect/disconnect events pushed to
 * the admin clients that subscribed (so a console sees a client come and go
 * when it happens instead of at its next poll), and the daemon's pid with
 * what depends on it (virtlogd's open logs, virtlockd's leases). A
 * subscription crosses a re-exec with its connection.
 */
import {
  AuthType,
  ClientTransport,
  encodeFrame,
  ErrorDomain,
  Extension,
  EXTENSION_PROGRAM,
  MessageStatus,
  MessageType,
  PROGRAM_VERSION,
  type DaemonState,
  type ServiceListing,
} from '../../../rpc/index.js';
import { boundAddress } from '../../systemd/bound-address.js';
import { type Daemon, entry, Program as RuntimeProgram, type ServerClient, type Service } from '../../runtime/index.js';

const AUTH_NAMES = { [AuthType.None]: 'none', [AuthType.Sasl]: 'sasl', [AuthType.Polkit]: 'polkit' } as const;
const TRANSPORT_NAMES = { [ClientTransport.Unix]: 'unix', [ClientTransport.Tcp]: 'tcp', [ClientTransport.Tls]: 'tls' } as const;

function addressOf(s: Service): string {
  const o = s.options;
  if (o.path) return o.path;
  if (o.tcp) return `${o.tcp.host ?? '*'}:${o.tcp.port}`;
  const a = o.fd === undefined ? undefined : boundAddress(o.fd);
  return a ? (a.kind === 'unix' ? a.path : `*:${a.port}`) : `fd ${o.fd}`;
}

export function createExtensionProgram(daemon: Daemon, state: () => DaemonState): RuntimeProgram {
  const subscribers = new Set<ServerClient>();
  let listening = false;
  const listen = () => {
    if (listening) return;
    listening = true;
    for (const server of daemon.servers()) {
      server.clientListeners.add((event, client) => {
        if (subscribers.size === 0) return;
        const frame = encodeFrame(
          { prog: EXTENSION_PROGRAM, vers: PROGRAM_VERSION, proc: Extension.clientEvent.proc, type: MessageType.Message, serial: 0, status: MessageStatus.Ok },
          Extension.clientEvent.args,
          { event, server: server.name, id: client.id, transport: client.transport, timestamp: client.timestamp },
        );
        for (const s of subscribers) if (s !== client) s.sendEvent(frame);
      });
    }
  };

  const program = new RuntimeProgram(EXTENSION_PROGRAM, PROGRAM_VERSION, ErrorDomain.Admin, [
    entry(
      Extension.listServices,
      () => ({
        services: daemon.servers().flatMap((server) =>
          server.services.map(
            (s): ServiceListing => ({
              server: server.name,
              transport: TRANSPORT_NAMES[s.transport as 0 | 1 | 2],
              address: addressOf(s),
              readonly: s.readonly,
              auth: AUTH_NAMES[s.auth as 0 | 1 | 2] ?? 'none',
              activation: s.options.activation ?? 'self',
            }),
          ),
        ),
      }),
      { priority: true },
    ),
    entry(Extension.getDaemonState, () => state(), { priority: true }),
    entry(
      Extension.subscribeClientEvents,
      (_a, ctx) => {
        listen();
        subscribers.add(ctx.client);
        ctx.client.whenClosed(() => subscribers.delete(ctx.client));
      },
      { priority: true },
    ),
  ]);
  program.clientHandoff = {
    save: (client) => (subscribers.has(client) ? { subscribed: true } : undefined),
    restore: (client, saved) => {
      if ((saved as { subscribed?: unknown } | undefined)?.subscribed !== true) return;
      listen();
      subscribers.add(client);
      client.whenClosed(() => subscribers.delete(client));
    },
  };
  return program;
}
