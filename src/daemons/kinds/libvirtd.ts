/** libvirtd: the monolithic daemon (daemons.md §1). Its drivers grow with issue 5; QEMU answers today. */
import { createQemuDriver } from '../drivers/qemu/qemu-driver.js';
import type { DaemonKind } from './daemon-kind.js';

export const libvirtd: DaemonKind = {
  name: 'libvirtd',
  socketPrefix: 'libvirt',
  modes: ['system', 'session'],
  ip: true,
  description: 'libvirt management daemon',
  drivers: () => [createQemuDriver()],
};
