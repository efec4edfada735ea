/**
 * A Node system error as libvirt reports one: the errno number (int1 of
 * libvirt's error) and strerror's text, not Node's "ENOENT: no such file…,
 * open '…'" (Node 20 has no strerror).
 */
import { constants } from 'node:os';

const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EBUSY: 'Device or resource busy',
  EAGAIN: 'Resource temporarily unavailable',
  ECONNREFUSED: 'Connection refused',
  ENOSPC: 'No space left on device',
};

export function errnoOf(err: unknown): number {
  return (constants.errno as Record<string, number>)[(err as NodeJS.ErrnoException).code ?? ''] ?? 0;
}

export function strerror(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return STRERROR[e.code ?? ''] ?? e.message;
}
