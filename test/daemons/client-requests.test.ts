/**
 * max_client_requests bounds the calls of one client in progress at once.
 * The first CONNECT_GET_VERSION probes the QEMU binary (slow); a quick call
 * pipelined behind it overtakes it when two may run at once, and waits its
 * turn when only one may.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConf, remoteDaemonConfig } from '../../src/daemons/config/index.js';
import { DAEMON_KINDS } from '../../src/daemons/kinds/index.js';
import { startRemoteDaemon } from '../../src/daemons/remote-daemon/start-remote-daemon.js';
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

test('max_client_requests and admin_max_client_requests reach their servers (the bound above is the same code for both)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-requests-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { HOME: dir, XDG_RUNTIME_DIR: join(dir, 'run') };
  const conf = parseConf('max_client_requests = 3\nadmin_max_client_requests = 2\n', join(dir, 'libvirtd.conf'));
  const config = remoteDaemonConfig('libvirtd', 'session', conf, () => {});
  const { daemon } = await startRemoteDaemon({ kind: DAEMON_KINDS.get('libvirtd')!, mode: 'session', config, verbose: false, daemonized: false, timeoutSec: 0, env, listenIp: false });
  t.after(() => daemon.stop());
  assert.equal(daemon.lookupServer('libvirtd')!.maxClientRequests, 3);
  assert.equal(daemon.lookupServer('admin')!.maxClientRequests, 2);
});
