/**
 * The extension program: our daemons list their services and push client
 * events; libvirt's own daemon has no such program, and the client says so
 * (undefined, false) instead of failing, so the console falls back to polling.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { REPO_ROOT } from '../helpers/tools.js';
import { startVirtd } from '../helpers/virtd.js';

const PROBE = join(REPO_ROOT, 'dist', 'test', 'admin-client', 'extension-probe.js');
const STATE_PROBE = join(REPO_ROOT, 'dist', 'test', 'helpers', 'daemon-state-probe.js');

test('our libvirtd lists its services and pushes connect/disconnect events', async (t) => {
  const d = await startVirtd('libvirtd', { asTestUser: true });
  t.after(() => d.stop());
  const r = await d.run(process.execPath, [PROBE, d.adminUri, d.mainSocket]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.services, [
    { server: 'libvirtd', transport: 'unix', address: d.mainSocket, readonly: false, auth: 'none', activation: 'self' },
    { server: 'admin', transport: 'unix', address: d.adminSocket, readonly: false, auth: 'none', activation: 'self' },
  ]);
  assert.equal(out.subscribed, true);
  assert.deepEqual(
    out.events.map((e: { event: string; server: string }) => `${e.event} ${e.server}`),
    ['connect libvirtd', 'disconnect libvirtd'],
  );
  assert.equal(out.events[0].id, out.events[1].id);
  // The daemon's pid, for a console that offers a re-exec; only virtlogd and virtlockd add what they hold.
  const state = await d.run(process.execPath, [STATE_PROBE, d.adminUri]);
  assert.deepEqual(JSON.parse(state.stdout), { daemon: 'libvirtd', pid: d.pid });
});

test("libvirt's own daemon has no extension: the client reports it, it does not fail", async (t) => {
  const d = await startRealLibvirtd();
  t.after(() => d.stop());
  const r = await d.run(process.execPath, [PROBE, d.adminUri, d.mainSocket]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.services, null);
  assert.equal(out.subscribed, false);
  assert.deepEqual(out.events, []);
  const state = await d.run(process.execPath, [STATE_PROBE, d.adminUri]);
  assert.equal(state.code, 0, state.stderr);
  assert.equal(JSON.parse(state.stdout), null);
});
