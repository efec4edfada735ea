/**
 * A console that quits while its first discovery is still under way: the daemons
 * that discovery finds afterwards are not attached (a connection opened then, with
 * its reconnecting, kept the process up after the console had closed: the debug
 * capture's tmux test saw `q` take effect and the process never exit).
 */
import assert from 'node:assert/strict';
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
