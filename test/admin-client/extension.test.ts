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
});
