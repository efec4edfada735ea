/**
 * max_client_requests bounds the calls of one client in progress at once.
 * The first CONNECT_GET_VERSION probes the QEMU binary (slow); a quick call
 * pipelined behind it overtakes it when two may run at once, and waits its
 * turn when only one may.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHeader, encodeCall, Program, Remote, voidCodec } from '../../src/rpc/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { startVirtd } from '../helpers/virtd.js';

async function replyOrder(config: string): Promise<number[]> {
  const d = await startVirtd('libvirtd', { config });
  try {
    const c = await RawClient.connect(d.mainSocket);
    c.send(Program.Remote, Remote.connectOpen.proc, Remote.connectOpen.args, { name: 'qemu:///session', flags: 0 }, 1);
    await c.next();
    c.write(
      Buffer.concat([
        encodeCall(Program.Remote, 1, Remote.connectGetVersion.proc, 10, voidCodec, undefined),
        encodeCall(Program.Remote, 1, Remote.connectGetLibVersion.proc, 11, voidCodec, undefined),
      ]),
    );
    const order = [decodeHeader((await c.next(10000))!).serial, decodeHeader((await c.next(10000))!).serial];
    c.close();
    return order;
  } finally {
    await d.stop();
  }
}

test('with max_client_requests = 1 a client\'s calls run one at a time', async () => {
  assert.deepEqual(await replyOrder('max_client_requests = 1\n'), [10, 11]);
});

test('with the default (5) a quick call overtakes a slow one of the same client', async () => {
  assert.deepEqual(await replyOrder(''), [11, 10]);
});
