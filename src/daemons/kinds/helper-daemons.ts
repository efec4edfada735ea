/**
 * The helper daemons (daemons.md §10, §11): virtlogd keeps QEMU's logs,
 * virtlockd holds disk leases. Both run in system and session mode with a
 * main and an admin socket.
 */
import { createLockdProgram } from '../programs/lockd/lockd-program.js';
import type { DaemonKind } from './daemon-kind.js';

export const virtlogd: DaemonKind = {
  name: 'virtlogd',
  socketPrefix: 'virtlogd',
  modes: ['system', 'session'],
  ip: false,
  helper: true,
  description: 'libvirt log management daemon',
  drivers: () => [],
  // The log protocol (0x87539319) is not served yet: its calls get libvirt's "Cannot find program" error.
  mainProgram: () => undefined,
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
