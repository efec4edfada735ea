/** The bench's admin caller: any number of calls in flight on one connection, replies matched by serial. */
import { connect, type Socket } from 'node:net';
import { Admin, decodeHeader, encodeCall, PacketReader, Program } from '../src/rpc/index.js';

/** Connects like libvirt's blocking connect(): a full listen queue (EAGAIN) means try again. */
export function open(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = connect(path);
      s.once('connect', () => resolve(s));
      s.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EAGAIN' ? setTimeout(attempt, 2) : reject(e)));
    };
    attempt();
  });
}

/** A minimal admin caller: serial-matched replies, any number in flight. */
export class Caller {
  #reader = new PacketReader();
  #waiting = new Map<number, () => void>();
  #serial = 0;
  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const f of this.#reader.push(chunk)) {
        const h = decodeHeader(f);
        this.#waiting.get(h.serial)?.();
        this.#waiting.delete(h.serial);
      }
    });
  }
  call(frame: (serial: number) => Buffer): Promise<void> {
    const serial = this.#serial++;
    return new Promise((resolve) => {
      this.#waiting.set(serial, resolve);
      this.socket.write(frame(serial));
    });
  }
}

export const listServers = (serial: number) =>
  encodeCall(Program.Admin, 1, Admin.connectListServers.proc, serial, Admin.connectListServers.args, { needResults: 1, flags: 0 });
