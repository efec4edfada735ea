/** The demo behind `npm start`: a live daemon with clients that come and go, cleaned up on stop. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { AdminClient } from '../../src/admin-client/index.js';
import { startDemo } from '../../src/demo/demo-daemons.js';
import { until } from '../helpers/until.js';

test('the demo daemons have live clients, and stopping it removes everything', async () => {
  const demo = await startDemo();
  const admin = await AdminClient.connect(demo.uri);
  try {
    await until(async () => (await admin.listClients('libvirtd')).length >= 4, { timeoutMs: 5000, message: 'demo clients' });
    const first = (await admin.listClients('libvirtd'))[0]!;
    const info = await admin.getClientInfo('libvirtd', first.id);
    assert.equal(info.transport, 'unix');
    assert.equal(typeof info.unixProcessId, 'number');
    // The modular daemons run beside it, each with its own admin socket.
    const qemu = await AdminClient.connect(`virtqemud:///session?socket=${demo.runtimeDir}/virtqemud-admin-sock`);
    assert.deepEqual((await qemu.listServers()).sort(), ['admin', 'virtqemud']);
    await qemu.close();
  } finally {
    await admin.close();
    await demo.stop();
  }
  assert.equal(existsSync(demo.runtimeDir), false);
});
