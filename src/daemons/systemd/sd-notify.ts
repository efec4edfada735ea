/**
 * Telling systemd the daemon is ready (daemons.md §7.2): when run by a
 * Type=notify unit, $NOTIFY_SOCKET names a datagram socket; the daemon sends
 * READY=1 once its sockets accept connections.
 */
import { lazyAddon } from '../runtime/native-addon.js';

const addon = lazyAddon<{ notify(path: string, text: string): void }>('notify');

/** Sends READY=1 if systemd asked for it; returns whether it did. Failures are the caller's to log. */
export function notifyReady(env: NodeJS.ProcessEnv = process.env): boolean {
  const path = env.NOTIFY_SOCKET;
  if (!path) return false;
  addon.notify(path, `READY=1\nMAINPID=${process.pid}`);
  return true;
}
