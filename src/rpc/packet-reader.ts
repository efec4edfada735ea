/**
 * PacketReader: a pure push machine that cuts a byte stream into whole frames
 * (wp §1, §2.1). Frames are returned as views of the received chunks; bytes
 * are copied only when a frame straddles chunks.
 */
import { MAX_PACKET, MIN_PACKET } from './constants.js';

/** The stream broke libvirt's framing: the connection must be closed, no reply. */
export class ProtocolViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolViolation';
  }
}

export class PacketReader {
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(private readonly maxPacket: number = MAX_PACKET) {}

  /** Bytes held that do not yet make a whole frame. */
  get pending(): number {
    return this.#size;
  }

  /** Hands back the bytes held (a frame not yet whole) and forgets them. */
  take(): Buffer {
    const held = Buffer.concat(this.#chunks, this.#size);
    this.#chunks = [];
    this.#size = 0;
    return held;
  }

  /** Feed any slice of the stream; get back every frame it completes. */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length === 0) return [];
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    const packets: Buffer[] = [];
    for (let len = this.#next(); len !== undefined && this.#size >= len; len = this.#next()) {
      const head = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#size);
      packets.push(head.subarray(0, len));
      this.#chunks = len < head.length ? [head.subarray(len)] : [];
      this.#size -= len;
    }
    return packets;
  }

  #next(): number | undefined {
    if (this.#size < 4) return undefined;
    const first = this.#chunks[0]!;
    const len = first.length >= 4 ? first.readUInt32BE(0) : Buffer.concat(this.#chunks, 4).readUInt32BE(0);
    if (len < MIN_PACKET || len > this.maxPacket) throw new ProtocolViolation(`packet length ${len}`);
    return len;
  }
}
