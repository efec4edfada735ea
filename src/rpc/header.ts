/** The 24-byte message header that follows the length word (wp §1). */
import { HEADER_SIZE, LEN_WORD_SIZE, MessageStatus, MessageType } from './constants.js';

export interface Header {
  prog: number;
  vers: number;
  /** Signed: libvirt declares the procedure as an int (wp §1). */
  proc: number;
  type: MessageType | number;
  serial: number;
  status: MessageStatus | number;
}

/** Reads the header of a whole frame (length word included). The caller checked its size. */
export function decodeHeader(frame: Buffer): Header {
  return {
    prog: frame.readUInt32BE(4),
    vers: frame.readUInt32BE(8),
    proc: frame.readInt32BE(12),
    type: frame.readInt32BE(16),
    serial: frame.readUInt32BE(20),
    status: frame.readInt32BE(24),
  };
}

/** Writes a header at offset 4 of `buf`, after the length word. */
export function writeHeader(buf: Buffer, h: Header): void {
  buf.writeUInt32BE(h.prog >>> 0, 4);
  buf.writeUInt32BE(h.vers >>> 0, 8);
  buf.writeInt32BE(h.proc | 0, 12);
  buf.writeInt32BE(h.type | 0, 16);
  buf.writeUInt32BE(h.serial >>> 0, 20);
  buf.writeInt32BE(h.status | 0, 24);
}

/** Where the body starts in a frame. */
export const BODY_OFFSET = LEN_WORD_SIZE + HEADER_SIZE;
