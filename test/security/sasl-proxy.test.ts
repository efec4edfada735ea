/**
 * virtproxyd with SASL on its socket carries the authenticated client to its
 * target as libvirt's proxy does (issue 11): the real virsh logs in to our
 * virtproxyd with SCRAM, and the daemon behind it, Debian's libvirtd 9.0 or
 * our virtqemud, names that client by its SASL user name and its own process
 * (CONNECT_SET_IDENTITY), not by the proxy.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { holdVirsh } from '../helpers/held-virsh.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { authFile, makeSaslDb, readableByTestUser, saslConfDir } from '../helpers/sasl.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

const ALICE = { name: 'alice', password: 'alice-secret' };

let dir: string;
let env: Record<string, string>;
let aliceAuth: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'virtd-sasl-proxy-'));
  readableByTestUser(dir);
  const db = join(dir, 'passwd.db');
  env = saslConfDir(join(dir, 'sasl'), { mech_list: 'scram-sha-256', sasldb_path: db });
  makeSaslDb(db, [ALICE]);
  aliceAuth = authFile(join(dir, 'alice.auth'), ALICE);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The info of the one client of `server` on `target` once it shows a SASL user name. */
async function saslClientInfo(target: DaemonUnderTest, server: string): Promise<string> {
  let info = '';
  await until(
    async () => {
      const rows = (await target.virtAdmin(['client-list', server])).stdout.trim().split('\n').slice(2);
      for (const row of rows) {
        const id = /^\s*(\d+)\s/.exec(row)?.[1];
        info = id ? (await target.virtAdmin(['client-info', server, id])).stdout : '';
        if (/^sasl_user_name/m.test(info)) return true;
      }
      return false;
    },
    { timeoutMs: 20000, message: `a client of ${server} with a SASL user name` },
  );
  return info;
}

for (const [name, startTarget, server] of [
  ["Debian's libvirtd", () => startRealLibvirtd(), 'libvirtd'],
  ['our virtqemud', () => startVirtd('virtqemud', { asTestUser: true }), 'virtqemud'],
] as const) {
  test(`${name} behind our virtproxyd names the SASL user and virsh's own process`, async (t) => {
    const target = await startTarget();
    t.after(() => target.stop());
    const proxy = await startVirtd('virtproxyd', { asTestUser: true, config: 'auth_unix_rw = "sasl"\n', env });
    t.after(() => proxy.stop());
    symlinkSync(target.mainSocket, join(proxy.runtimeDir, 'virtqemud-sock'));
    const uri = `qemu:///session?socket=${proxy.mainSocket}`;
    const once = await proxy.run('virsh', ['-c', uri, 'hostname'], 30000, { LIBVIRT_AUTH_FILE: aliceAuth });
    assert.equal(once.code, 0, once.stderr + proxy.logs());
    const virsh = holdVirsh(uri, proxy.user, { ...proxy.env, LIBVIRT_AUTH_FILE: aliceAuth });
    t.after(() => virsh.stop());
    const info = await saslClientInfo(target, server);
    assert.match(info, /^sasl_user_name\s+: alice$/m, info);
    assert.match(info, new RegExp(`^unix_process_id\\s*: ${virsh.pid}$`, 'm'), `virsh is ${virsh.pid}\n${info}${virsh.output()}`);
    // And the proxy itself shows the same client, authenticated by SASL.
    assert.match(await saslClientInfo(proxy, 'virtproxyd'), /^sasl_user_name\s+: alice$/m);
  });
}
