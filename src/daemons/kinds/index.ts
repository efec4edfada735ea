import type { DaemonKind } from './daemon-kind.js';
import { virtlockd, virtlogd } from './helper-daemons.js';
import { libvirtd } from './libvirtd.js';
import { MODULAR_DAEMONS } from './modular-daemons.js';
import { virtproxyd } from './virtproxyd.js';

export type { DaemonKind } from './daemon-kind.js';

/** The daemon kinds this build can run. */
export const DAEMON_KINDS: ReadonlyMap<string, DaemonKind> = new Map([libvirtd, ...MODULAR_DAEMONS, virtproxyd, virtlogd, virtlockd].map((k) => [k.name, k]));

/** Every daemon named by the specification (daemons.rst), whether or not this build runs it yet. */
export const SPECIFIED_DAEMONS: readonly string[] = [
  'libvirtd', 'virtqemud', 'virtxend', 'virtlxcd', 'virtbhyved', 'virtvboxd', 'virtinterfaced', 'virtnetworkd',
  'virtnodedevd', 'virtnwfilterd', 'virtsecretd', 'virtstoraged', 'virtproxyd', 'virtlogd', 'virtlockd',
];
