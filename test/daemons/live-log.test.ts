/**
 * Live log through the extension program: our virtqemud pushes the log records a
 * subscriber's filters let through as they happen, with no log file involved; the
 * daemon's own outputs keep writing what its filters say; a subscriber that stops
 * reading is dropped, not buffered for; and a console's subscription is renewed when
 * the daemon comes back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminClient, type LogRecordMessage } from '../../src/admin-client/index.js';
import { Admin, EXTENSION_PROGRAM, Extension, Program } from '../../src/rpc/index.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { RawClient } from '../helpers/raw-client.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

describe('live log of our virtqemud', { timeout: 120_000 }, () => {
  let d: DaemonUnderTest;
  let admin: AdminClient;
  const records: { record: LogRecordMessage; receivedAt: number }[] = [];
  before(async () => {
    d = await startVirtd('virtqemud');
    admin = await AdminClient.connect(d.adminUri, { reconnect: true, backoffMs: { initial: 50, max: 200 } });
  });
  after(async () => {
    await admin?.close();
    await d?.stop();
  });

  test('a virsh call shows in the live log within 200 ms, and the daemon settings stay as they were', async () => {
    const taken = await admin.subscribeLog({ filters: '1:libvirt 1:qemu', priority: 4 }, (batch) => {
      const at = Date.now();
      for (const record of batch.records) records.push({ record, receivedAt: at });
    });
    assert.deepEqual(taken, { filters: '1:*libvirt* 1:*qemu* ', priority: 4 }, 'the filters as the daemon stores them');
    const virsh = await d.virsh(['hostname']);
    const exitedAt = Date.now();
    assert.equal(virsh.code, 0, virsh.stderr);
    await until(() => records.some((r) => /^virConnectGetHostname: client=\d+ serial=\d+$/.test(r.record.message)), { message: 'the hostname call in the live log' });
    const line = records.find((r) => r.record.message.startsWith('virConnectGetHostname'))!;
    assert.equal(line.record.category, 'libvirt.host');
    assert.equal(line.record.priority, 1);
    const loggedAt = Date.parse(line.record.time);
    assert.ok(line.receivedAt - loggedAt < 200, `logged at ${line.record.time}, received ${line.receivedAt - loggedAt} ms later`);
    assert.ok(line.receivedAt - exitedAt < 200, `received ${line.receivedAt - exitedAt} ms after virsh returned`);
    assert.ok(records.some((r) => r.record.category === 'qemu.qemu_driver' && /^connection opened: qemu:\/\/\/session for client \d+ \(read-write\)$/.test(r.record.message)));
    // The subscription is the console's own: the daemon's filters and its stderr are untouched.
    const filters = await d.virtAdmin(['daemon-log-filters']);
    assert.match(filters.stdout, /^ Logging filters: *$/m);
    assert.doesNotMatch(d.logs(), /virConnectGetHostname/);
  });

  test('bad filters are refused with libvirt\'s message and the subscription stays', async () => {
    await assert.rejects(admin.subscribeLog({ filters: '9:qemu' }, () => {}), /Invalid priority '9' for filter '9:qemu'/);
    await assert.rejects(admin.subscribeLog({ filters: '1:qemu', priority: 7 }, () => {}), /Invalid priority '7'/);
    const before = records.length;
    assert.equal((await d.virsh(['hostname'])).code, 0);
    await until(() => records.slice(before).some((r) => r.record.message.startsWith('virConnectGetHostname')), { message: 'still subscribed' });
  });

  test('a subscriber that stops reading is disconnected; the daemon and others carry on', async () => {
    const sub = await RawClient.connect(d.adminSocket);
    sub.send(Program.Admin, Admin.connectOpen.proc, Admin.connectOpen.args, { flags: 0 });
    assert.ok(await sub.next());
    sub.send(EXTENSION_PROGRAM, Extension.subscribeLog.proc, Extension.subscribeLog.args, { filters: '1:*', priority: 1 });
    assert.ok(await sub.next());
    sub.socket.pause();
    // Each admin call logs a line (RPC_SERVER_CLIENT_MSG_RX) the paused subscriber is sent.
    const operator = await AdminClient.connect(d.adminUri);
    const deadline = Date.now() + 60_000;
    while (!/left 256 KiB of events unread/.test(d.logs()) && Date.now() < deadline) {
      await Promise.all(Array.from({ length: 200 }, () => operator.listServers()));
    }
    await operator.close();
    assert.match(d.logs(), /left 256 KiB of events unread/);
    sub.socket.resume();
    assert.equal(await sub.waitClosed(10_000), true);
    const before = records.length;
    assert.equal((await d.virsh(['hostname'])).code, 0);
    await until(() => records.slice(before).some((r) => r.record.message.startsWith('virConnectGetHostname')), { message: 'the console still follows' });
  });

  test('the subscription is renewed when the daemon comes back', async () => {
    await d.halt();
    await until(() => admin.state !== 'connected', { message: 'the console to see the daemon gone' });
    await d.start();
    await until(() => admin.state === 'connected', { timeoutMs: 10_000, message: 'the console reconnected' });
    const before = records.length;
    assert.equal((await d.virsh(['hostname'])).code, 0);
    await until(() => records.slice(before).some((r) => r.record.message.startsWith('virConnectGetHostname')), { message: 'records after the restart' });
  });
});
