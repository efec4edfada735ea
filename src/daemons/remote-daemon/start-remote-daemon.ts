/**
 * Builds and starts a daemon that speaks the remote protocol (libvirtd,
 * virtproxyd, virt${DRIVER}d): its main server with the REMOTE program on the
 * rw (and, in system mode, ro) socket, and its `admin` server with the ADMIN
 * program on the admin socket, with limits from its config (daemons.md §4).
 */
import { mkdirSync } from 'node:fs';
import { AuthType } from '../../rpc/index.js';
import type { RemoteDaemonConfig } from '../config/index.js';
import type { DaemonKind } from '../kinds/index.js';
import { DaemonLogger } from '../logging/index.js';
import { logDir, type Mode, socketPaths, type SocketPaths } from '../paths/daemon-paths.js';
import { createAdminProgram } from '../programs/admin/admin-program.js';
import { createRemoteProgram } from '../programs/remote/remote-program.js';
import { Daemon, type PeerCredentials, Server, Service } from '../runtime/index.js';
import type { SocketRole } from './activated-sockets.js';
import { groupId } from './group-id.js';

export interface StartOptions {
  kind: DaemonKind;
  mode: Mode;
  config: RemoteDaemonConfig;
  verbose: boolean;
  daemonized: boolean;
  timeoutSec: number;
  env: NodeJS.ProcessEnv;
  /** Listening fds from systemd by socket; when given, these are the only sockets (daemons.md §7.2). */
  activation?: ReadonlyMap<SocketRole, readonly number[]>;
}

export interface RunningDaemon {
  daemon: Daemon;
  paths: SocketPaths;
}

/** Admin sockets, and in session mode every socket, admit only the daemon's own uid (admin-api.md §1.1). */
function sameUidOnly(euid: number) {
  return (peer: PeerCredentials): string | undefined =>
    peer.uid === euid ? undefined : `operation forbidden: Disallowing client ${peer.pid} with uid ${peer.uid}`;
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
  const paths = socketPaths(kind.socketPrefix, mode, c.unixSockDir, env);
  if (!opts.activation) mkdirSync(paths.dir, { recursive: true, mode: mode === 'session' ? 0o700 : 0o755 });
  const euid = process.geteuid!();
  const gid = c.unixSockGroup === undefined ? undefined : groupId(c.unixSockGroup);

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
    // (a session daemon serves its user only), root included.
    admitPeer: mode === 'session' ? sameUidOnly(euid) : undefined,
  });
  main.addProgram(kind.mainProgram ? kind.mainProgram({ mode, socketDir: paths.dir }) : createRemoteProgram({ mode, drivers: kind.drivers() }));

  const admin = new Server({
    name: 'admin',
    minWorkers: c.adminMinWorkers,
    maxWorkers: c.adminMaxWorkers,
    prioWorkers: 0,
    maxClients: c.adminMaxClients,
    maxAnonymousClients: 0,
    maxQueuedClients: c.adminMaxQueuedClients,
    maxClientRequests: c.adminMaxClientRequests,
    keepalive: { intervalSec: c.adminKeepaliveInterval, count: c.adminKeepaliveCount },
    logger: logger.child('rpc.server.admin'),
    admitPeer: sameUidOnly(euid),
  });
  admin.addProgram(createAdminProgram(daemon));

  daemon.addServer(main);
  daemon.addServer(admin);
  // Session mode always uses auth none on UNIX sockets (daemons.md §12).
  const rwAuth = mode === 'session' ? AuthType.None : c.authUnixRw;
  const roAuth = mode === 'session' ? AuthType.None : c.authUnixRo;
  const listeners: { server: Server; role: SocketRole; path: string | undefined; perms: number; readonly: boolean; auth: AuthType; backlog: number }[] = [
    { server: main, role: 'rw', path: paths.rw, perms: c.unixSockRwPerms, readonly: false, auth: rwAuth, backlog: c.maxQueuedClients },
    ...(paths.ro ? [{ server: main, role: 'ro' as const, path: paths.ro, perms: c.unixSockRoPerms, readonly: true, auth: roAuth, backlog: c.maxQueuedClients }] : []),
    { server: admin, role: 'admin', path: paths.admin, perms: c.unixSockAdminPerms, readonly: false, auth: AuthType.None, backlog: c.adminMaxQueuedClients },
  ];
  if (opts.activation) {
    for (const role of ['tcp', 'tls'] as const) {
      if (opts.activation.has(role)) throw new Error(`${kind.name}-${role}.socket: TCP and TLS listeners are not available in this build yet`);
    }
    // Activated: exactly the sockets systemd passed, as they are (mode and group are the unit's).
    for (const l of listeners) {
      for (const fd of opts.activation.get(l.role) ?? []) {
        await l.server.addService(new Service({ fd, readonly: l.readonly, auth: l.auth, backlog: l.backlog, activation: 'systemd' }));
      }
    }
  } else {
    for (const l of listeners) {
      await l.server.addService(new Service({ path: l.path, perms: l.perms, gid, readonly: l.readonly, auth: l.auth, backlog: l.backlog }));
    }
  }
  daemon.setTimeout(opts.timeoutSec);
  return { daemon, paths };
}
