/**
 * Session-mode rules of `virtd libvirtd`: only the daemon's own uid may
 * connect (root included), keepalive pings and closes silent clients on
 * libvirt's schedule, a client may disconnect itself, and the daemon shuts
 * down when idle for its timeout.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Admin, decodeHeader, decodeValue, frameBody, KeepaliveProc, MessageStatus, Program, PONG_FRAME, Remote } from '../../src/rpc/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { spawnVirtd, waitForSocket } from '../helpers/spawn-virtd.js';
import { startVirtd } from '../helpers/virtd.js';

describe('a session daemon admits only its own user', () => {
  test('root is refused without a reply on both sockets; the owner is served', async (t) => {
    const d = await startVirtd('libvirtd', { asTestUser: true });
    t.after(() => d.stop());
    for (const path of [d.adminSocket, d.mainSocket]) {
      const c = await RawClient.connect(path);
      c.send(Program.Admin, Admin.connectOpen.proc, Admin.connectOpen.args, { flags: 0 });
      assert.equal(await c.next(2000), null);
      assert.equal(c.closed, true, `${path} closed on root`);
    }
    const own = await d.virtAdmin(['srv-list']);
    assert.equal(own.code, 0, own.stderr);
    assert.match(d.logs(), /operation forbidden: Disallowing client \d+ with uid 0/);
  });
});

describe('keepalive', () => {
  let d: Awaited<ReturnType<typeof startVirtd>>;
  after(() => d?.stop());

  test('after advertising keepalive a silent client gets PINGs and is closed at interval*(count+1)', async () => {
    d = await startVirtd('libvirtd', { config: 'keepalive_interval = 1\nkeepalive_count = 2\n' });
    const c = await RawClient.connect(d.mainSocket);
    const start = Date.now();
    c.send(Program.Remote, Remote.connectSupportsFeature.proc, Remote.connectSupportsFeature.args, { feature: 10 });
    assert.equal(decodeHeader((await c.next())!).status, MessageStatus.Ok);
    const pings: number[] = [];
    for (;;) {
      const f = await c.next(5000);
      if (!f) break;
      const h = decodeHeader(f);
      assert.equal(h.prog, Program.Keepalive);
      assert.equal(h.proc, KeepaliveProc.Ping);
      pings.push(Date.now() - start);
    }
    const closedAt = Date.now() - start;
    assert.equal(pings.length, 2, `pings at ${pings.join(', ')} ms`);
    assert.ok(closedAt >= 2800 && closedAt < 4500, `closed at ${closedAt} ms, expected ~3000`);
  });

  test('a client that answers PONG stays; one that never advertised is never pinged', async () => {
    const live = await RawClient.connect(d.mainSocket);
    const quiet = await RawClient.connect(d.mainSocket);
    live.send(Program.Remote, Remote.connectSupportsFeature.proc, Remote.connectSupportsFeature.args, { feature: 10 });
    await live.next();
    const deadline = Date.now() + 4000;
    while (Date.now() < deadline) {
      const f = await live.next(deadline - Date.now());
      if (f) live.write(PONG_FRAME);
    }
    assert.equal(live.closed, false);
    assert.equal(quiet.closed, false);
    assert.equal(quiet.frames.length, 0);
    live.close();
    quiet.close();
  });
});

describe('disconnecting oneself through the admin program', () => {
  test('the caller gets its reply, then the connection closes', async (t) => {
    const d = await startVirtd('libvirtd');
    t.after(() => d.stop());
    const c = await RawClient.connect(d.adminSocket);
    c.send(Program.Admin, Admin.serverListClients.proc, Admin.serverListClients.args, { srv: { name: 'admin' }, needResults: 1, flags: 0 });
    const list = (await c.next())!;
    const { clients } = decodeValue(Admin.serverListClients.ret, frameBody(list));
    const self = clients[clients.length - 1]!;
    c.send(Program.Admin, Admin.clientClose.proc, Admin.clientClose.args, { clnt: self, flags: 0 });
    const reply = await c.next();
    assert.ok(reply, 'a reply came before the close');
    assert.equal(decodeHeader(reply).status, MessageStatus.Ok);
    assert.equal(await c.waitClosed(), true);
  });
});

describe('auto-shutdown', () => {
  test('--timeout 1 exits once idle; a connected client holds it up', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'virtd-timeout-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const env = { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: dir };
    const p = spawnVirtd(['libvirtd', '--mode', 'session', '--timeout', '1'], env);
    await waitForSocket(p, join(dir, 'libvirt', 'libvirt-admin-sock'));
    const c = await RawClient.connect(join(dir, 'libvirt', 'libvirt-sock'));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(p.exited(), false, 'a client keeps the daemon up');
    const left = Date.now();
    c.close();
    assert.equal(await p.waitExit(4000), 0);
    const after = Date.now() - left;
    assert.ok(after >= 900, `exited ${after} ms after the last client left`);
  });

  test('admin daemon-timeout sets it live on a daemon started without --timeout', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'virtd-timeout-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const env = { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: dir };
    const p = spawnVirtd(['libvirtd', '--mode', 'session'], env);
    t.after(() => p.stop());
    await waitForSocket(p, join(dir, 'libvirt', 'libvirt-admin-sock'));
    const c = await RawClient.connect(join(dir, 'libvirt', 'libvirt-admin-sock'));
    c.send(Program.Admin, Admin.connectSetDaemonTimeout.proc, Admin.connectSetDaemonTimeout.args, { timeout: 1, flags: 0 });
    assert.equal(decodeHeader((await c.next())!).status, MessageStatus.Ok);
    c.close();
    assert.equal(await p.waitExit(4000), 0);
  });
});
