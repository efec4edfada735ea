/**
 * The operator's tasks (issue 13) in the host console (issue 12): with two of our
 * daemons attached as targets of the host layer, the console first shows
 * virtqemud; once libvirtd is chosen, drift, the live log and the certificate
 * panel are libvirtd's (its change made with the real virt-admin), and a debug
 * capture offers it first and covers it alone.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AdminClient } from '../../src/admin-client/index.js';
import { type ConsoleStore, createConsoleStore } from '../../src/ui/store/console-store.js';
import { driftOf } from '../../src/ui/store/drift-slice.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

const CONNECT = { reconnect: true, backoffMs: { initial: 50, max: 200 } };

describe("the operator's tasks act on the daemon chosen in the host console", { timeout: 120_000 }, () => {
  let qemu: DaemonUnderTest;
  let libvirtd: DaemonUnderTest;
  let store: ConsoleStore;
  let journalDir: string;
  before(async () => {
    [qemu, libvirtd] = await Promise.all([startVirtd('virtqemud'), startVirtd('libvirtd')]);
    journalDir = mkdtempSync(join(tmpdir(), 'host-tasks-journal-'));
    store = createConsoleStore(await AdminClient.connect(qemu.adminUri, CONNECT), { readonly: false, journalDir });
    const key = store.getState().addTarget(await AdminClient.connect(libvirtd.adminUri, CONNECT));
    await until(() => store.getState().targets[key]?.connection === 'connected', { message: 'libvirtd attached beside virtqemud' });
    assert.equal(store.getState().target.key, qemu.adminSocket, 'virtqemud shown first');
    store.getState().selectTarget(key);
    assert.equal(store.getState().target.key, libvirtd.adminSocket);
  });
  after(async () => {
    await store?.getState().stopCapture('quit');
    await store?.getState().stopLiveLog();
    await store?.getState().closeHost();
    await Promise.all([qemu?.stop(), libvirtd?.stop()]);
    rmSync(journalDir, { recursive: true, force: true });
  });

  test("drift: a virt-admin change of libvirtd is marked on libvirtd's servers, not on virtqemud's", async () => {
    const set = await libvirtd.virtAdmin(['server-threadpool-set', 'libvirtd', '--max-workers', '41']);
    assert.equal(set.code, 0, set.stderr);
    await until(
      async () => {
        await store.getState().refresh();
        return driftOf(store.getState().drift[libvirtd.adminSocket], 'server libvirtd', 'max_workers')?.lostAtRestart === true;
      },
      { message: 'max_workers 41 marked as lost at restart' },
    );
    assert.equal(driftOf(store.getState().drift[qemu.adminSocket], 'server libvirtd', 'max_workers'), undefined, "not among virtqemud's marks");
  });

  test('the live log and the certificate panel follow the daemon shown', async () => {
    store.getState().setView('log');
    await until(() => store.getState().liveLog?.source !== undefined, { message: 'the live log started' });
    assert.equal(store.getState().liveLog!.key, libvirtd.adminSocket);
    assert.equal(store.getState().liveLog!.source!.kind, 'stream', 'ours stream their records');
    store.getState().setView('tls');
    await until(() => store.getState().tls[libvirtd.adminSocket] !== undefined, { message: "libvirtd's certificate panel read" });
    assert.equal(store.getState().tls[qemu.adminSocket], undefined, "virtqemud's was not read");
  });

  test('a debug capture offers the daemon shown first, and covers it alone', async () => {
    await store.getState().promptCapture();
    const prompt = store.getState().overlay;
    assert.ok(prompt?.kind === 'input');
    assert.equal(prompt.value, 'libvirtd/session', 'the daemon shown, in its mode');
    store.getState().closeOverlay();
    await store.getState().startCapture({ daemons: libvirtd.adminUri, filters: 'rpc', duration: '1m', dir: join(libvirtd.dir, 'capture') });
    const confirm = store.getState().overlay;
    assert.ok(confirm?.kind === 'confirm', 'asks first');
    await confirm.onYes();
    assert.deepEqual(store.getState().capture?.files.map((f) => f.key), [libvirtd.adminSocket]);
    assert.match((await libvirtd.virtAdmin(['daemon-log-filters'])).stdout, /1:\*?rpc/, 'the preset in force on libvirtd (virt-admin)');
    assert.doesNotMatch((await qemu.virtAdmin(['daemon-log-filters'])).stdout, /1:\*?rpc/, 'virtqemud untouched');
    const lines = await store.getState().stopCapture('operator');
    assert.match(lines!.join('\n'), /every daemon has its settings back/);
    assert.doesNotMatch((await libvirtd.virtAdmin(['daemon-log-filters'])).stdout, /1:\*?rpc/, 'libvirtd as it was');
  });
});
