/**
 * Errors the admin client raises itself (the daemon's own errors arrive as
 * VirError, unchanged). Connection failures are VirErrors too, worded as
 * libvirt's client library words them, so callers print one kind of error.
 */
import { ErrorCode, ErrorDomain, errorsFrom, systemError, VirError } from '../rpc/index.js';

export const uriError = errorsFrom(ErrorDomain.Uri);
export const rpcError = errorsFrom(ErrorDomain.Rpc);

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  ECONNREFUSED: 'Connection refused',
  EACCES: 'Permission denied',
  ENOTSOCK: 'Socket operation on non-socket',
  ECONNRESET: 'Connection reset by peer',
  EPIPE: 'Broken pipe',
  ETIMEDOUT: 'Connection timed out',
  EAGAIN: 'Resource temporarily unavailable',
};

export function errnoText(err: NodeJS.ErrnoException): string {
  return ERRNO_TEXT[err.code ?? ''] ?? err.message;
}

/** `Failed to connect socket to '<path>': <strerror>`, as libvirt reports it. */
export function connectFailed(path: string, err: NodeJS.ErrnoException): VirError {
  return systemError(ErrorDomain.Rpc, `Failed to connect socket to '${path}': ${errnoText(err)}`, Math.abs(err.errno ?? 0));
}

/** The connection ended while calls were in flight, or was unusable. */
export class ConnectionLost extends VirError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super({ code: ErrorCode.SystemError, domain: ErrorDomain.Rpc, message: detail, str1: '%s', str2: detail }, options);
    this.name = 'ConnectionLost';
  }
}
