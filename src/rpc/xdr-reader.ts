/**
 * XdrReader: reads XDR from a buffer slice, with libvirt's 9.0 leniency
 * (wp §3): padding bytes are not checked, any non-zero optional flag means
 * "present", trailing bytes after the last field are left unread. Running out
 * of bytes or exceeding a declared bound throws XdrDecodeError, which the
 * daemon answers with "Unable to decode message payload".
 */
export class XdrDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XdrDecodeError';
  }
}

export class XdrReader {
  #pos: number;

  constructor(
    private readonly buf: Buffer,
    offset = 0,
    private readonly end = buf.length,
  ) {
    this.#pos = offset;
  }

  get offset(): number {
    return this.#pos;
  }

  get remaining(): number {
    return this.end - this.#pos;
  }

  #take(n: number): number {
    const at = this.#pos;
    if (n > this.end - at) throw new XdrDecodeError(`need ${n} bytes at offset ${at}, have ${this.end - at}`);
    this.#pos = at + n;
    return at;
  }

  int(): number {
    return this.buf.readInt32BE(this.#take(4));
  }

  uint(): number {
    return this.buf.readUInt32BE(this.#take(4));
  }

  hyper(): bigint {
    return this.buf.readBigInt64BE(this.#take(8));
  }

  uhyper(): bigint {
    return this.buf.readBigUInt64BE(this.#take(8));
  }

  double(): number {
    return this.buf.readDoubleBE(this.#take(8));
  }

  /** A length word checked against `max`, then that many bytes plus padding. */
  opaque(max: number): Buffer {
    const len = this.uint();
    if (len > max) throw new XdrDecodeError(`length ${len} over its bound ${max}`);
    return this.fixedOpaque(len);
  }

  fixedOpaque(len: number): Buffer {
    const at = this.#take((len + 3) & ~3);
    return this.buf.subarray(at, at + len);
  }

  /**
   * A string bounded by `max` bytes. libvirt hands C strings to its code, so an
   * embedded NUL ends the value there (wp §3, golden edge_xdr).
   */
  string(max: number): string {
    const bytes = this.opaque(max);
    const nul = bytes.indexOf(0);
    return (nul === -1 ? bytes : bytes.subarray(0, nul)).toString('utf8');
  }

  /** Array count checked against its bound before any element is read. */
  count(max: number): number {
    const n = this.uint();
    if (n > max) throw new XdrDecodeError(`array count ${n} over its bound ${max}`);
    return n;
  }

  /** Optional-pointer flag: any non-zero value counts as present. */
  present(): boolean {
    return this.uint() !== 0;
  }
}
