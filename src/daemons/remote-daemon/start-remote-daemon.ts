/**
 * Builds and starts a daemon that speaks the remote protocol (libvirtd,
 * virtproxyd, virt${DRIVER}d): its main server with the REMOTE program on the
 * rw (and, in system mode, ro) socket, and its `admin` server with the ADMIN
 * program on the admin socket, with limits from its config (daemons.md §4).
 */
import { mkdirSync } from 'node:fs';
import { AuthType, ClientTransport } from '../../rpc/index.js';
import type { RemoteDaemonConfig } from '../config/index.js';
import type { DaemonKind, HelperDuties } from '../kinds/daemon-kind.js';
import { DaemonLogger } from '../logging/index.js';
import { logDir, type Mode, socketPaths, type SocketPaths } from '../paths/daemon-paths.js';
import { createAdminProgram } from '../programs/admin/admin-program.js';
import { createExtensionProgram } from '../programs/extension/extension-program.js';
import { createRemoteProgram } from '../programs/remote/remote-program.js';
import { Daemon, DescriptorBudget, type PeerCredentials, Server, Service } from '../runtime/index.js';
import type { SocketRole } from './activated-sockets.js';
import { groupId } from './group-id.js';
import type { RestartState } from '../reexec/restart-state.js';
import { restoreServers, serveRestored } from '../reexec/runtime-handoff.js';
import type { SaslSettings } from './sasl-setup.js';

export interface StartOptions {
  kind: DaemonKind;
  mode: Mode;
  config: RemoteDaemonConfig;
  verbose: boolean;
  daemonized: boolean;
  timeoutSec: number;
  env: NodeJS.ProcessEnv;
  /** TCP and TLS as the config says (libvirtd with --listen; virtproxyd always). */
  listenIp: boolean;
  /** Listening fds from systemd by socket; when given, these are the only sockets (daemons.md §7.2). */
  activation?: ReadonlyMap<SocketRole, readonly number[]>;
  /** A helper's previous image handed this over (SIGUSR1): its sockets, clients and duties are taken over. */
  restart?: RestartState;
  /** Set when a served socket asks for SASL (sasl-setup.ts has initialised the library). */
  sasl?: SaslSettings;
}

export interface RunningDaemon {
  daemon: Daemon;
  paths: SocketPaths;
  /** virtlogd's and virtlockd's. */
  duties?: HelperDuties;
}

/** Admin sockets, and in session mode every socket, admit only the daemon's own uid (admin-api.md §1.1). */
function sameUidOnly(euid: number) {
  return (peer: PeerCredentials): string | undefined =>
    peer.uid === euid ? undefined : `operation forbidden: Disallowing client ${peer.pid} with uid ${peer.uid}`;
}

/** The daemon's socket paths; virtlogd and virtlockd have no read-only socket in any mode. */
export function kindSocketPaths(kind: DaemonKind, mode: Mode, unixSockDir: string | undefined, env: NodeJS.ProcessEnv): SocketPaths {
  const paths = socketPaths(kind.socketPrefix, mode, unixSockDir, env);
  return kind.helper ? { ...paths, ro: undefined } : paths;
}

function portOf(text: string, key: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${key} '${text}' is not a port number`);
  return port;
}

export async function startRemoteDaemon(opts: StartOptions): Promise<RunningDaemon> {
  const { kind, mode, config: c, env } = opts;
  const logger = new DaemonLogger({
    ident: kind.name,
    mode,
    level: c.logLevel,
    filters: c.logFilters,
    outputs: c.logOutputs,
    verbose: opts.verbose,
    daemonized: opts.daemonized,
    env,
    logDir: logDir(mode, env),
  });
  const daemon = new Daemon({ name: kind.name, mode }, logger);
  const paths = kindSocketPaths(kind, mode, c.unixSockDir, env);
  if (!opts.activation) mkdirSync(paths.dir, { recursive: true, mode: mode === 'session' ? 0o700 : 0o755 });
  const euid = process.geteuid!();
  const gid = c.unixSockGroup === undefined ? undefined : groupId(c.unixSockGroup);

  // Shared by both servers: main connections stop short of the limit, so admin always gets in.
  const descriptors = new DescriptorBudget();
  descriptors.connections = () => daemon.servers().reduce((n, s) => n + s.clientCount + s.waitingCount, 0);
  daemon.descriptors = descriptors;
  const main = new Server({
    name: kind.name,
    minWorkers: c.minWorkers,
    maxWorkers: c.maxWorkers,
    prioWorkers: c.prioWorkers,
    maxClients: c.maxClients,
    maxAnonymousClients: c.maxAnonymousClients,
    maxQueuedClients: c.maxQueuedClients,
    maxClientRequests: c.maxClientRequests,
    keepalive: { intervalSec: c.keepaliveInterval, count: c.keepaliveCount },
    logger: logger.child(`rpc.server.${kind.name}`),
    // libvirt has no uid check on main sockets; in session mode the issue asks for one
    // (a session daemon serves its user only), root included. virtlogd and virtlockd admit
    // only root in system mode and only their own user in session mode, as libvirt's do.
    admitPeer: kind.helper ? sameUidOnly(mode === 'system' ? 0 : euid) : mode === 'session' ? sameUidOnly(euid) : undefined,
    descriptors,
    clientPacketTimeoutSec: c.clientPacketTimeout,
    clientAuthTimeoutSec: c.clientAuthTimeout,
  });
  // SASL failures are logged where libvirt logs them (daemon.remote); the client hears only "authentication failed".
  const sasl = opts.sasl && { ...opts.sasl, logger: logger.child('daemon.remote') };
  const ctx = { mode, socketDir: paths.dir, logger: logger.child(kind.name), config: c, daemon, sasl };
  const duties = kind.duties?.(ctx);
  const program = duties ? duties.program : kind.mainProgram ? kind.mainProgram(ctx) : createRemoteProgram({ mode, drivers: kind.drivers(), sasl, logFor: (category) => logger.child(category) });
  if (program) main.addProgram(program);

  const admin = new Server({
    name: 'admin',
    minWorkers: c.adminMinWorkers,
    maxWorkers: c.adminMaxWorkers,
    prioWorkers: 0,
    maxClients: c.adminMaxClients,
    // virtlogd/virtlockd report their admin client limit as the unauthenticated one too (daemons.md §4).
    maxAnonymousClients: kind.helper ? c.adminMaxClients : 0,
    maxQueuedClients: c.adminMaxQueuedClients,
    maxClientRequests: c.adminMaxClientRequests,
    keepalive: { intervalSec: c.adminKeepaliveInterval, count: c.adminKeepaliveCount },
    logger: logger.child('rpc.server.admin'),
    admitPeer: sameUidOnly(euid),
    descriptors,
    usesDescriptorReserve: true,
    clientPacketTimeoutSec: c.clientPacketTimeout,
  });
  admin.addProgram(createAdminProgram(daemon));
  admin.addProgram(createExtensionProgram(daemon, () => ({ daemon: kind.name, pid: process.pid, ...duties?.report() })));

  daemon.addServer(main);
  daemon.addServer(admin);
  // Session mode defaults to auth none (remote-daemon-config.ts), but what the file sets is enforced.
  const rwAuth = c.authUnixRw;
  const roAuth = c.authUnixRo;
  const listeners: { server: Server; role: SocketRole; path: string | undefined; perms: number; readonly: boolean; auth: AuthType; backlog: number }[] = [
    { server: main, role: 'rw', path: paths.rw, perms: c.unixSockRwPerms, readonly: false, auth: rwAuth, backlog: c.maxQueuedClients },
    ...(paths.ro ? [{ server: main, role: 'ro' as const, path: paths.ro, perms: c.unixSockRoPerms, readonly: true, auth: roAuth, backlog: c.maxQueuedClients }] : []),
    { server: admin, role: 'admin', path: paths.admin, perms: c.unixSockAdminPerms, readonly: false, auth: AuthType.None, backlog: c.adminMaxQueuedClients },
  ];
  const tcp = { transport: ClientTransport.Tcp, readonly: false, auth: c.authTcp, backlog: c.maxQueuedClients };
  // Credentials are read when a TLS socket is set up, so a missing file stops start-up naming it.
  // The TLS modules (node:tls, certificate parsing) load only for a TLS socket.
  const tls = async () => {
    const { loadTlsContext, tlsFiles } = await import('../tls/tls-credentials.js');
    const { parseTlsPriority } = await import('../tls/tls-priority.js');
    const files = tlsFiles(mode, c, env);
    const log = logger.child('rpc.tls');
    const contextOptions = {
      sanityCheck: !c.tlsNoSanityCertificate,
      // Refused at start-up when it cannot be enforced (security-review.ts).
      policy: c.tlsPriority === undefined ? undefined : parseTlsPriority(c.tlsPriority),
      warn: (msg: string) => log.warn(msg),
    };
    const load = () => loadTlsContext(files, contextOptions);
    return {
      transport: ClientTransport.Tls,
      readonly: false,
      auth: c.authTls,
      backlog: c.maxQueuedClients,
      tls: { context: load(), verifyPeer: !c.tlsNoVerifyCertificate, allowedDns: c.tlsAllowedDnList, reload: load, refused: (why: string) => log.error(why) },
    };
  };
  if (opts.restart) {
    // Re-executed: the previous image's sockets, clients and duties, as they were.
    const clients = await restoreServers(daemon, opts.restart.servers);
    duties?.takeOver(opts.restart.duties);
    serveRestored(clients);
  } else if (opts.activation) {
    // Activated: exactly the sockets systemd passed, as they are (mode and group are the unit's).
    for (const l of listeners) {
      for (const fd of opts.activation.get(l.role) ?? []) {
        await l.server.addService(new Service({ fd, readonly: l.readonly, auth: l.auth, backlog: l.backlog, activation: 'systemd' }));
      }
    }
    for (const fd of opts.activation.get('tcp') ?? []) await main.addService(new Service({ fd, ...tcp, activation: 'systemd' }));
    for (const fd of opts.activation.get('tls') ?? []) await main.addService(new Service({ fd, ...(await tls()), activation: 'systemd' }));
  } else {
    const unix = (l: (typeof listeners)[number]) =>
      l.server.addService(new Service({ path: l.path, perms: l.perms, gid, readonly: l.readonly, auth: l.auth, backlog: l.backlog }));
    for (const l of listeners.filter((x) => x.role !== 'admin')) await unix(l);
    if (opts.listenIp && kind.ip) {
      const host = c.listenAddr;
      if (c.listenTcp) await main.addService(new Service({ tcp: { host, port: portOf(c.tcpPort, 'tcp_port') }, ...tcp }));
      if (c.listenTls) await main.addService(new Service({ tcp: { host, port: portOf(c.tlsPort, 'tls_port') }, ...(await tls()) }));
    }
    // The admin socket comes last: once it is there, every other socket listens too.
    for (const l of listeners.filter((x) => x.role === 'admin')) await unix(l);
  }
  daemon.setTimeout(opts.timeoutSec);
  return { daemon, paths, duties };
}
