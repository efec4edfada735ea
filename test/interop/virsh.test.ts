/**
 * The real virsh 9.0 on our main socket: `uri`, `hostname` and `version` give
 * what they give against the real libvirtd 9.0 on the same machine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { startVirtd } from '../helpers/virtd.js';

describe('real virsh against virtd libvirtd and libvirtd 9.0', () => {
  let real: DaemonUnderTest;
  let ours: DaemonUnderTest;
  before(async () => {
    [real, ours] = await Promise.all([startRealLibvirtd(), startVirtd('libvirtd')]);
  });
  after(async () => {
    await Promise.all([real?.stop(), ours?.stop()]);
  });

  const run = async (d: DaemonUnderTest, cmd: string) => {
    const r = await d.virsh([cmd]);
    return { code: r.code, stdout: r.stdout.replaceAll(d.mainSocket, '<SOCKET>'), stderr: r.stderr };
  };

  for (const cmd of ['uri', 'hostname', 'version']) {
    test(`virsh ${cmd}`, async () => {
      const [theirs, mine] = await Promise.all([run(real, cmd), run(ours, cmd)]);
      assert.deepEqual(mine, theirs);
      assert.equal(mine.code, 0, `virsh ${cmd} failed: ${mine.stderr}`);
    });
  }

  test('virsh version reports the installed QEMU', async () => {
    const r = await ours.virsh(['version']);
    assert.match(r.stdout, /^Running hypervisor: QEMU \d+\.\d+\.\d+$/m);
    assert.match(r.stdout, /^Using API: QEMU 9\.0\.0$/m);
  });
});
