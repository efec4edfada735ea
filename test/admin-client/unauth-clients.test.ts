/**
 * Issue 11 in the console's terms: libvirt's admin API counts clients still
 * authenticating (nclients_unauth) but cannot say which they are. Our daemons
 * say it through the extension program: each connect event carries whether
 * the client is still to authenticate, an 'authenticated' event follows when
 * it is done, and LIST_UNAUTH_CLIENTS (20) names them for a console that
 * attaches late. System mode, where the read-write socket asks for polkit
 * (root is authorised by who it is, at AUTH_LIST). libvirtd 9.0 lacks all of it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdminClient, type ClientEvent } from '../../src/admin-client/index.js';
import { startInMode } from '../helpers/daemon-in-mode.js';
import { RawClient } from '../helpers/raw-client.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { until } from '../helpers/until.js';

test('our virtqemud says which clients are still authenticating, and when one is done', async (t) => {
  const { sockets } = await startInMode(t, 'virtqemud', 'virtqemud', 'system');
  const admin = await AdminClient.connect(`virtqemud:///system?socket=${sockets}/virtqemud-admin-sock`);
  t.after(() => admin.close());
  const events: ClientEvent[] = [];
  assert.equal(await admin.subscribeClientEvents((e) => events.push(e)), true);
  const c = await RawClient.connect(`${sockets}/virtqemud-sock`);
  t.after(() => c.close());
  await until(() => events.some((e) => e.event === 'connect' && e.server === 'virtqemud'), { message: 'the connect event' });
  const connect = events.find((e) => e.event === 'connect')!;
  assert.equal(connect.authPending, true, 'polkit is still to be done');
  assert.deepEqual((await admin.unauthClients())?.find((u) => u.server === 'virtqemud')?.ids, [connect.id]);
  assert.equal((await admin.getClientLimits('virtqemud')).nclientsUnauth, 1, 'the count libvirt gives agrees');

  await c.remoteCall(66); // AUTH_LIST: root is authorised by who it is
  await until(() => events.some((e) => e.event === 'authenticated'), { message: 'the authenticated event' });
  assert.deepEqual(events.map((e) => [e.event, e.id]), [['connect', connect.id], ['authenticated', connect.id]]);
  assert.deepEqual((await admin.unauthClients())?.find((u) => u.server === 'virtqemud')?.ids, []);
  assert.equal((await admin.getClientLimits('virtqemud')).nclientsUnauth, 0);

  // The admin socket asks for nothing: its clients are never pending.
  const other = await AdminClient.connect(`virtqemud:///system?socket=${sockets}/virtqemud-admin-sock`);
  await other.close();
  await until(() => events.filter((e) => e.server === 'admin').length === 2, { message: "the other admin client's events" });
  assert.ok(events.filter((e) => e.server === 'admin' && e.event === 'connect').every((e) => e.authPending === false));
});

test("libvirtd 9.0 cannot say which clients are unauthenticated: undefined, not a guess", async (t) => {
  const d = await startRealLibvirtd();
  t.after(() => d.stop());
  const r = await d.run(process.execPath, ['-e', `
    const { AdminClient } = await import(${JSON.stringify(new URL('../../src/admin-client/index.js', import.meta.url).href)});
    const a = await AdminClient.connect(${JSON.stringify(d.adminUri)});
    console.log(JSON.stringify({ unauth: await a.unauthClients() ?? null }));
    await a.close();`, '--input-type=module']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { unauth: null });
});
