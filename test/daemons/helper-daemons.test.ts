/**
 * virtlogd and virtlockd: their sockets in both modes (no read-only socket,
 * 0700), the real virt-admin listing their servers, and their servers' limits
 * as Debian's real virtlogd and virtlockd 9.0 report them, side by side.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type DaemonUnderTest, launchDaemon } from '../helpers/daemon-under-test.js';
import { startInMode } from '../helpers/daemon-in-mode.js';
import { RawClient } from '../helpers/raw-client.js';
import { spawnVirtd, waitForListening } from '../helpers/spawn-virtd.js';
import { ensureTestUser, runTool, VIRTD_BIN } from '../helpers/tools.js';

const perms = (path: string) => (statSync(path).mode & 0o777).toString(8);

for (const name of ['virtlogd', 'virtlockd']) {
  describe(`virtd ${name}`, () => {
    for (const mode of ['system', 'session'] as const) {
      test(`${mode} mode: its two sockets, 0700, and virt-admin server-list`, async (t) => {
        // The seed lists unix_sock_dir for these daemons too; libvirt 9.0 ignores it (docs/architecture.md).
        const { sockets, env } = await startInMode(t, name, name, mode);
        const expected = [`${name}-admin-sock`, `${name}-sock`, ...(mode === 'session' ? [`${name}.pid`] : [])].sort();
        assert.deepEqual(readdirSync(sockets).sort(), expected, 'no read-only socket');
        assert.deepEqual([perms(join(sockets, `${name}-sock`)), perms(join(sockets, `${name}-admin-sock`))], ['700', '700']);
        const list = await runTool('virt-admin', ['-c', `${name}:///${mode}?socket=${join(sockets, `${name}-admin-sock`)}`, 'server-list'], { env });
        assert.equal(list.code, 0, list.stderr);
        assert.deepEqual(
          list.stdout.split('\n').slice(2).map((l) => l.trim().split(/\s+/)[1]).filter(Boolean).sort(),
          ['admin', name],
        );
      });
    }

    test('SIGTERM with a client connected exits at once and cleanly, as the real one does', async (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'virtd-sigterm-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const p = spawnVirtd([name, '--mode', 'session'], { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: dir });
      t.after(() => p.stop());
      await waitForListening(p, join(dir, 'libvirt', `${name}-admin-sock`));
      const client = await RawClient.connect(join(dir, 'libvirt', `${name}-sock`));
      t.after(() => client.close());
      p.child.kill('SIGTERM');
      // Before, closing the listening sockets waited for every connection to end: a client
      // that stayed held shutdown until the 30 s "Make forcefull daemon shutdown".
      assert.equal(await p.waitExit(5000), 0, p.output());
      assert.equal(await client.waitClosed(1000), true, 'the client was disconnected');
    });

    test(`its servers report what the real ${name} 9.0 reports`, async (t) => {
      const user = ensureTestUser();
      const start = (cmd: string, args: string[]) => launchDaemon({ cmd, args, user, mainName: `${name}-sock`, adminName: `${name}-admin-sock` });
      const theirs: DaemonUnderTest = await start(`/usr/sbin/${name}`, []);
      t.after(() => theirs.stop());
      const ours: DaemonUnderTest = await start(process.execPath, [VIRTD_BIN, name, '--mode', 'session']);
      t.after(() => ours.stop());
      for (const args of [['srv-threadpool-info', name], ['srv-threadpool-info', 'admin'], ['srv-clients-info', name], ['srv-clients-info', 'admin']]) {
        const [a, b] = await Promise.all([theirs.virtAdmin(args), ours.virtAdmin(args)]);
        // The admin server's counts include the virt-admin asking: one client on each.
        assert.equal(b.stdout, a.stdout, `${args.join(' ')}\n--- ${name} 9.0:\n${a.stdout}${a.stderr}\n--- ours:\n${b.stdout}${b.stderr}`);
        assert.equal(b.code, a.code);
      }
    });
  });
}
