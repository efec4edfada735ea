/**
 * A Node system error as libvirt reports one: the errno number (int1 of
 * libvirt's error) and strerror's text, not Node's "ENOENT: no such file…,
 * open '…'" (Node 20 has no strerror).
 */
import { constants } from 'node:os';

/** glibc's strerror() texts for the errors file, socket and exec calls meet. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EBADF: 'Bad file descriptor',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
  EROFS: 'Read-only file system',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
  ENAMETOOLONG: 'File name too long',
  ELOOP: 'Too many levels of symbolic links',
  EDQUOT: 'Disk quota exceeded',
  EFBIG: 'File too large',
  EPIPE: 'Broken pipe',
  ENOTEMPTY: 'Directory not empty',
  EXDEV: 'Invalid cross-device link',
  ENOEXEC: 'Exec format error',
  E2BIG: 'Argument list too long',
  ENOMEM: 'Cannot allocate memory',
  ETXTBSY: 'Text file busy',
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

/** strerror's text; an error without a known code keeps its own message, never Node's "CODE: …, open '…'". */
export function strerror(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code && STRERROR[e.code]) return STRERROR[e.code]!;
  if (e.code && /^E[A-Z0-9]+$/.test(e.code)) return e.code;
  return e.message;
}
