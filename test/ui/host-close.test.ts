/**
 * The host layer's races with discovery. A console that quits while its first
 * discovery is still under way: the daemons that discovery finds afterwards are
 * not attached (a connection opened then, with its reconnecting, kept the process
 * up after the console had closed: the debug capture's tmux test saw `q` take
 * effect and the process never exit). And a target on libvirtd's socket paths is
 * not renamed virtproxyd while discovery cannot tell the two apart (seen as a
 * restart notice naming virtproxyd in the 80x24 tmux test).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AdminClient } from '../../src/admin-client/index.js';
import { createConsoleStore } from '../../src/ui/store/console-store.js';
import { startVirtd } from '../helpers/virtd.js';

test('closing the host during a discovery attaches nothing more', async (t) => {
  const [qemu, libvirtd] = await Promise.all([startVirtd('virtqemud'), startVirtd('libvirtd')]);
  t.after(() => Promise.all([qemu.stop(), libvirtd.stop()]));
  const first = await AdminClient.connect(qemu.adminUri, { reconnect: true });
  const store = createConsoleStore(first, { readonly: false, discovery: { sessionDir: libvirtd.runtimeDir, modes: ['session'] } });
  const discovering = store.getState().discover();
  await store.getState().closeHost();
  await discovering;
  assert.deepEqual(store.getState().daemons.filter((d) => d.running).map((d) => d.name), ['libvirtd'], 'discovery found it');
  assert.deepEqual(Object.keys(store.getState().targets), [qemu.adminSocket], 'but attached nothing after the close');
});

test('a daemon on libvirtd\'s sockets that discovery cannot tell from virtproxyd keeps its name', async (t) => {
  // Sockets listening with no pid file locked beside them, as while libvirtd starts again.
  const dir = mkdtempSync(join(tmpdir(), 'shared-sockets-'));
  const servers = ['libvirt-sock', 'libvirt-admin-sock'].map((n) => createServer((c) => c.destroy()).listen(join(dir, n)));
  await Promise.all(servers.map((s) => new Promise((r) => s.once('listening', r))));
  t.after(() => (servers.forEach((s) => s.close()), rmSync(dir, { recursive: true, force: true })));
  const admin = await AdminClient.connect(`libvirtd:///session?socket=${join(dir, 'libvirt-admin-sock')}`, { reconnect: true, backoffMs: { initial: 5000, max: 5000 } });
  const store = createConsoleStore(admin, { readonly: false, discovery: { sessionDir: dir, modes: ['session'], allUsers: false } });
  t.after(() => store.getState().closeHost());
  await store.getState().discover();
  assert.deepEqual(store.getState().daemons.filter((d) => d.running).map((d) => d.name).sort(), ['libvirtd', 'virtproxyd'], 'both claim the sockets');
  store.getState().flushTargets();
  assert.equal(store.getState().target.daemonName, 'libvirtd', 'not renamed after whichever came last');
});
