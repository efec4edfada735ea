/**
 * What the remote program needs from a hypervisor or secondary driver to
 * answer connection-level calls: which URIs it serves, its type name, and
 * its version. Daemon kinds supply their drivers (libvirtd: all of them).
 */
export interface ConnectionDriver {
  /** Scheme served, e.g. "qemu", "network". */
  scheme: string;
  /** CONNECT_GET_TYPE's answer, e.g. "QEMU". */
  type: string;
  /** Checks a URI of this scheme for this daemon's mode; throws libvirt's VirError when it is not acceptable. */
  checkUri(uri: URL, mode: 'system' | 'session'): void;
  /**
   * The hypervisor version as libvirt encodes it (major*1e6 + minor*1e3 + micro); throws when
   * unknown. Absent for secondary drivers, which have no version (CONNECT_GET_VERSION is then
   * libvirt's "not supported" error).
   */
  version?(): Promise<number>;
}
