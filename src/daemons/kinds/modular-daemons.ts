/**
 * The modular daemons, virt${DRIVER}d (daemons.rst "Modular driver daemons";
 * daemons.md §1): each serves one driver on sockets named after itself, in
 * the modes the document gives it. Hypervisors this host lacks (Xen,
 * VirtualBox, bhyve) leave their daemon with no driver: it runs, is managed
 * through its admin socket, and a client opening its URI gets libvirt's
 * "no connection driver available" error.
 */
import { createLxcDriver } from '../drivers/lxc/lxc-driver.js';
import { createQemuDriver } from '../drivers/qemu/qemu-driver.js';
import { createSecondaryDriver, type SecondaryScheme } from '../drivers/secondary/secondary-driver.js';
import type { ConnectionDriver } from '../programs/remote/connection-driver.js';
import type { Mode } from '../paths/daemon-paths.js';
import type { DaemonKind } from './daemon-kind.js';

const BOTH: readonly Mode[] = ['system', 'session'];
const SYSTEM_ONLY: readonly Mode[] = ['system'];

function modular(name: string, modes: readonly Mode[], drivers: () => ConnectionDriver[]): DaemonKind {
  return { name, socketPrefix: name, modes, ip: false, description: 'libvirt management daemon', drivers };
}

const secondary = (name: string, scheme: SecondaryScheme, modes: readonly Mode[]) => modular(name, modes, () => [createSecondaryDriver(scheme)]);

export const MODULAR_DAEMONS: readonly DaemonKind[] = [
  modular('virtqemud', BOTH, () => [createQemuDriver()]),
  modular('virtxend', SYSTEM_ONLY, () => []),
  modular('virtlxcd', SYSTEM_ONLY, () => [createLxcDriver()]),
  modular('virtbhyved', SYSTEM_ONLY, () => []),
  // The document gives virtvboxd no mode restriction.
  modular('virtvboxd', BOTH, () => []),
  secondary('virtinterfaced', 'interface', SYSTEM_ONLY),
  secondary('virtnetworkd', 'network', SYSTEM_ONLY),
  secondary('virtnodedevd', 'nodedev', SYSTEM_ONLY),
  secondary('virtnwfilterd', 'nwfilter', SYSTEM_ONLY),
  secondary('virtsecretd', 'secret', BOTH),
  secondary('virtstoraged', 'storage', BOTH),
];
