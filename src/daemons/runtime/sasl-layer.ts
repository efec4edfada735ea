/**
 * A connection's security layer: once a SASL mechanism with one (GSSAPI on
 * plain TCP) has authenticated a client, every byte after the final auth
 * reply is wrapped, both ways, as libvirt's virNetSocket wraps it: outgoing
 * data is cut into blocks of at most the negotiated maxOutBuf bytes, each
 * passed to sasl_encode and sent as Cyrus produced it (the mechanism's own
 * length prefix included); incoming bytes go to sasl_decode in slices of at
 * most the buffer size we offered, and Cyrus reassembles blocks that span
 * reads. A block longer than that size, or one that fails its integrity
 * check, is an error: the connection is dropped.
 */
import type { SaslSession } from './cyrus-sasl.js';

/** What ServerClient applies to its byte stream (server-client.ts). */
export interface SecurityLayer {
  encode(data: Buffer): Buffer;
  decode(data: Buffer): Buffer;
  dispose(): void;
}

/** The receive buffer size libvirt offers its peer (1 << 16), and so the largest slice given to decode. */
export const SASL_MAX_BUF_SIZE = 65536;

export class SaslSecurityLayer implements SecurityLayer {
  constructor(
    private readonly session: SaslSession,
    private readonly maxOutBuf: number,
  ) {
    if (!(maxOutBuf > 0)) throw new RangeError(`the security layer takes blocks of ${maxOutBuf} bytes`);
  }

  encode(data: Buffer): Buffer {
    if (data.length <= this.maxOutBuf) return this.session.encode(data);
    const out: Buffer[] = [];
    for (let at = 0; at < data.length; at += this.maxOutBuf) out.push(this.session.encode(data.subarray(at, at + this.maxOutBuf)));
    return Buffer.concat(out);
  }

  decode(data: Buffer): Buffer {
    if (data.length <= SASL_MAX_BUF_SIZE) return this.session.decode(data);
    const out: Buffer[] = [];
    for (let at = 0; at < data.length; at += SASL_MAX_BUF_SIZE) out.push(this.session.decode(data.subarray(at, at + SASL_MAX_BUF_SIZE)));
    return Buffer.concat(out);
  }

  dispose(): void {
    this.session.dispose();
  }
}
