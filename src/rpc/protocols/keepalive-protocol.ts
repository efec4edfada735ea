/** The keepalive program (0x6b656570 v1, wp §9): PING and PONG, empty MESSAGE frames with serial 0. */
import { KeepaliveProc, MessageStatus, MessageType, Program, PROGRAM_VERSION } from '../constants.js';
import { encodeEmptyFrame } from '../frame.js';
import type { Header } from '../header.js';

function keepaliveFrame(proc: number): Buffer {
  return encodeEmptyFrame({
    prog: Program.Keepalive,
    vers: PROGRAM_VERSION,
    proc,
    type: MessageType.Message,
    serial: 0,
    status: MessageStatus.Ok,
  });
}

export const PING_FRAME: Buffer = keepaliveFrame(KeepaliveProc.Ping);
export const PONG_FRAME: Buffer = keepaliveFrame(KeepaliveProc.Pong);

/** Whether a header belongs to the keepalive layer (consumed below programs, wp §5 rule 1). */
export function isKeepalive(h: Header): boolean {
  return h.prog === Program.Keepalive && h.vers === PROGRAM_VERSION && h.type === MessageType.Message;
}
