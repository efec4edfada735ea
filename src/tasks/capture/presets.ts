/**
 * Debug-log recipes for a timed capture. `general` and `qemu` are libvirt's own,
 * word for word from its knowledge base (docs/kbase/debuglogs.rst: "Enable debug logs
 * for most common scenario" / "Less verbose logging", and "Targeted logging for
 * debugging QEMU VMs"). libvirt documents no recipe for storage, networks or RPC; ours
 * follow its targeted one with that subsystem in the QEMU driver's place (storage
 * keeps util.file, which its backends use), and rpc turns the protocol layers to debug
 * and everything else down to warnings.
 */
import { formatLogFilters, parseLogFilters } from '../../conf/index.js';

export interface CapturePreset {
  name: string;
  filters: string;
  about: string;
  /** Where the recipe comes from. */
  source: string;
}

export const PRESETS: readonly CapturePreset[] = [
  {
    name: 'general',
    filters: '3:remote 4:event 3:util.json 3:util.object 3:util.dbus 3:util.netlink 3:node_device 3:rpc 3:access 1:*',
    about: 'everything at debug but the noisiest subsystems',
    source: 'libvirt, docs/kbase/debuglogs.rst (the recommended setting)',
  },
  {
    name: 'qemu',
    filters: '1:libvirt 1:qemu 1:conf 1:security 3:event 3:json 3:file 3:object 1:util',
    about: 'QEMU guests: the API, the QEMU driver, domain configuration, security labels',
    source: 'libvirt, docs/kbase/debuglogs.rst (targeted logging for QEMU VMs)',
  },
  {
    name: 'storage',
    filters: '1:libvirt 1:storage 1:conf 1:security 3:event 3:json 3:object 1:util',
    about: 'storage pools and volumes',
    source: "libvirt's targeted QEMU recipe, with the storage driver",
  },
  {
    name: 'network',
    filters: '1:libvirt 1:network 1:nwfilter 1:conf 3:event 3:json 3:file 3:object 1:util',
    about: 'virtual networks and their filters',
    source: "libvirt's targeted QEMU recipe, with the network and nwfilter drivers",
  },
  {
    name: 'rpc',
    filters: '1:rpc 1:remote 1:access 1:libvirt 3:*',
    about: 'the protocol: connections, calls, authentication, access checks',
    source: "the protocol layers at debug, everything else at warning",
  },
];

export function findPreset(name: string): CapturePreset | undefined {
  return PRESETS.find((p) => p.name === name);
}

/**
 * Checks filters with libvirt's rules and returns them as the daemons will store and
 * report them (`1:qemu` becomes `1:*qemu*`): what virt-admin daemon-log-filters shows
 * during the capture. A bad item throws libvirt's message and nothing is sent.
 */
export function normaliseFilters(text: string): string {
  const filters = parseLogFilters(text);
  if (filters.length === 0) throw new Error('a debug capture needs at least one filter (e.g. 1:qemu)');
  return formatLogFilters(filters)!.trimEnd();
}

/**
 * Filters as a daemon reported them, in the form that sets them back exactly: libvirt
 * wraps each match in `*` when it stores it, so `1:*qemu*` is sent as `1:qemu` (sending
 * it as read would store `1:**qemu**`).
 */
export function restorableFilters(reported: string | null): string | null {
  if (!reported || !reported.trim()) return null;
  return reported
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((item) => {
      const colon = item.indexOf(':');
      const match = item.slice(colon + 1);
      const unwrapped = match.length >= 2 && match.startsWith('*') && match.endsWith('*') ? match.slice(1, -1) : match;
      return `${item.slice(0, colon)}:${unwrapped}`;
    })
    .join(' ');
}
