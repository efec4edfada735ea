/**
 * Which of a daemon's sockets each systemd-passed fd is (daemons.md §7.2):
 * by fd name, the socket unit's name (`virtqemud.socket`, `virtqemud-ro.socket`,
 * `virtqemud-admin.socket`, `libvirtd-tcp.socket`, `libvirtd-tls.socket`; the
 * daemon's name even where the path is `libvirt-sock`); without names (systemd
 * before 227), by the address the fd is bound to, compared with the configured
 * one. A socket with no fd is not created; an fd nobody claims is fatal.
 */
import { ActivationError, type ActivationFd } from '../systemd/activation.js';
import { boundAddress } from '../systemd/bound-address.js';

export type SocketRole = 'rw' | 'ro' | 'admin' | 'tcp' | 'tls';

const UNIT_SUFFIX: Readonly<Record<SocketRole, string>> = { rw: '', ro: '-ro', admin: '-admin', tcp: '-tcp', tls: '-tls' };

/** The sockets this daemon has in this mode: paths (no `ro` in session mode) and, for libvirtd/virtproxyd, ports. */
export interface ExpectedSockets {
  rw: string;
  ro: string | undefined;
  admin: string;
  tcpPort?: number;
  tlsPort?: number;
}

function roleByName(daemon: string, name: string, expected: ExpectedSockets): SocketRole | undefined {
  const role = (Object.keys(UNIT_SUFFIX) as SocketRole[]).find((r) => name === `${daemon}${UNIT_SUFFIX[r]}.socket`);
  return role && exists(role, expected) ? role : undefined;
}

function exists(role: SocketRole, e: ExpectedSockets): boolean {
  if (role === 'ro') return e.ro !== undefined;
  if (role === 'tcp') return e.tcpPort !== undefined;
  if (role === 'tls') return e.tlsPort !== undefined;
  return true;
}

function roleByAddress(fd: number, e: ExpectedSockets): SocketRole | undefined {
  const a = boundAddress(fd);
  if (!a) return undefined;
  if (a.kind === 'unix') return a.path === e.rw ? 'rw' : a.path === e.ro ? 'ro' : a.path === e.admin ? 'admin' : undefined;
  return a.port === e.tcpPort ? 'tcp' : a.port === e.tlsPort ? 'tls' : undefined;
}

/** The fds of each socket; several fds may share one (a unit with several ListenStream lines). */
export function assignActivationFds(daemon: string, fds: readonly ActivationFd[], expected: ExpectedSockets): Map<SocketRole, number[]> {
  const roles = new Map<SocketRole, number[]>();
  const unclaimed: string[] = [];
  for (const { fd, name } of fds) {
    const role = name === undefined ? roleByAddress(fd, expected) : roleByName(daemon, name, expected);
    if (!role) {
      const a = boundAddress(fd);
      const where = a ? (a.kind === 'unix' ? a.path : `port ${a.port}`) : 'unknown address';
      unclaimed.push(`fd ${fd}${name === undefined ? '' : ` named '${name}'`} (${where})`);
      continue;
    }
    roles.set(role, [...(roles.get(role) ?? []), fd]);
  }
  if (unclaimed.length > 0) {
    throw new ActivationError(`internal error: Some activation file descriptors are unclaimed: ${unclaimed.join(', ')}`);
  }
  return roles;
}
