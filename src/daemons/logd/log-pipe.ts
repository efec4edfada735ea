/**
 * The read end of a log pipe: what QEMU writes arrives through `onData` as
 * the event loop sees it, and `drain()` takes what the pipe holds right now
 * without waiting, for the moments the file must be current (POSITION, exit,
 * re-exec), as libvirt's virtlogd drains before it answers. `suspend()` stops
 * reading altogether, so that bytes still in the kernel stay there for the
 * next image of the daemon.
 */
import { readSync } from 'node:fs';
import { Socket } from 'node:net';
import { restartReading, stopReading } from '../runtime/socket-reading.js';

const DRAIN_CHUNK = 65536;

export class LogPipe {
  readonly #socket: Socket;
  #ended = false;

  constructor(
    readonly fd: number,
    onData: (chunk: Buffer) => void,
    onEnd: () => void,
    onError: (err: Error) => void,
  ) {
    // libuv makes the descriptor non-blocking, which drain() relies on.
    this.#socket = new Socket({ fd, readable: true, writable: false });
    this.#socket.on('data', onData);
    const end = () => {
      if (this.#ended) return;
      this.#ended = true;
      onEnd();
    };
    this.#socket.on('end', end);
    this.#socket.on('close', end);
    this.#socket.on('error', onError);
  }

  /** Hands every byte the pipe holds now to `onData`; true once the writer has gone (EOF). */
  drain(onData: (chunk: Buffer) => void): boolean {
    const buf = Buffer.allocUnsafe(DRAIN_CHUNK);
    for (;;) {
      let n: number;
      try {
        n = readSync(this.fd, buf, 0, buf.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return false;
        if (code === 'EINTR') continue;
        throw err;
      }
      if (n === 0) return true;
      onData(Buffer.from(buf.subarray(0, n)));
    }
  }

  /** No more reads from the kernel until `resume()`; nothing is lost (re-exec). */
  suspend(): void {
    this.#socket.pause();
    stopReading(this.#socket);
  }

  resume(): void {
    restartReading(this.#socket);
    this.#socket.resume();
  }

  close(): void {
    this.#ended = true;
    this.#socket.destroy();
  }
}
