/**
 * Where a daemon's sockets and pid file live (daemons.md §2): system mode
 * under /run (or unix_sock_dir), session mode under $XDG_RUNTIME_DIR/libvirt,
 * falling back to $XDG_CACHE_HOME/libvirt and ~/.cache/libvirt.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Mode = 'system' | 'session';

export interface SocketPaths {
  dir: string;
  rw: string;
  /** Read-only sockets exist in system mode only. */
  ro: string | undefined;
  admin: string;
}

/** The session's runtime directory for libvirt ($XDG_RUNTIME_DIR/libvirt and fallbacks). */
export function sessionRunDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'libvirt');
  const cache = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cache, 'libvirt');
}

export { logDir, sessionCacheDir } from '../../conf/log-defaults.js';

export const SYSTEM_RUN_DIR = '/run/libvirt';

/**
 * Socket paths for a daemon whose sockets are named `<prefix>-sock`,
 * `<prefix>-sock-ro`, `<prefix>-admin-sock`. libvirt 9.0 drops the admin
 * socket of a session daemon given unix_sock_dir; we keep it (README).
 */
export function socketPaths(prefix: string, mode: Mode, unixSockDir: string | undefined, env: NodeJS.ProcessEnv = process.env): SocketPaths {
  const dir = unixSockDir ?? (mode === 'system' ? SYSTEM_RUN_DIR : sessionRunDir(env));
  return {
    dir,
    rw: join(dir, `${prefix}-sock`),
    ro: mode === 'system' ? join(dir, `${prefix}-sock-ro`) : undefined,
    admin: join(dir, `${prefix}-admin-sock`),
  };
}

export function defaultPidFile(daemon: string, mode: Mode, env: NodeJS.ProcessEnv = process.env): string {
  return mode === 'system' ? join('/run', `${daemon}.pid`) : join(sessionRunDir(env), `${daemon}.pid`);
}
