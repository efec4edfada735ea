/**
 * One connection to an admin socket: calls matched to replies by serial
 * (replies may come out of order), the daemon's errors delivered as the
 * VirError it sent, keepalive in both directions (PINGs answered; our own
 * PING after `keepaliveIntervalMs` of silence, the connection declared dead
 * after `keepaliveCount` unanswered), and every pending call rejected the
 * moment the connection ends.
 */
import { connect, type Socket } from 'node:net';
import {
  decodeHeader,
  encodeCall,
  errorBody,
  isKeepalive,
  KeepaliveProc,
  MessageStatus,
  MessageType,
  PacketReader,
  PING_FRAME,
  PONG_FRAME,
  Program,
  PROGRAM_VERSION,
  type ProcedureSpec,
  XdrReader,
  BODY_OFFSET,
} from '../rpc/index.js';
import { connectFailed, ConnectionLost } from './admin-client-error.js';

export interface ConnectionOptions {
  /** Silence before we ping the daemon; default 5 s (libvirt's interval). */
  keepaliveIntervalMs?: number;
  /** Unanswered pings before the daemon is declared dead; default 5. */
  keepaliveCount?: number;
  /** How long connecting may take. */
  connectTimeoutMs?: number;
}

interface Pending {
  spec: ProcedureSpec<any, any>;
  prog: number;
  resolve: (value: any) => void;
  reject: (err: Error) => void;
}

export class AdminConnection {
  readonly #socket: Socket;
  readonly #reader = new PacketReader();
  readonly #pending = new Map<number, Pending>();
  #serial = 0;
  #closed: Error | undefined;
  #lastHeard = Date.now();
  #unanswered = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #intervalMs: number;
  readonly #count: number;
  /** Called once when the connection ends, with why. */
  onClose: (reason: Error) => void = () => {};

  private constructor(socket: Socket, opts: ConnectionOptions) {
    this.#socket = socket;
    this.#intervalMs = opts.keepaliveIntervalMs ?? 5000;
    this.#count = opts.keepaliveCount ?? 5;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => this.#end(new ConnectionLost(`Cannot recv data: ${err.code === 'ECONNRESET' ? 'Connection reset by peer' : err.message}`, { cause: err })));
    socket.on('close', () => this.#end(new ConnectionLost('End of file while reading data: Input/output error')));
    this.#armKeepalive();
  }

  static open(socketPath: string, opts: ConnectionOptions = {}): Promise<AdminConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(socketPath);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(connectFailed(socketPath, Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      }, opts.connectTimeoutMs ?? 5000);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(connectFailed(socketPath, err));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new AdminConnection(socket, opts));
      });
    });
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Frames the daemon sends unasked (the extension program's events), by program and procedure. */
  onEvent: (prog: number, proc: number, frame: Buffer) => void = () => {};

  call<A, R>(spec: ProcedureSpec<A, R>, args: A, prog: number = Program.Admin): Promise<R> {
    if (this.#closed) return Promise.reject(this.#closed);
    const serial = this.#serial++ >>> 0;
    const frame = encodeCall(prog, PROGRAM_VERSION, spec.proc, serial, spec.args, args);
    return new Promise<R>((resolve, reject) => {
      this.#pending.set(serial, { spec, prog, resolve, reject });
      this.#socket.write(frame);
    });
  }

  /** Sends CONNECT_CLOSE-style shutdown: the caller sends the close call first if it wants one. */
  close(): void {
    this.#end(new ConnectionLost('connection closed'));
  }

  #receive(chunk: Buffer): void {
    this.#lastHeard = Date.now();
    this.#unanswered = 0;
    let frames: Buffer[];
    try {
      frames = this.#reader.push(chunk);
    } catch (err) {
      this.#end(new ConnectionLost(`the daemon sent a malformed packet: ${(err as Error).message}`, { cause: err }));
      return;
    }
    for (const frame of frames) this.#dispatch(frame);
  }

  #dispatch(frame: Buffer): void {
    const h = decodeHeader(frame);
    if (isKeepalive(h)) {
      if (h.proc === KeepaliveProc.Ping) this.#socket.write(PONG_FRAME);
      return;
    }
    if (h.type === MessageType.Message) return this.onEvent(h.prog, h.proc, frame);
    if (h.type !== MessageType.Reply) return;
    const pending = this.#pending.get(h.serial);
    if (!pending || pending.prog !== h.prog) return;
    this.#pending.delete(h.serial);
    try {
      const reader = new XdrReader(frame, BODY_OFFSET);
      if (h.status === MessageStatus.Error) pending.reject(errorBody.decode(reader));
      else pending.resolve(pending.spec.ret.decode(reader));
    } catch (err) {
      this.#end(new ConnectionLost(`the daemon sent a reply that does not decode: ${(err as Error).message}`, { cause: err }));
    }
  }

  #armKeepalive(): void {
    if (this.#intervalMs <= 0) return;
    this.#timer = setTimeout(() => {
      if (this.#closed) return;
      const quiet = Date.now() - this.#lastHeard;
      if (quiet >= this.#intervalMs) {
        if (this.#unanswered >= this.#count) {
          this.#end(new ConnectionLost(`the daemon did not answer ${this.#count} keepalive probes`));
          return;
        }
        this.#unanswered++;
        this.#socket.write(PING_FRAME);
      }
      this.#armKeepalive();
    }, this.#intervalMs);
    this.#timer.unref();
  }

  #end(reason: Error): void {
    if (this.#closed) return;
    this.#closed = reason;
    if (this.#timer) clearTimeout(this.#timer);
    this.#socket.destroy();
    for (const p of this.#pending.values()) p.reject(reason);
    this.#pending.clear();
    this.onClose(reason);
  }
}
