/** The daemons of the specification and their socket names (daemons.md §1-2). */
export interface KnownDaemon {
  name: string;
  /** Socket names are `<prefix>-sock`, `<prefix>-sock-ro`, `<prefix>-admin-sock`. */
  prefix: string;
  /** virtlogd and virtlockd have no read-only socket in any mode. */
  hasReadOnly: boolean;
  /** Listens on TCP 16509 / TLS 16514 when configured to. */
  ip: boolean;
}

const modular = ['virtqemud', 'virtxend', 'virtlxcd', 'virtbhyved', 'virtvboxd', 'virtinterfaced', 'virtnetworkd', 'virtnodedevd', 'virtnwfilterd', 'virtsecretd', 'virtstoraged'];

export const KNOWN_DAEMONS: readonly KnownDaemon[] = [
  { name: 'libvirtd', prefix: 'libvirt', hasReadOnly: true, ip: true },
  ...modular.map((name) => ({ name, prefix: name, hasReadOnly: true, ip: false })),
  // virtproxyd listens on libvirtd's socket names: the two are alternatives, never both.
  { name: 'virtproxyd', prefix: 'libvirt', hasReadOnly: true, ip: true },
  { name: 'virtlogd', prefix: 'virtlogd', hasReadOnly: false, ip: false },
  { name: 'virtlockd', prefix: 'virtlockd', hasReadOnly: false, ip: false },
];

export const TCP_PORT = 16509;
export const TLS_PORT = 16514;
