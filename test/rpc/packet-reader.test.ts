import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_PACKET, PacketReader, ProtocolViolation } from '../../src/rpc/index.js';

function hexLines(text: string): Buffer {
  return Buffer.from(text.replace(/^\s*(\S+).*$/gm, '$1').replace(/\s+/g, ''), 'hex');
}

const CONNECT_OPEN = hexLines(`
  00000020  length, counting itself
  06900690  program: admin
  00000001  version
  00000001  procedure: connect-open
  00000000  type: call
  00000001  serial
  00000000  status: ok
  00000000  args.flags`);

test('a packet survives any cut', () => {
  for (let cut = 0; cut <= CONNECT_OPEN.length; cut++) {
    const r = new PacketReader(MAX_PACKET);
    const got = [...r.push(CONNECT_OPEN.subarray(0, cut)), ...r.push(CONNECT_OPEN.subarray(cut))];
    assert.deepEqual(got, [CONNECT_OPEN]);
  }
});

test('many packets in one chunk, and a byte at a time', () => {
  const many = Buffer.concat(Array.from({ length: 100 }, () => CONNECT_OPEN));
  assert.equal(new PacketReader().push(many).length, 100);
  const r = new PacketReader();
  let n = 0;
  for (const byte of many) n += r.push(Buffer.of(byte)).length;
  assert.equal(n, 100);
  assert.equal(r.pending, 0);
});

function lengthWord(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

// wire-protocol.md §2.1 and golden/framing: what libvirt 9.0 does with each length word.
const LENGTHS: { len: number; accepted: boolean }[] = [
  { len: 0, accepted: false },
  { len: 4, accepted: false },
  { len: 27, accepted: false },
  { len: 28, accepted: true },
  { len: 33554436, accepted: true },
  { len: 33554437, accepted: false },
  { len: 0xffffffff, accepted: false },
];

for (const { len, accepted } of LENGTHS) {
  test(`length word ${len} is ${accepted ? 'accepted (waits for the body)' : 'a protocol violation'}`, () => {
    const r = new PacketReader();
    if (accepted) {
      assert.deepEqual(r.push(lengthWord(len)), []);
      assert.equal(r.pending, 4);
    } else {
      assert.throws(() => r.push(lengthWord(len)), ProtocolViolation);
    }
  });
}

test('a length word split across chunks is read whole', () => {
  const r = new PacketReader();
  assert.deepEqual(r.push(CONNECT_OPEN.subarray(0, 2)), []);
  assert.deepEqual(r.push(CONNECT_OPEN.subarray(2, 3)), []);
  assert.deepEqual(r.push(CONNECT_OPEN.subarray(3)), [CONNECT_OPEN]);
});
