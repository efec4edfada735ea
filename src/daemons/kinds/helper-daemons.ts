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

export const virtlogd: DaemonKind = {
  name: 'virtlogd',
  socketPrefix: 'virtlogd',
  modes: ['system', 'session'],
  ip: false,
  helper: true,
  description: 'libvirt log management daemon',
  drivers: () => [],
  mainProgram: ({ config, logger, daemon, mode }) => {
    const c = config as HelperDaemonConfig;
    const logs = new LogHandler({ maxSize: c.maxSize, maxBackups: c.maxBackups }, logger);
    // A session virtlogd with open log files stays up: a guest is still writing (daemons.md §10.1).
    if (mode === 'session') daemon.inhibitsShutdown = () => logs.openCount > 0;
    return createLogdProgram(logs);
  },
};

export const virtlockd: DaemonKind = {
  name: 'virtlockd',
  socketPrefix: 'virtlockd',
  modes: ['system', 'session'],
  ip: false,
  helper: true,
  description: 'libvirt lock management daemon',
  drivers: () => [],
  mainProgram: ({ logger }) => createLockdProgram(logger),
};
