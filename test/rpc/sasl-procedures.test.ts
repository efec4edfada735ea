/**
 * The AUTH_SASL_* procedures byte for byte, against frames captured between
 * the real virsh and Debian's libvirtd 9.0 (issue 11; SCRAM-SHA-256 on a
 * UNIX socket and GSSAPI on TCP, 2026-11-30; tokens cut after their first
 * bytes): each token byte is a 4-byte int, sign-extended from C's char.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { charArray, decodeValue, encodeFrame, encodeValue, MessageStatus, MessageType, Program, PROGRAM_VERSION, Remote, XdrDecodeError } from '../../src/rpc/index.js';

/** Hex words (whole 4-byte groups) at the start of each line; the rest of a line is commentary. */
function hexLines(text: string): Buffer {
  const words = text.split('\n').flatMap((line) => {
    const tokens = line.trim().split(/\s+/);
    const end = tokens.findIndex((t) => !/^([0-9a-f]{8})+$/.test(t));
    return end === -1 ? tokens : tokens.slice(0, end);
  });
  return Buffer.from(words.join(''), 'hex');
}

const header = (proc: number, type: number, serial: number) => ({ prog: Program.Remote, vers: PROGRAM_VERSION, proc, type, serial, status: MessageStatus.Ok });

test('AUTH_SASL_INIT reply: the mechanism list as libvirtd sent it (SCRAM on UNIX, GSSAPI on TCP)', () => {
  const scram = encodeFrame(header(Remote.authSaslInit.proc, MessageType.Reply, 1), Remote.authSaslInit.ret, { mechlist: 'SCRAM-SHA-256' });
  assert.equal(scram.toString('hex'), '000000302000808600000001000000430000000100000001000000000000000d534352414d2d5348412d323536000000');
  const gssapi = encodeFrame(header(Remote.authSaslInit.proc, MessageType.Reply, 1), Remote.authSaslInit.ret, { mechlist: 'GSSAPI' });
  assert.equal(gssapi.toString('hex'), '00000028200080860000000100000043000000010000000100000000000000064753534150490000');
});

test('AUTH_SASL_START call: mechanism, nil = 0, then "n,,n=alice,r=" one int per byte', () => {
  const args = { mech: 'SCRAM-SHA-256', nil: 0, data: Buffer.from('n,,n=alice,r=') };
  assert.deepEqual(
    encodeValue(Remote.authSaslStart.args, args),
    hexLines(`
      0000000d  mech length
      534352414d2d5348412d323536000000  "SCRAM-SHA-256" + pad
      00000000  nil
      0000000d  13 chars
      0000006e 0000002c 0000002c 0000006e 0000003d  n , , n =
      00000061 0000006c 00000069 00000063 00000065  a l i c e
      0000002c 00000072 0000003d  , r =`),
  );
  assert.deepEqual(decodeValue(Remote.authSaslStart.args, encodeValue(Remote.authSaslStart.args, args)), args);
});

test('a GSSAPI token: bytes >= 0x80 go out as negative ints (0x81 -> ffffff81), and come back as bytes', () => {
  const ret = { complete: 0, nil: 0, data: Buffer.from([0x60, 0x81, 0x99, 0x06]) };
  const wire = hexLines(`
    00000000  complete
    00000000  nil
    00000004  count
    00000060 ffffff81 ffffff99 00000006`);
  assert.deepEqual(encodeValue(Remote.authSaslStart.ret, ret), wire);
  assert.deepEqual(decodeValue(Remote.authSaslStart.ret, wire), ret);
  // xdr_char keeps the low byte of whatever int arrives.
  assert.deepEqual(decodeValue(charArray(8), hexLines('00000002 00000181 7fffff41')), Buffer.from([0x81, 0x41]));
});

test('the final AUTH_SASL_STEP of GSSAPI: nil token both ways, complete = 1', () => {
  const call = encodeFrame(header(Remote.authSaslStep.proc, MessageType.Call, 3), Remote.authSaslStep.args, { nil: 1, data: Buffer.alloc(0) });
  assert.equal(call.toString('hex'), '000000242000808600000001000000450000000000000003000000000000000100000000');
  const reply = encodeFrame(header(Remote.authSaslStep.proc, MessageType.Reply, 4), Remote.authSaslStep.ret, { complete: 1, nil: 1, data: Buffer.alloc(0) });
  assert.equal(reply.toString('hex'), '00000028200080860000000100000045000000010000000400000000000000010000000100000000');
});

test('a token over 65,536 bytes, or shorter than its count, does not decode', () => {
  const over = Buffer.alloc(4 + 4 * 65537);
  over.writeUInt32BE(65537, 0);
  assert.throws(() => decodeValue(Remote.authSaslStep.args, Buffer.concat([Buffer.alloc(4), over])), XdrDecodeError);
  assert.throws(() => decodeValue(Remote.authSaslStep.args, hexLines('00000000 00000005 00000001 00000002')), XdrDecodeError);
  const max = Buffer.alloc(65536, 0x41);
  assert.deepEqual(decodeValue(Remote.authSaslStep.args, encodeValue(Remote.authSaslStep.args, { nil: 0, data: max })).data, max);
});
