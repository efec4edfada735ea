/**
 * One bad client never hurts the daemon or the others: each case abuses one
 * connection while a well-behaved client keeps calling, and the daemon must
 * answer libvirt's error or close just that connection.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Admin, decodeHeader, decodeValue, encodeCall, errorBody, frameBody, MessageStatus, Program, voidCodec } from '../../src/rpc/index.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { callWithPayload, RawClient } from '../helpers/raw-client.js';
import { startVirtd } from '../helpers/virtd.js';

/** A client that calls GET_LIB_VERSION in a loop and counts its answers. */
class WellBehaved {
  answered = 0;
  #stop = false;
  #done: Promise<void>;
  constructor(readonly client: RawClient) {
    this.#done = this.#loop();
  }
  async #loop(): Promise<void> {
    while (!this.#stop) {
      this.client.send(Program.Admin, Admin.connectGetLibVersion.proc, voidCodec, undefined);
      const reply = await this.client.next(2000);
      if (!reply) throw new Error('the well-behaved client was not answered within 2 s');
      this.answered++;
    }
  }
  async stop(): Promise<void> {
    this.#stop = true;
    await this.#done;
  }
}

function frame(len: number, rest: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(len);
  return Buffer.concat([head, rest]);
}

/** An admin call with a hand-made payload (for lengths and counts that lie). */
const adminCall = (proc: number, payload: Buffer) => callWithPayload(Program.Admin, proc, payload);

async function expectDecodeError(c: RawClient, bytes: Buffer): Promise<void> {
  c.write(bytes);
  const reply = await c.next();
  assert.ok(reply, 'an error reply');
  assert.equal(decodeHeader(reply).status, MessageStatus.Error);
  assert.equal(decodeValue(errorBody, frameBody(reply)).message, 'Unable to decode message payload');
  assert.equal(c.closed, false, 'the connection stays');
}

describe('malformed input against virtd libvirtd', () => {
  let d: DaemonUnderTest;
  let good: WellBehaved;
  before(async () => {
    d = await startVirtd('libvirtd');
    good = new WellBehaved(await RawClient.connect(d.adminSocket));
  });
  after(async () => {
    const answered = good.answered;
    await good.stop();
    assert.ok(answered > 50, `the well-behaved client was served throughout (${answered} answers)`);
    // The daemon is still up and serving a fresh client.
    const r = await d.virtAdmin(['srv-list']);
    assert.equal(r.code, 0, r.stderr);
    await d.stop();
  });

  for (const socket of ['admin', 'main'] as const) {
    const path = () => (socket === 'admin' ? d.adminSocket : d.mainSocket);
    for (const len of [0, 3, 4, 27, 33554437, 0xffffffff]) {
      test(`${socket}: length word ${len} closes that connection only`, async () => {
        const c = await RawClient.connect(path());
        c.write(frame(len, Buffer.alloc(len >= 4 && len < 28 ? len - 4 : 0)));
        assert.equal(await c.waitClosed(), true);
        assert.equal(c.frames.length, 0);
      });
    }
    test(`${socket}: random garbage closes that connection only`, async () => {
      const c = await RawClient.connect(path());
      c.write(Buffer.concat([Buffer.from('ffffffff', 'hex'), randomBytes(4096)]));
      assert.equal(await c.waitClosed(), true);
    });
  }

  test('a 32 MiB length with a body that never comes is held without hurting others', async () => {
    const c = await RawClient.connect(d.adminSocket);
    c.write(frame(33554436, Buffer.alloc(100)));
    const before = good.answered;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(c.closed, false);
    assert.ok(good.answered > before);
    c.close();
  });

  test('a string length over its bound: decode error, connection kept', async () => {
    const c = await RawClient.connect(d.adminSocket);
    await expectDecodeError(c, adminCall(Admin.connectLookupServer.proc, Buffer.from('00400001616263640000000000', 'hex')));
    c.close();
  });

  test('an array count of 0xffffffff: decode error at once, nothing allocated', async () => {
    const c = await RawClient.connect(d.adminSocket);
    const payload = Buffer.concat([Buffer.from('000000086c69627669727464', 'hex'), Buffer.from('ffffffff', 'hex')]);
    await expectDecodeError(c, adminCall(Admin.serverSetThreadpoolParameters.proc, payload));
    c.close();
  });

  test('a typed parameter of unknown type: decode error', async () => {
    const c = await RawClient.connect(d.adminSocket);
    const payload = Buffer.from('000000086c69627669727464' + '00000001' + '000000016100000000000063' + '00000000', 'hex');
    await expectDecodeError(c, adminCall(Admin.serverSetThreadpoolParameters.proc, payload));
    c.close();
  });

  test('a client stopping mid-packet waits; finishing it later gets the answer', async () => {
    const c = await RawClient.connect(d.adminSocket);
    const call = encodeCall(Program.Admin, 1, Admin.connectGetLibVersion.proc, 42, voidCodec, undefined);
    c.write(call.subarray(0, 13));
    const before = good.answered;
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(good.answered > before, 'others served meanwhile');
    c.write(call.subarray(13));
    const reply = await c.next();
    assert.equal(decodeHeader(reply!).serial, 42);
    c.close();
  });

  test('500 calls pipelined in one write are all answered, matched by serial', async () => {
    const c = await RawClient.connect(d.adminSocket);
    const calls = Array.from({ length: 500 }, (_, i) => encodeCall(Program.Admin, 1, Admin.connectGetLibVersion.proc, i, voidCodec, undefined));
    c.write(Buffer.concat(calls));
    const serials = new Set<number>();
    for (let i = 0; i < 500; i++) serials.add(decodeHeader((await c.next())!).serial);
    assert.equal(serials.size, 500);
    c.close();
  });

  test('clients that vanish mid-call or mid-frame, a thousand times over', async () => {
    const open: Promise<void>[] = [];
    for (let i = 0; i < 1000; i++) {
      open.push(
        RawClient.connect(i % 2 ? d.adminSocket : d.mainSocket).then((c) => {
          const call = encodeCall(Program.Admin, 1, Admin.connectListServers.proc, i, Admin.connectListServers.args, { needResults: 1, flags: 0 });
          c.write(i % 3 === 0 ? call.subarray(0, 10) : call);
          c.close();
        }),
      );
      // Batches of 10: the admin backlog is 20, as libvirt sets it (admin_max_queued_clients).
      if (open.length >= 10) await Promise.all(open.splice(0));
    }
    await Promise.all(open);
    const r = await d.virtAdmin(['srv-clients-info', 'admin']);
    assert.equal(r.code, 0, r.stderr);
  });
});
