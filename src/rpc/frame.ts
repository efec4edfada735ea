/**
 * Frames: encoding whole messages (length word + header + body) in one
 * buffer, and the shapes of the replies a server sends (wp §1, §4).
 */
import type { Codec } from './codec.js';
import { MAX_PACKET, MessageStatus, MessageType, MIN_PACKET, NUM_FDS_MAX } from './constants.js';
import { BODY_OFFSET, type Header, writeHeader } from './header.js';
import { errorBody } from './error-body.js';
import type { VirError } from './vir-error.js';
import { XdrDecodeError } from './xdr-reader.js';
import { XdrWriter } from './xdr-writer.js';

/** The message would exceed libvirt's 32 MiB limit. */
export class MessageTooLarge extends Error {
  constructor(readonly size: number) {
    super(`message of ${size} bytes exceeds the protocol maximum of ${MAX_PACKET}`);
    this.name = 'MessageTooLarge';
  }
}

/** Encodes header + body into one buffer; the body codec writes straight after the header. */
export function encodeFrame<T>(header: Header, codec: Codec<T>, body: T, initialSize = 256): Buffer {
  const w = new XdrWriter(Math.max(initialSize, MIN_PACKET), BODY_OFFSET);
  codec.encode(w, body);
  const frame = w.finish();
  if (frame.length > MAX_PACKET) throw new MessageTooLarge(frame.length);
  frame.writeUInt32BE(frame.length, 0);
  writeHeader(frame, header);
  return frame;
}

/**
 * The payload of a CALL_WITH_FDS or REPLY_WITH_FDS message: how many descriptors
 * follow the frame (at most 32), then the usual body (wire-protocol.md §7).
 * libvirt's client rejects a REPLY_WITH_FDS without this count ("Unable to
 * decode message payload"), so it is part of the layout, not an option.
 */
export function withFdCount<T>(codec: Codec<T>): Codec<{ nfds: number; body: T }> {
  return {
    encode: (w, v) => {
      if (!Number.isInteger(v.nfds) || v.nfds < 0 || v.nfds > NUM_FDS_MAX) throw new RangeError(`${v.nfds} descriptors: between 0 and ${NUM_FDS_MAX}`);
      w.uint(v.nfds);
      codec.encode(w, v.body);
    },
    decode: (r) => {
      const nfds = r.uint();
      if (nfds > NUM_FDS_MAX) throw new XdrDecodeError(`${nfds} descriptors announced, at most ${NUM_FDS_MAX}`);
      return { nfds, body: codec.decode(r) };
    },
  };
}

/** A frame whose `fdCount` descriptors are sent after it, one per data byte (wire-protocol.md §7). */
export function encodeFrameWithFds<T>(header: Header, codec: Codec<T>, body: T, fdCount: number): Buffer {
  return encodeFrame(header, withFdCount(codec), { nfds: fdCount, body });
}

/** A frame with no body (void args or ret, keepalive). */
export function encodeEmptyFrame(header: Header): Buffer {
  const frame = Buffer.alloc(MIN_PACKET);
  frame.writeUInt32BE(MIN_PACKET, 0);
  writeHeader(frame, header);
  return frame;
}

/** The header of the reply to `call`: same prog, vers, proc, serial (wp §4). */
export function replyHeader(call: Header, status: MessageStatus): Header {
  return { prog: call.prog, vers: call.vers, proc: call.proc, type: MessageType.Reply, serial: call.serial, status };
}

export function encodeReply<T>(call: Header, codec: Codec<T>, ret: T): Buffer {
  return encodeFrame(replyHeader(call, MessageStatus.Ok), codec, ret);
}

export function encodeErrorReply(call: Header, err: VirError): Buffer {
  return encodeFrame(replyHeader(call, MessageStatus.Error), errorBody, err);
}

export function encodeCall<T>(prog: number, vers: number, proc: number, serial: number, codec: Codec<T>, args: T): Buffer {
  return encodeFrame({ prog, vers, proc, type: MessageType.Call, serial, status: MessageStatus.Ok }, codec, args);
}

/** The body of a frame as a slice (no copy). */
export function frameBody(frame: Buffer): Buffer {
  return frame.subarray(BODY_OFFSET);
}
