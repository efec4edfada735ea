/**
 * Where a daemon's config file is when `--config` does not say (daemons.md §2, §3):
 * /etc/libvirt in system mode, $XDG_CONFIG_HOME/libvirt (else ~/.config/libvirt) in
 * session mode. `env` is the daemon's environment, which for a console is read from
 * the daemon's process, not the console's own.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultConfigPath(kind: string, mode: 'system' | 'session', env: NodeJS.ProcessEnv = process.env): string {
  if (mode === 'system') return `/etc/libvirt/${kind}.conf`;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'libvirt', `${kind}.conf`);
}
