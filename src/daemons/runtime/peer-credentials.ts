/**
 * The kernel's record of who is at the other end of a UNIX socket
 * (SO_PEERCRED), through the small N-API addon in native/: Node has no API
 * for it, and libvirt's admin access check and client identity rest on it.
 */
import type { Socket } from 'node:net';
import { lazyAddon } from './native-addon.js';

export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
}

const addon = lazyAddon<{ peerCredentials(fd: number): PeerCredentials }>('peercred');

/** The fd behind a connected UNIX net.Socket (libuv's pipe handle exposes it). */
export function socketFd(socket: Socket): number {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new Error('socket has no file descriptor');
  return fd;
}

export function peerCredentials(socket: Socket): PeerCredentials {
  return addon.peerCredentials(socketFd(socket));
}
