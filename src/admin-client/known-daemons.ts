/** The daemons of the specification and their socket names (daemons.md §1-2). */
export interface KnownDaemon {
  name: string;
  /** Socket names are `<prefix>-sock`, `<prefix>-sock-ro`, `<prefix>-admin-sock`. */
  prefix: string;
  /** virtlogd and virtlockd have no read-only socket in any mode. */
  hasReadOnly: boolean;
  /** Listens on TCP 16509 / TLS 16514 when configured to. */
  ip: boolean;
  /** The modes the daemon runs in (daemons.md §1): Xen, LXC, bhyve and the host-wide drivers are system only. */
  modes: readonly ('system' | 'session')[];
}

const BOTH = ['system', 'session'] as const;
const SYSTEM_ONLY = ['system'] as const;
// The seed document gives virtvboxd no mode restriction.
const modular: [string, readonly ('system' | 'session')[]][] = [
  ['virtqemud', BOTH], ['virtxend', SYSTEM_ONLY], ['virtlxcd', SYSTEM_ONLY], ['virtbhyved', SYSTEM_ONLY], ['virtvboxd', BOTH],
  ['virtinterfaced', SYSTEM_ONLY], ['virtnetworkd', SYSTEM_ONLY], ['virtnodedevd', SYSTEM_ONLY], ['virtnwfilterd', SYSTEM_ONLY],
  ['virtsecretd', BOTH], ['virtstoraged', BOTH],
];

export const KNOWN_DAEMONS: readonly KnownDaemon[] = [
  { name: 'libvirtd', prefix: 'libvirt', hasReadOnly: true, ip: true, modes: BOTH },
  ...modular.map(([name, modes]) => ({ name, prefix: name, hasReadOnly: true, ip: false, modes })),
  // virtproxyd listens on libvirtd's socket names: the two are alternatives, never both.
  { name: 'virtproxyd', prefix: 'libvirt', hasReadOnly: true, ip: true, modes: BOTH },
  { name: 'virtlogd', prefix: 'virtlogd', hasReadOnly: false, ip: false, modes: BOTH },
  { name: 'virtlockd', prefix: 'virtlockd', hasReadOnly: false, ip: false, modes: BOTH },
];

export const TCP_PORT = 16509;
export const TLS_PORT = 16514;
