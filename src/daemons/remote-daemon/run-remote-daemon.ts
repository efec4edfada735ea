/**
 * Runs a remote-protocol daemon as a process: pid file, config, sockets,
 * signals, auto-shutdown, and the exit codes libvirt uses (daemons.md §3, §6).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, defaultConfigPath, loadRemoteDaemonConfig, type RemoteDaemonConfig } from '../config/index.js';
import type { DaemonKind } from '../kinds/index.js';
import { defaultPidFile, type Mode } from '../paths/daemon-paths.js';
import { type Daemon, PidFile, PidFileError } from '../runtime/index.js';
import { notifyReady } from '../systemd/sd-notify.js';
import { ActivationError, takeActivationFds } from '../systemd/activation.js';
import { assignActivationFds, type ExpectedSockets, type SocketRole } from './activated-sockets.js';
import { reviewSecuritySettings, SecurityRefusal } from './security-review.js';
import { SaslSetupError, setUpSasl } from './sasl-setup.js';
import { kindSocketPaths, startRemoteDaemon } from './start-remote-daemon.js';
import { acceptReexecSignals, Reexec } from '../reexec/reexec.js';
import { restartStatePath } from '../reexec/restart-state.js';
import { takeRestartState } from '../reexec/take-restart-state.js';

/** The environment that decides where the config is and how the daemon logs. */
const LAUNCH_ENV = /^(HOME|XDG_(CONFIG_HOME|RUNTIME_DIR|CACHE_HOME|STATE_HOME|DATA_HOME)|LIBVIRT_DEBUG|LIBVIRT_LOG_FILTERS|LIBVIRT_LOG_OUTPUTS)$/;

/** Config keys that socket activation makes moot: the socket units decide these (daemons.md §5.2). */
const ACTIVATION_OVERRIDES = [
  'unix_sock_dir', 'unix_sock_group', 'unix_sock_ro_perms', 'unix_sock_rw_perms', 'unix_sock_admin_perms',
  'listen_tcp', 'listen_tls', 'tcp_port', 'tls_port', 'listen_addr',
];

function expectedSockets(kind: DaemonKind, mode: Mode, c: RemoteDaemonConfig, env: NodeJS.ProcessEnv): ExpectedSockets {
  const paths = kindSocketPaths(kind, mode, c.unixSockDir, env);
  return { rw: paths.rw, ro: paths.ro, admin: paths.admin, ...(kind.ip ? { tcpPort: Number(c.tcpPort), tlsPort: Number(c.tlsPort) } : {}) };
}

/** The sockets the daemon will serve: those systemd passed, or those its mode and config create. */
function servedSockets(
  kind: DaemonKind,
  mode: Mode,
  c: RemoteDaemonConfig,
  env: NodeJS.ProcessEnv,
  listenIp: boolean,
  activation: ReadonlyMap<SocketRole, readonly number[]> | undefined,
): Set<SocketRole> {
  if (activation) return new Set(activation.keys());
  const paths = kindSocketPaths(kind, mode, c.unixSockDir, env);
  const roles = new Set<SocketRole>(['rw', 'admin']);
  if (paths.ro) roles.add('ro');
  if (listenIp && kind.ip && c.listenTcp) roles.add('tcp');
  if (listenIp && kind.ip && c.listenTls) roles.add('tls');
  return roles;
}

export interface RunOptions {
  kind: DaemonKind;
  mode: Mode;
  configFile?: string;
  pidFile?: string;
  timeoutSec: number;
  verbose: boolean;
  daemonized: boolean;
  listen: boolean;
  env: NodeJS.ProcessEnv;
  /** The command line after the daemon's name, as a console reads it back (extension program). */
  args?: string[];
  /** Called once the sockets accept connections (the -d parent waits for this). */
  ready: () => void;
}

/** Start-up failure exit codes (daemons.md §3). */
export const ExitCode = { Ok: 0, PidFile: 1, Config: 1, Init: 3, Network: 6 } as const;

export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** One line for the log after a re-exec: what the new image took over. */
function describeTakeover(daemon: Daemon, report: { logs?: unknown[]; leases?: unknown[] } | undefined): string {
  const services = daemon.servers().reduce((n, s) => n + s.services.length, 0);
  const parts = [`${services} sockets`, `${daemon.clientCount} clients`];
  if (report?.logs) parts.push(`${report.logs.length} open logs`);
  if (report?.leases) parts.push(`${report.leases.length} leases`);
  return `took over ${parts.join(', ')}`;
}

export async function runRemoteDaemon(opts: RunOptions): Promise<void> {
  const warnings: string[] = [];
  const loadConfig = async (warn: (w: string) => void) => {
    try {
      return await loadRemoteDaemonConfig(opts.kind.name, { file: opts.configFile, mode: opts.mode, warn, env: opts.env });
    } catch (err) {
      if (err instanceof ConfigError) throw new StartupError(`Can't load config file: ${err.message}: ${err.file}`, ExitCode.Config);
      throw err;
    }
  };
  const config = await loadConfig((w) => warnings.push(w));
  const pidPath = opts.pidFile ?? defaultPidFile(opts.kind.name, opts.mode, opts.env);
  // virtlogd and virtlockd: what a previous image of this process handed over on SIGUSR1.
  const statePath = restartStatePath(pidPath, opts.kind.name);
  const taken = opts.kind.helper ? takeRestartState(statePath, { pid: process.pid, daemon: opts.kind.name }) : {};
  if (taken.warning) warnings.push(taken.warning);
  let activation;
  try {
    const fds = takeActivationFds(opts.env, process.pid);
    if (fds && opts.listen) {
      throw new StartupError("--listen parameter not permitted with systemd activation sockets, see 'man libvirtd' for further guidance", ExitCode.Network);
    }
    if (fds) activation = assignActivationFds(opts.kind.name, fds, expectedSockets(opts.kind, opts.mode, config, opts.env));
  } catch (err) {
    if (err instanceof ActivationError) throw new StartupError(err.message, ExitCode.Network);
    throw err;
  }
  // libvirtd listens on TCP/TLS only with --listen; virtproxyd whenever its config says so (daemons.md §5.2).
  const listenIp = !activation && (opts.listen || opts.kind.name === 'virtproxyd');
  const served = servedSockets(opts.kind, opts.mode, config, opts.env, listenIp, activation);
  let securityWarnings: string[];
  try {
    securityWarnings = await reviewSecuritySettings({ config, mode: opts.mode, served, tcpAddress: `${config.listenAddr ?? '*'}:${config.tcpPort}` });
  } catch (err) {
    if (err instanceof SecurityRefusal) throw new StartupError(err.message, ExitCode.Config);
    throw err;
  }
  let sasl;
  try {
    sasl = setUpSasl(config, served, opts.env);
  } catch (err) {
    if (err instanceof SaslSetupError) throw new StartupError(err.message, ExitCode.Network);
    throw err;
  }
  let pidFile: PidFile;
  try {
    // The session's runtime directory is private to its user (umask 077, daemons.md §2).
    mkdirSync(dirname(pidPath), { recursive: true, mode: opts.mode === 'session' ? 0o700 : 0o755 });
    pidFile = taken.state ? PidFile.adopt(pidPath, taken.state.pidFile.fd) : PidFile.acquire(pidPath);
  } catch (err) {
    if (err instanceof PidFileError) throw new StartupError(err.message, ExitCode.PidFile);
    throw err;
  }
  // Stop signals are ours before any socket exists: a client may see the socket and ask the
  // daemon to stop at once, and Node's default for SIGTERM would leave the socket files and
  // the pid file behind. A stop asked for during start-up runs as soon as the daemon is up.
  let stopAsked: string | undefined;
  let stop = (why: string) => void (stopAsked ??= why);
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) process.on(sig, () => stop(sig));
  let running;
  try {
    running = await startRemoteDaemon({
      kind: opts.kind,
      mode: opts.mode,
      config,
      verbose: opts.verbose,
      daemonized: opts.daemonized,
      timeoutSec: opts.timeoutSec,
      env: opts.env,
      activation,
      listenIp,
      restart: taken.state,
      sasl: sasl.settings,
    });
  } catch (err) {
    pidFile.release();
    throw new StartupError(`Failed to start the daemon's sockets: ${(err as Error).message}`, ExitCode.Network);
  }
  const { daemon, duties } = running;
  daemon.launch = {
    args: opts.args ?? [],
    env: Object.fromEntries(Object.entries(opts.env).filter((e): e is [string, string] => LAUNCH_ENV.test(e[0]) && e[1] !== undefined)),
    configFile: opts.configFile ?? defaultConfigPath(opts.kind.name, opts.mode, opts.env),
    configFound: config.file !== undefined,
  };
  const log = daemon.logger.child('daemon');
  for (const w of [...warnings, ...securityWarnings, ...sasl.warnings]) log.warn(w);
  if (taken.note) log.info(taken.note);
  if (taken.state) log.info(`re-executed in place (pid ${process.pid}): ${describeTakeover(daemon, duties?.report())}`);
  if (activation) {
    for (const key of ACTIVATION_OVERRIDES.filter((k) => config.keysSet.has(k))) {
      log.warn(`${key} in ${config.file} is ignored: the sockets come from systemd socket activation`);
    }
  }

  let exiting = false;
  const shutdown = async (why: string) => {
    if (exiting) return;
    exiting = true;
    log.info(`shutting down: ${why}`);
    const force = setTimeout(() => {
      log.error('Make forcefull daemon shutdown');
      process.exit(1);
    }, 30_000);
    force.unref();
    // What guests already wrote into log pipes reaches the files before anything closes.
    duties?.flush();
    await daemon.stop();
    pidFile.release();
    await daemon.logger.close(); // every buffered log line is on disk before the process goes
    process.exit(ExitCode.Ok);
  };
  stop = (why) => void shutdown(why);
  // libvirtd reloads driver state on SIGHUP and keeps running; the config file is not re-read.
  // virtlogd and virtlockd leave SIGHUP unhandled and die of it, as libvirt's do (daemons.md §6).
  // SIGHUP also reopens the log files, so logrotate can rename them and signal (docs/logging.md).
  if (!opts.kind.helper) {
    process.on('SIGHUP', () => {
      daemon.logger.reopen();
      log.info('SIGHUP: log files reopened; reloading driver state (no driver keeps state here yet)');
    });
  }
  // Without a listener Node answers SIGUSR1 by opening its inspector on 127.0.0.1:9229, which
  // on a root daemon would hand any local user the process. virtlogd and virtlockd re-execute
  // themselves in place (daemons.md §10.3); libvirtd and the modular daemons die of it in
  // libvirt, ours keep running and say so (README).
  if (duties) {
    const reexec = new Reexec({ daemon, duties, pidFile, statePath, log, checkConfig: () => loadConfig(() => {}).then(() => undefined) });
    process.on('SIGUSR1', () => void reexec.run());
    // A SIGUSR1 that came while the new image started waited (blocked across execve) until now.
    acceptReexecSignals();
  } else {
    process.on('SIGUSR1', () => log.warn('SIGUSR1: not handled; the daemon keeps running'));
  }
  daemon.onShutdown = stop;
  if (stopAsked) {
    stop(stopAsked);
    return;
  }
  try {
    notifyReady(opts.env);
  } catch (err) {
    log.error(`cannot tell systemd the daemon is ready: ${(err as Error).message}`);
  }
  opts.ready();
}
