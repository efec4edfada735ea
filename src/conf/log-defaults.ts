/**
 * What a daemon's logging is when nothing sets it at run time (daemons.md §9):
 * its priority from LIBVIRT_DEBUG, log_level and -v, and the output libvirt
 * picks when no log_outputs is set: journald (not below info) when its socket
 * exists and the daemon runs detached or without a terminal, else a file under
 * its log directory when detached, else stderr. Shared by the daemons, which
 * apply it, and the console, which compares a daemon's running outputs with it.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PRIORITY, LogPriority, parsePriority } from './log-priority.js';

/** Where a daemon's default log file goes: /var/log/libvirt, or $XDG_CACHE_HOME/libvirt in session mode. */
export function sessionCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'libvirt');
}

export function logDir(mode: 'system' | 'session', env: NodeJS.ProcessEnv = process.env): string {
  return mode === 'system' ? '/var/log/libvirt' : sessionCacheDir(env);
}

/** LIBVIRT_DEBUG accepts 1-4 or the priority names. */
export function envPriority(value: string | undefined): LogPriority | undefined {
  if (!value) return undefined;
  const byName: Record<string, LogPriority> = { debug: LogPriority.Debug, info: LogPriority.Info, warning: LogPriority.Warning, warn: LogPriority.Warning, error: LogPriority.Error };
  return byName[value.toLowerCase()] ?? parsePriority(value);
}

/** The daemon's default priority: LIBVIRT_DEBUG, else log_level (0: unset), else 3; -v lowers it to 2. */
export function effectiveLogPriority(configLevel: number | undefined, env: NodeJS.ProcessEnv, verbose: boolean): LogPriority {
  let level = envPriority(env.LIBVIRT_DEBUG) ?? (configLevel ? parsePriority(String(configLevel)) : undefined) ?? DEFAULT_PRIORITY;
  if (verbose && level > LogPriority.Info) level = LogPriority.Info;
  return level;
}

/**
 * Every output libvirt's default could have picked for this daemon, as it reports them:
 * which one depends on its terminal and on journald, which only the daemon knew.
 */
export function defaultOutputCandidates(name: string, mode: 'system' | 'session', level: LogPriority, env: NodeJS.ProcessEnv): string[] {
  return [`${Math.max(level, LogPriority.Info)}:journald`, `${level}:file:${join(logDir(mode, env), `${name}.log`)}`, `${level}:stderr`];
}
