/**
 * How a daemon was started, whoever's daemon it is: ours say it through the
 * extension program (GET_DAEMON_LAUNCH); libvirt's say nothing, so the facts
 * come from its process on its host (the pid holding its pid file, then that
 * process's command line and environment, through Host). From them: its name,
 * mode, options and the config file it read, which drift and the certificate
 * panel read with the daemons' own parser.
 */
import { type AdminClient, findDaemonProcess, type Host } from '../admin-client/index.js';
import { defaultConfigPath, type DaemonOptions, parseDaemonOptions } from '../conf/index.js';

export interface DaemonFacts {
  name: string;
  mode: 'system' | 'session';
  pid: number;
  uid: number;
  options: DaemonOptions;
  /** Undefined when its environment cannot be read (another user's process). */
  env: Record<string, string> | undefined;
  /** The config file it reads; undefined when that depends on an environment that cannot be read. */
  configFile: string | undefined;
  /** Ours only: what the daemon reports of its auto-shutdown. */
  idle?: { timeoutSec: number; shutdownAt: number | null; holdingClients: number };
  source: 'extension' | 'proc';
}

/** Why the facts cannot be known, said plainly. */
export class FactsUnknown extends Error {}

function configFileOf(name: string, mode: 'system' | 'session', options: DaemonOptions, env: Record<string, string> | undefined): string | undefined {
  if (options.configFile) return options.configFile;
  if (mode === 'system') return defaultConfigPath(name, mode);
  return env ? defaultConfigPath(name, mode, env) : undefined;
}

export async function daemonFacts(admin: AdminClient, host: Host): Promise<DaemonFacts> {
  const launch = await admin.daemonLaunch();
  if (launch) {
    const options = parseDaemonOptions(launch.args);
    return {
      name: launch.name,
      mode: launch.mode,
      pid: launch.pid,
      uid: launch.uid,
      options,
      env: launch.env,
      configFile: launch.configFile,
      idle: { timeoutSec: launch.timeoutSec, shutdownAt: launch.idleShutdownAt, holdingClients: launch.holdingClients },
      source: 'extension',
    };
  }
  const found = await findDaemonProcess(admin);
  if (!found) throw new FactsUnknown(`which process serves ${admin.uri} cannot be told (no pid file lock seen on ${host.name})`);
  const p = await host.processInfo(found.pid);
  if (!p) throw new FactsUnknown(`process ${found.pid} serving ${admin.uri} cannot be read on ${host.name}`);
  const name = (p.args[0] ?? p.command).split('/').pop() || p.command;
  const options = parseDaemonOptions(p.args.slice(1));
  // libvirt's daemons run in system mode as root and in session mode otherwise.
  const mode = p.uid === 0 ? 'system' : 'session';
  return { name, mode, pid: p.pid, uid: p.uid, options, env: p.env, configFile: configFileOf(name, mode, options, p.env), source: 'proc' };
}
