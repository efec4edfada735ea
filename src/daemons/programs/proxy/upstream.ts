/**
 * The proxy's own connection to a modular daemon, on behalf of one client:
 * the client's calls go out as they came, with the proxy's serial in place of
 * the client's, and replies come back with the client's restored. Events the
 * daemon sends (MESSAGE frames) are passed to the client untouched, and the
 * daemon's keepalive pings are answered here.
 */
import { connect, type Socket } from 'node:net';
import {
  decodeHeader,
  decodeValue,
  errorBody,
  ErrorCode,
  ErrorDomain,
  errorsFrom,
  frameBody,
  isKeepalive,
  KeepaliveProc,
  MessageStatus,
  MessageType,
  PacketReader,
  PONG_FRAME,
  systemError,
  type VirError,
} from '../../../rpc/index.js';
import { errnoOf, strerror } from '../../system-errors.js';

const SERIAL_OFFSET = 20;
const rpcFail = errorsFrom(ErrorDomain.Rpc);

/** libvirt's client side says this when the daemon has gone. */
const closedError = () => rpcFail(ErrorCode.InternalError, 'client socket is closed');

export class Upstream {
  readonly #socket: Socket;
  readonly #reader = new PacketReader();
  readonly #pending = new Map<number, { clientSerial: number; resolve: (frame: Buffer) => void; reject: (err: VirError) => void }>();
  #serial = 1;
  #closed = false;
  /** Frames the daemon sends unasked (events); the proxy hands them to its client. */
  onEvent: (frame: Buffer) => void = () => {};
  onClose: () => void = () => {};

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = this.#reader.push(chunk);
      } catch {
        socket.destroy(); // the daemon broke framing: nothing more from it can be trusted
        return;
      }
      for (const f of frames) this.#receive(f);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#closed = true;
      for (const p of this.#pending.values()) p.reject(closedError());
      this.#pending.clear();
      this.onClose();
    });
  }

  /** Connects to the daemon's socket; a daemon that is not there is libvirt's "Failed to connect socket" error at once. */
  static open(path: string): Promise<Upstream> {
    return new Promise((resolve, reject) => {
      const s = connect(path);
      s.once('connect', () => {
        s.removeAllListeners('error');
        resolve(new Upstream(s));
      });
      s.once('error', (err: NodeJS.ErrnoException) => {
        reject(systemError(ErrorDomain.Rpc, `Failed to connect socket to '${path}': ${strerror(err)}`, errnoOf(err)));
      });
    });
  }

  #receive(frame: Buffer): void {
    const h = decodeHeader(frame);
    if (isKeepalive(h)) {
      if (h.proc === KeepaliveProc.Ping) this.#socket.write(PONG_FRAME);
      return;
    }
    if (h.type !== MessageType.Reply) {
      this.onEvent(frame);
      return;
    }
    const p = this.#pending.get(h.serial);
    if (!p) return;
    this.#pending.delete(h.serial);
    frame.writeUInt32BE(p.clientSerial, SERIAL_OFFSET);
    p.resolve(frame);
  }

  /** Sends a client's call frame as is and resolves with the daemon's reply frame, serial restored. */
  relay(call: Buffer): Promise<Buffer> {
    if (this.#closed) return Promise.reject(closedError());
    const out = Buffer.from(call);
    const clientSerial = out.readUInt32BE(SERIAL_OFFSET);
    const serial = this.#serial++;
    out.writeUInt32BE(serial, SERIAL_OFFSET);
    return new Promise((resolve, reject) => {
      this.#pending.set(serial, { clientSerial, resolve, reject });
      this.#socket.write(out);
    });
  }

  /** A call made by the proxy itself: the decoded result, or the daemon's error thrown. */
  async call<T>(frame: Buffer, decodeOk: (body: Buffer) => T): Promise<T> {
    const reply = await this.relay(frame);
    if (decodeHeader(reply).status === MessageStatus.Error) throw decodeValue(errorBody, frameBody(reply));
    return decodeOk(frameBody(reply));
  }

  close(): void {
    this.#socket.destroy();
  }
}
