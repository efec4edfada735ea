/** libvirtd: the monolithic daemon (daemons.md §1), serving every driver this host has. */
import { createLxcDriver } from '../drivers/lxc/lxc-driver.js';
import { createQemuDriver } from '../drivers/qemu/qemu-driver.js';
import { createSecondaryDriver } from '../drivers/secondary/secondary-driver.js';
import type { DaemonKind } from './daemon-kind.js';

export const libvirtd: DaemonKind = {
  name: 'libvirtd',
  socketPrefix: 'libvirt',
  modes: ['system', 'session'],
  ip: true,
  description: 'libvirt management daemon',
  drivers: () => [
    createQemuDriver(),
    createLxcDriver(),
    ...(['network', 'interface', 'nodedev', 'nwfilter', 'secret', 'storage'] as const).map(createSecondaryDriver),
  ],
};
