/**
 * A raw libvirt RPC peer for tests: writes any bytes, reads whole frames,
 * and notices when the daemon closes the connection.
 */
import { connect, type Socket } from 'node:net';
import { type Codec, encodeCall, MessageType, PacketReader, Program, PROGRAM_VERSION, voidCodec } from '../../src/rpc/index.js';

/** A call whose body is whatever bytes we like, the length word fixed up: for payloads that lie. */
export function callWithPayload(prog: number, proc: number, payload: Buffer, serial = 7): Buffer {
  const head = encodeCall(prog, PROGRAM_VERSION, proc, serial, voidCodec, undefined);
  const whole = Buffer.concat([head, payload]);
  whole.writeUInt32BE(whole.length, 0);
  return whole;
}

export class RawClient {
  readonly socket: Socket;
  readonly frames: Buffer[] = [];
  closed = false;
  #reader = new PacketReader();
  #waiters: (() => void)[] = [];
  #serial = 0;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      for (const f of this.#reader.push(chunk)) this.frames.push(f);
      this.#wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    socket.on('error', () => {});
  }

  /**
   * Connects to a UNIX socket path, or a TCP port (on 127.0.0.1 unless a host is given),
   * like libvirt's blocking connect(): a full listen backlog (EAGAIN on
   * Node's non-blocking UNIX connect) means wait and retry, not fail.
   */
  static async connect(path: string | { port: number; host?: string }, timeoutMs = 5000): Promise<RawClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await new Promise<RawClient>((resolve, reject) => {
          const s = typeof path === 'string' ? connect(path) : connect(path.port, path.host ?? '127.0.0.1');
          s.once('connect', () => resolve(new RawClient(s)));
          s.once('error', reject);
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends a call of any program with the given codec and returns its serial. */
  send<A>(prog: number, proc: number, codec: Codec<A>, args: A, serial = this.#serial++): number {
    this.write(encodeCall(prog, PROGRAM_VERSION, proc, serial, codec, args));
    return serial;
  }

  /** Resolves with the next frame, or null if the connection closed or nothing came in time. */
  async next(timeoutMs = 3000): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0 && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.frames.shift() ?? null;
  }

  /** A call with void args on the remote program (AUTH_LIST by default) and its reply. */
  async remoteCall(proc = 66, timeoutMs = 3000): Promise<Buffer | null> {
    this.send(Program.Remote, proc, voidCodec, undefined);
    return this.next(timeoutMs);
  }

  async waitClosed(timeoutMs = 3000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await this.next(deadline - Date.now());
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

export const CALL = MessageType.Call;
