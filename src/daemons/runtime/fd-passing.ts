/**
 * Passing descriptors to a client after a REPLY_WITH_FDS: each as one byte with
 * SCM_RIGHTS, as libvirt does. A peer whose socket buffer is full is waited for with a
 * growing back-off, never by blocking the event loop, up to FD_PASS_TIMEOUT_MS.
 */
import { closeSync } from 'node:fs';
import type { Socket } from 'node:net';
import { lazyAddon } from './native-addon.js';

const fdpass = lazyAddon<{ sendFd(socketFd: number, fd: number): boolean }>('fdpass');

/** How long a peer may keep its socket buffer full while descriptors wait to be passed. */
const FD_PASS_TIMEOUT_MS = 5000;

/**
 * Passes `fds` on `socket` in order and closes this process's copies whatever happens.
 * Passes nothing, or stops early, without error, while `unwanted()` holds (the connection
 * closed, or the reply said none go); throws when the peer does not take them in time or
 * the socket has no descriptor.
 */
export async function passFds(socket: Socket, fds: number[], unwanted: () => boolean): Promise<void> {
  try {
    if (unwanted()) return;
    const socketFd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (socketFd === undefined || socketFd < 0) throw new Error('the connection has no descriptor to pass fds on');
    const deadline = Date.now() + FD_PASS_TIMEOUT_MS;
    for (const fd of fds) {
      for (let waitMs = 1; !fdpass.sendFd(socketFd, fd); waitMs = Math.min(waitMs * 2, 100)) {
        if (unwanted()) return;
        if (Date.now() >= deadline) throw new Error(`the peer did not read for ${FD_PASS_TIMEOUT_MS / 1000} s`);
        await new Promise((r) => setTimeout(r, waitMs));
      }
    }
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}
