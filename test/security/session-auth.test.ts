/**
 * Session-mode daemons enforce what their config and their kind say, beside
 * Debian's libvirt 9.0 (issue 17, items 5 and 7):
 * - auth_unix_rw = "polkit" in a session libvirtd is enforced, not replaced by
 *   "none": the socket is 0777 as libvirt makes it, and a client is not served
 *   without polkit's say (no polkit here: both refuse the unprivileged owner);
 * - session virtlogd and virtlockd admit only their own user, root included in
 *   the refusal, as libvirt's do; system ones admit only root.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Admin, Program } from '../../src/rpc/index.js';
import { launchDaemon } from '../helpers/daemon-under-test.js';
import { RawClient } from '../helpers/raw-client.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { spawnVirtd, waitForSocket } from '../helpers/spawn-virtd.js';
import { ensureTestUser, REPO_ROOT, runTool, VIRTD_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

describe('auth_unix_rw = "polkit" in session mode, beside libvirtd 9.0', () => {
  test('both make the socket 0777 and refuse the owner\'s virsh without polkit', async () => {
    const config = 'auth_unix_rw = "polkit"\n';
    const [ours, real] = await Promise.all([
      launchDaemon({ cmd: VIRTD_BIN, args: ['libvirtd', '--mode', 'session'], user: ensureTestUser(), config: { name: 'libvirtd.conf', text: config }, mainName: 'libvirt-sock', adminName: 'libvirt-admin-sock' }),
      startRealLibvirtd({ config }),
    ]);
    try {
      for (const [who, d] of [['ours', ours], ['libvirtd', real]] as const) {
        assert.equal(statSync(d.mainSocket).mode & 0o777, 0o777, who);
        const r = await d.virsh(['hostname']);
        assert.notEqual(r.code, 0, `${who} served an unauthorised client: ${r.stdout}`);
        assert.match(r.stderr, /failed to connect to the hypervisor/, who);
      }
    } finally {
      await Promise.all([ours.stop(), real.stop()]);
    }
  });
});

const HELPERS = ['virtlogd', 'virtlockd'] as const;

describe('who the helper daemons admit', () => {
  for (const name of HELPERS) {
    test(`session ${name}: ours and libvirt's refuse root ("Disallowing client … with uid 0") and serve their own user`, async () => {
      const user = ensureTestUser();
      const spec = (cmd: string, args: string[]) => ({ cmd, args, user, mainName: `${name}-sock`, adminName: `${name}-admin-sock` });
      const [ours, real] = await Promise.all([launchDaemon(spec(VIRTD_BIN, [name, '--mode', 'session'])), launchDaemon(spec(`/usr/sbin/${name}`, []))]);
      try {
        for (const [who, d] of [['ours', ours], [`libvirt's ${name}`, real]] as const) {
          const root = await RawClient.connect(d.mainSocket);
          root.write(Buffer.alloc(4)); // any byte: the refusal comes at accept, before a frame is read
          assert.equal(await root.waitClosed(3000), true, `${who} kept a root client`);
          await until(() => /Disallowing client \d+ with uid 0/.test(d.logs()), { timeoutMs: 3000, message: `${who} to log the refusal:\n${d.logs()}` });
          const own = await d.virtAdmin(['srv-list']);
          assert.equal(own.code, 0, `${who}: ${own.stderr}`);
        }
      } finally {
        await Promise.all([ours.stop(), real.stop()]);
      }
    });

    test(`system ${name} (ours) admits only root: the unprivileged user is refused`, async (t) => {
      const dir = mkdtempSync(join(tmpdir(), `virtd-${name}-system-`));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      chmodSync(dir, 0o755);
      const sockets = join(dir, 'sockets');
      writeFileSync(join(dir, `${name}.conf`), `unix_sock_dir = "${sockets}"\n`);
      const p = spawnVirtd([name, '--mode', 'system', '-f', join(dir, `${name}.conf`), '-p', join(dir, `${name}.pid`)], { PATH: process.env.PATH, HOME: dir });
      t.after(() => p.stop());
      await waitForSocket(p, join(sockets, `${name}-admin-sock`));
      chmodSync(sockets, 0o755);
      chmodSync(join(sockets, `${name}-sock`), 0o777); // let the other user reach the check itself
      const probe = join(REPO_ROOT, 'dist', 'test', 'helpers', 'probe-socket.js');
      const r = await runTool(process.execPath, [probe, join(sockets, `${name}-sock`)], { user: ensureTestUser().name });
      assert.equal(r.stdout.trim(), 'closed', r.stderr);
      await until(() => new RegExp(`Disallowing client \\d+ with uid ${ensureTestUser().uid}`).test(p.output()), { timeoutMs: 3000, message: p.output() });
      // Root is served: a call of a program the daemon lacks gets its error reply.
      const root = await RawClient.connect(join(sockets, `${name}-sock`));
      root.send(Program.Admin, Admin.connectOpen.proc, Admin.connectOpen.args, { flags: 0 });
      assert.ok(await root.next(), 'root got a reply');
      root.close();
    });
  }
});
