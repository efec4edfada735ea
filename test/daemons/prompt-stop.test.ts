/**
 * SIGTERM stops a daemon promptly with exit 0 even with clients connected
 * (issue 9, item 3), as Debian's libvirtd does: every `systemctl stop` would
 * otherwise wait for the forced shutdown and be marked failed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Admin, Program } from '../../src/rpc/index.js';
import { startInMode } from '../helpers/daemon-in-mode.js';
import { holdVirsh } from '../helpers/held-virsh.js';
import { RawClient } from '../helpers/raw-client.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { until } from '../helpers/until.js';
import { join } from 'node:path';

const KINDS: [name: string, prefix: string][] = [
  ['libvirtd', 'libvirt'], ['virtqemud', 'virtqemud'], ['virtxend', 'virtxend'], ['virtlxcd', 'virtlxcd'],
  ['virtbhyved', 'virtbhyved'], ['virtvboxd', 'virtvboxd'], ['virtinterfaced', 'virtinterfaced'],
  ['virtnetworkd', 'virtnetworkd'], ['virtnodedevd', 'virtnodedevd'], ['virtnwfilterd', 'virtnwfilterd'],
  ['virtsecretd', 'virtsecretd'], ['virtstoraged', 'virtstoraged'], ['virtproxyd', 'libvirt'],
  ['virtlogd', 'virtlogd'], ['virtlockd', 'virtlockd'],
];

describe('SIGTERM with clients connected', () => {
  for (const [name, prefix] of KINDS) {
    test(`${name} exits 0 within 2 s`, async (t) => {
      const d = await startInMode(t, name, prefix, 'system');
      // One client of each socket, each past a first call.
      const clients = await Promise.all(
        [`${prefix}-sock`, `${prefix}-admin-sock`].map(async (sock) => {
          const c = await RawClient.connect(join(d.sockets, sock));
          c.send(Program.Admin, Admin.connectOpen.proc, Admin.connectOpen.args, { flags: 0 });
          assert.ok(await c.next(), `${sock} answered`);
          return c;
        }),
      );
      const started = Date.now();
      d.process.child.kill('SIGTERM');
      assert.equal(await d.process.waitExit(2000), 0, d.process.output());
      const took = Date.now() - started;
      for (const c of clients) assert.equal(await c.waitClosed(1000), true);
      assert.ok(took < 2000, `took ${took} ms`);
    });
  }

  test("the referee: Debian's libvirtd with a virsh connected exits 0 at once", async (t) => {
    const real = await startRealLibvirtd();
    t.after(() => real.stop());
    const virsh = holdVirsh(real.mainUri, real.user, real.env);
    t.after(() => virsh.stop());
    await until(async () => (await real.virtAdmin(['client-list', 'libvirtd'])).stdout.includes('unix'), { timeoutMs: 10000, message: 'virsh connected' });
    const started = Date.now();
    await real.halt();
    assert.ok(Date.now() - started < 2000, `libvirtd took ${Date.now() - started} ms`);
  });
});
