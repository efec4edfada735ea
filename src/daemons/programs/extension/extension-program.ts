/**
 * Our extension program on the admin server (rpc/protocols/extension-protocol):
 * the daemon's listening services and process, what depends on it (virtlogd's
 * open logs, virtlockd's leases), and events pushed to the admin clients that
 * subscribed: clients coming and going, and settings changed through the admin
 * program, so a console sees them when they happen instead of polling for them.
 * A subscription crosses a re-exec with its connection. Live log subscribers get
 * the daemon's log records as they happen, through their own filters
 * (log-subscriptions.ts).
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
  type ProcedureSpec,
  PROGRAM_VERSION,
  type DaemonState,
  type ServiceListing,
} from '../../../rpc/index.js';
import { boundAddress } from '../../systemd/bound-address.js';
import { type Daemon, entry, Program as RuntimeProgram, type ServerClient, type Service } from '../../runtime/index.js';
import { LogSubscriptions } from './log-subscriptions.js';

const AUTH_NAMES = { [AuthType.None]: 'none', [AuthType.Sasl]: 'sasl', [AuthType.Polkit]: 'polkit' } as const;
const TRANSPORT_NAMES = { [ClientTransport.Unix]: 'unix', [ClientTransport.Tcp]: 'tcp', [ClientTransport.Tls]: 'tls' } as const;

function addressOf(s: Service): string {
  const o = s.options;
  if (o.path) return o.path;
  if (o.tcp) return `${o.tcp.host ?? '*'}:${o.tcp.port}`;
  const a = o.fd === undefined ? undefined : boundAddress(o.fd);
  return a ? (a.kind === 'unix' ? a.path : `*:${a.port}`) : `fd ${o.fd}`;
}

function eventFrame<T>(spec: ProcedureSpec<T, void>, body: T): Buffer {
  const header = { prog: EXTENSION_PROGRAM, vers: PROGRAM_VERSION, proc: spec.proc, type: MessageType.Message, serial: 0, status: MessageStatus.Ok };
  return encodeFrame(header, spec.args, body);
}

export function createExtensionProgram(daemon: Daemon, state: () => DaemonState): RuntimeProgram {
  const subscribers = new Set<ServerClient>();
  const logSubscribers = new LogSubscriptions(daemon.logger);
  // The process started before anything here ran: Node's uptime dates it.
  const startedAt = Math.floor(Date.now() / 1000 - process.uptime());
  let listening = false;
  const listen = () => {
    if (listening) return;
    listening = true;
    for (const server of daemon.servers()) {
      server.clientListeners.add((event, client) => {
        if (subscribers.size === 0) return;
        const body = { event, server: server.name, id: client.id, transport: client.transport, timestamp: client.timestamp, authPending: client.authPending };
        const frame = eventFrame(Extension.clientEvent, body);
        for (const s of subscribers) if (s !== client) s.sendEvent(frame);
      });
    }
    daemon.settingsListeners.add((change) => {
      if (subscribers.size === 0) return;
      const frame = eventFrame(Extension.settingsEvent, change);
      for (const s of subscribers) s.sendEvent(frame);
    });
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
    entry(Extension.daemonInfo, () => ({ name: daemon.name, pid: process.pid, startedAt, timeoutSec: daemon.timeoutSec }), { priority: true }),
    entry(Extension.getDaemonState, () => state(), { priority: true }),
    entry(
      Extension.getLoadStats,
      () => {
        const d = daemon.descriptors;
        if (d) d.recount();
        return {
          ...(d ? { descriptors: { inUse: d.inUse, limit: Number.isFinite(d.limit) ? d.limit : null, reserve: d.reserve } } : {}),
          servers: daemon.servers().map((s) => ({
            server: s.name,
            refusedFull: s.refusedFull.total,
            refusedDescriptors: s.refusedDescriptors.total,
            dropped: Object.fromEntries(Object.entries(s.dropped).map(([reason, w]) => [reason, w.total])),
          })),
        };
      },
      { priority: true },
    ),
    entry(
      Extension.listUnauthClients,
      () => ({ servers: daemon.servers().map((s) => ({ server: s.name, ids: s.clients().filter((c) => c.authPending).map((c) => c.id) })) }),
      { priority: true },
    ),
    entry(
      Extension.subscribeClientEvents,
      (_a, ctx) => {
        listen();
        subscribers.add(ctx.client);
        ctx.client.whenClosed(() => subscribers.delete(ctx.client));
      },
      { priority: true },
    ),
    entry(
      Extension.getDaemonLaunch,
      () => {
        const l = daemon.launch;
        return {
          name: daemon.name,
          mode: daemon.mode,
          uid: process.geteuid?.() ?? 0,
          pid: process.pid,
          args: l?.args ?? [],
          env: l?.env ?? {},
          configFile: l?.configFile ?? '',
          configFound: l?.configFound ?? false,
          timeoutSec: daemon.timeoutSec,
          idleShutdownAt: daemon.shutdownAt ?? null,
          holdingClients: daemon.holdingClientCount,
        };
      },
      { priority: true },
    ),
    entry(
      Extension.releaseIdleHold,
      (_a, ctx) => {
        ctx.client.holdsDaemonUp = false;
        daemon.clientsChanged();
      },
      { priority: true },
    ),
    entry(Extension.subscribeLog, (sub, ctx) => logSubscribers.subscribe(ctx.client, sub), { priority: true }),
    entry(Extension.unsubscribeLog, (_a, ctx) => logSubscribers.unsubscribe(ctx.client), { priority: true }),
  ]);
  program.clientHandoff = {
    save: (client) => {
      const log = logSubscribers.saved(client);
      const released = !client.holdsDaemonUp;
      if (!subscribers.has(client) && !log && !released) return undefined;
      return { subscribed: subscribers.has(client), ...(log ? { log } : {}), ...(released ? { released } : {}) };
    },
    restore: (client, saved) => {
      const s = saved as { subscribed?: unknown; released?: unknown; log?: { filters?: unknown; priority?: unknown } } | undefined;
      if (s?.released === true) client.holdsDaemonUp = false;
      if (s?.log && (typeof s.log.filters === 'string' || s.log.filters === null) && typeof s.log.priority === 'number') {
        try {
          logSubscribers.subscribe(client, { filters: s.log.filters, priority: s.log.priority });
        } catch {
          // filters the previous image took cannot fail here; if they did, the client simply re-subscribes
        }
      }
      if (s?.subscribed !== true) return;
      listen();
      subscribers.add(client);
      client.whenClosed(() => subscribers.delete(client));
    },
  };
  return program;
}
