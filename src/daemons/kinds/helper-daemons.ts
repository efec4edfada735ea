/**
 * The helper daemons (daemons.md §10, §11): virtlogd keeps QEMU's logs,
 * virtlockd holds disk leases. Both run in system and session mode with a
 * main and an admin socket.
 */
import type { HelperDaemonConfig } from '../config/index.js';
import { LogHandler } from '../logd/log-handler.js';
import { createLockdProgram } from '../programs/lockd/lockd-program.js';
import { createLogdProgram } from '../programs/logd/logd-program.js';
import type { DaemonKind } from './daemon-kind.js';

function helper(name: string, description: string, mainProgram: DaemonKind['mainProgram']): DaemonKind {
  return { name, socketPrefix: name, modes: ['system', 'session'], ip: false, helper: true, description, drivers: () => [], mainProgram };
}

export const virtlogd = helper('virtlogd', 'libvirt log management daemon', ({ config, logger, daemon, mode }) => {
  const c = config as HelperDaemonConfig;
  const logs = new LogHandler({ maxSize: c.maxSize, maxBackups: c.maxBackups }, logger);
  // A session virtlogd with open log files stays up: a guest is still writing (daemons.md §10.1).
  if (mode === 'session') daemon.inhibitsShutdown = () => logs.openCount > 0;
  return createLogdProgram(logs);
});

export const virtlockd = helper('virtlockd', 'libvirt lock management daemon', ({ logger }) => createLockdProgram(logger));
