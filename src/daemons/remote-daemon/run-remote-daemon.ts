/**
 * Runs a remote-protocol daemon as a process: pid file, config, sockets,
 * signals, auto-shutdown, and the exit codes libvirt uses (daemons.md §3, §6).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AuthType } from '../../rpc/index.js';
import { ConfigError, loadRemoteDaemonConfig, type RemoteDaemonConfig } from '../config/index.js';
import type { DaemonKind } from '../kinds/index.js';
import { defaultPidFile, type Mode } from '../paths/daemon-paths.js';
import { PidFile, PidFileError } from '../runtime/index.js';
import { notifyReady } from '../systemd/sd-notify.js';
import { ActivationError, takeActivationFds } from '../systemd/activation.js';
import { assignActivationFds, type ExpectedSockets } from './activated-sockets.js';
import { kindSocketPaths, startRemoteDaemon } from './start-remote-daemon.js';

/** Config keys that socket activation makes moot: the socket units decide these (daemons.md §5.2). */
const ACTIVATION_OVERRIDES = [
  'unix_sock_dir', 'unix_sock_group', 'unix_sock_ro_perms', 'unix_sock_rw_perms', 'unix_sock_admin_perms',
  'listen_tcp', 'listen_tls', 'tcp_port', 'tls_port', 'listen_addr',
];

function expectedSockets(kind: DaemonKind, mode: Mode, c: RemoteDaemonConfig, env: NodeJS.ProcessEnv): ExpectedSockets {
  const paths = kindSocketPaths(kind, mode, c.unixSockDir, env);
  return { rw: paths.rw, ro: paths.ro, admin: paths.admin, ...(kind.ip ? { tcpPort: Number(c.tcpPort), tlsPort: Number(c.tlsPort) } : {}) };
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

export async function runRemoteDaemon(opts: RunOptions): Promise<void> {
  const warnings: string[] = [];
  let config;
  try {
    config = await loadRemoteDaemonConfig(opts.kind.name, { file: opts.configFile, mode: opts.mode, warn: (w) => warnings.push(w), env: opts.env });
  } catch (err) {
    if (err instanceof ConfigError) throw new StartupError(`Can't load config file: ${err.message}: ${err.file}`, ExitCode.Config);
    throw err;
  }
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
  for (const [on, auth, key] of [[config.listenTcp, config.authTcp, 'auth_tcp'], [config.listenTls, config.authTls, 'auth_tls']] as const) {
    if (listenIp && on && auth === AuthType.Sasl) {
      throw new StartupError(`${key} = "sasl": SASL authentication is not available in this build; use TLS with client certificates, or ${key} = "none" on a trusted network`, ExitCode.Config);
    }
  }
  if (opts.mode === 'system' && (config.authUnixRw === 1 || config.authUnixRo === 1)) {
    throw new StartupError('SASL authentication on UNIX sockets is not available in this build yet', ExitCode.Config);
  }
  let pidFile: PidFile;
  try {
    const pidPath = opts.pidFile ?? defaultPidFile(opts.kind.name, opts.mode, opts.env);
    // The session's runtime directory is private to its user (umask 077, daemons.md §2).
    mkdirSync(dirname(pidPath), { recursive: true, mode: opts.mode === 'session' ? 0o700 : 0o755 });
    pidFile = PidFile.acquire(pidPath);
  } catch (err) {
    if (err instanceof PidFileError) throw new StartupError(err.message, ExitCode.PidFile);
    throw err;
  }
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
    });
  } catch (err) {
    pidFile.release();
    throw new StartupError(`Failed to start the daemon's sockets: ${(err as Error).message}`, ExitCode.Network);
  }
  const { daemon } = running;
  const log = daemon.logger.child('daemon');
  for (const w of warnings) log.warn(w);
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
    await daemon.stop();
    pidFile.release();
    await daemon.logger.close(); // every buffered log line is on disk before the process goes
    process.exit(ExitCode.Ok);
  };
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) process.on(sig, () => void shutdown(sig));
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
  // on a root daemon would hand any local user the process. libvirt's daemons die of it
  // (virtlogd/virtlockd re-exec); we keep running and say so (README).
  process.on('SIGUSR1', () =>
    log.warn(
      opts.kind.helper
        ? 'SIGUSR1: re-exec with state handoff is not implemented; the daemon keeps running as it is'
        : 'SIGUSR1: not handled; the daemon keeps running',
    ),
  );
  daemon.onShutdown = (why) => void shutdown(why);
  try {
    notifyReady(opts.env);
  } catch (err) {
    log.error(`cannot tell systemd the daemon is ready: ${(err as Error).message}`);
  }
  opts.ready();
}
