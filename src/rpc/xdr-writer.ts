/**
 * XdrWriter: appends XDR (RFC 4506, as libvirt uses it: wp §3) to a growing
 * buffer. A writer can start with room reserved for the frame's length word
 * and header so a whole message is encoded without a second copy.
 */
export class XdrWriter {
  #buf: Buffer;
  #pos: number;

  constructor(initialSize = 256, reserve = 0) {
    this.#buf = Buffer.allocUnsafe(Math.max(initialSize, reserve + 16));
    this.#buf.fill(0, 0, reserve);
    this.#pos = reserve;
  }

  get length(): number {
    return this.#pos;
  }

  /** The bytes written so far (a view, not a copy). */
  finish(): Buffer {
    return this.#buf.subarray(0, this.#pos);
  }

  /** Direct access for whoever reserved room at the start (the frame writer). */
  get buffer(): Buffer {
    return this.#buf;
  }

  #room(n: number): void {
    const need = this.#pos + n;
    if (need <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.#buf.copy(grown, 0, 0, this.#pos);
    this.#buf = grown;
  }

  int(v: number): this {
    this.#room(4);
    this.#buf.writeInt32BE(v, this.#pos);
    this.#pos += 4;
    return this;
  }

  uint(v: number): this {
    this.#room(4);
    this.#buf.writeUInt32BE(v >>> 0, this.#pos);
    this.#pos += 4;
    return this;
  }

  hyper(v: bigint): this {
    this.#room(8);
    this.#buf.writeBigInt64BE(v, this.#pos);
    this.#pos += 8;
    return this;
  }

  uhyper(v: bigint): this {
    this.#room(8);
    this.#buf.writeBigUInt64BE(v, this.#pos);
    this.#pos += 8;
    return this;
  }

  double(v: number): this {
    this.#room(8);
    this.#buf.writeDoubleBE(v, this.#pos);
    this.#pos += 8;
    return this;
  }

  /** Variable-length opaque: length word, bytes, zero padding to 4. */
  opaque(bytes: Uint8Array): this {
    this.uint(bytes.length);
    return this.fixedOpaque(bytes);
  }

  /** Fixed-length opaque: bytes and padding, no length word. */
  fixedOpaque(bytes: Uint8Array): this {
    const padded = (bytes.length + 3) & ~3;
    this.#room(padded);
    this.#buf.set(bytes, this.#pos);
    this.#buf.fill(0, this.#pos + bytes.length, this.#pos + padded);
    this.#pos += padded;
    return this;
  }

  string(s: string): this {
    const len = Buffer.byteLength(s, 'utf8');
    this.uint(len);
    const padded = (len + 3) & ~3;
    this.#room(padded);
    this.#buf.write(s, this.#pos, len, 'utf8');
    this.#buf.fill(0, this.#pos + len, this.#pos + padded);
    this.#pos += padded;
    return this;
  }
}
