/**
 * Issue 14, done means 1: over SSH, `virt-admin-tui -c 'libvirtd+ssh://USER@127.0.0.1:PORT/session'
 * VERB` prints exactly what virt-admin prints when run on that host, verb by verb, against
 * Debian's libvirtd 9.0 and against ours. The host is a real sshd (its own key, config and
 * authorized_keys in a temp dir); the daemons run there in session mode as the login user,
 * with real virsh clients; the ssh client reads only the test's ssh_config.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { holdVirsh, type HeldVirsh } from '../helpers/held-virsh.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { makeSshClient, type SshClientFiles, type SshHostUnderTest, startSshHost } from '../helpers/sshd.js';
import { runTool, TUI_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

/** In order: setters change what the next command reads, the same way for both tools. */
const COMMANDS: string[][] = [
  ['client-list', 'libvirtd'],
  ['server-list'],
  ['-q', 'srv-clients-list', 'libvirtd'],
  ['srv-threadpool-info', 'admin'],
  ['server-clients-info', 'libvirtd'],
  ['srv-threadpool-info', 'nosuch'],
  ['srv-threadpool-set', 'libvirtd', '--max-workers', '25', '--min-workers', '6'],
  ['srv-threadpool-info', 'libvirtd'],
  ['srv-clients-set', 'libvirtd', '--max-clients', '200', '--max-unauth-clients', '30'],
  ['srv-clients-info', 'libvirtd'],
  ['daemon-log-filters', '--filters', '1:qemu 3:remote'],
  ['daemon-log-filters'],
  ['daemon-log-outputs'],
  ['client-info', 'libvirtd', '4242'],
  ['version'],
  ['frobnicate'],
];

for (const [label, start] of [
  ['libvirtd 9.0', (h: SshHostUnderTest) => startRealLibvirtd({ user: h.user, env: h.daemonEnv })],
  ['virtd libvirtd', (h: SshHostUnderTest) => startVirtd('libvirtd', { user: h.user, env: h.daemonEnv })],
] as const) {
  describe(`over ssh, virt-admin-tui prints what virt-admin prints on the host, against ${label}`, () => {
    let client: SshClientFiles;
    let host: SshHostUnderTest;
    let d: DaemonUnderTest;
    const virshes: HeldVirsh[] = [];
    const ours = (args: string[]) => runTool(process.execPath, [TUI_BIN, '-c', host.uri('libvirtd'), ...args], { env: { VIRT_ADMIN_TUI_SSH_CONFIG: client.configFile } });

    before(async () => {
      client = makeSshClient();
      host = await startSshHost(client);
      d = await start(host);
      for (let i = 0; i < 2; i++) virshes.push(holdVirsh(d.mainUri, d.user, d.env));
      await until(async () => ((await d.virtAdmin(['client-list', 'libvirtd'])).stdout.match(/ unix /g) ?? []).length === 2, { timeoutMs: 15000, message: 'two virsh clients' });
    });
    after(async () => {
      for (const v of virshes) v.stop();
      await d?.stop();
      await host?.stop();
      client?.cleanup();
    });

    test('client-list and the other verbs, byte for byte', async () => {
      for (const cmd of COMMANDS) {
        const theirs = await d.virtAdmin(cmd);
        const mine = await ours(cmd);
        // libvirt's workers count as free only once they reach their wait again (a race in libvirtd 9.0).
        const settle = (out: string) => (label === 'libvirtd 9.0' && cmd.some((w) => w.endsWith('threadpool-info')) ? out.replace(/^freeWorkers +: \d+$/m, 'freeWorkers    : <n>') : out);
        const pick = (r: typeof mine) => ({ code: r.code, stdout: settle(r.stdout), stderr: r.stderr });
        assert.deepEqual(pick(mine), pick(theirs), `virt-admin ${cmd.join(' ')}`);
      }
    });

    test('client-info and client-disconnect of a virsh on the host', async () => {
      const ids = [...(await d.virtAdmin(['client-list', 'libvirtd'])).stdout.matchAll(/^ (\d+) +unix/gm)].map((m) => m[1]!);
      assert.equal(ids.length, 2);
      const [theirInfo, ourInfo] = [await d.virtAdmin(['client-info', 'libvirtd', ids[0]!]), await ours(['client-info', 'libvirtd', ids[0]!])];
      assert.deepEqual(ourInfo, theirInfo);
      assert.match(ourInfo.stdout, new RegExp(`unix_user_name +: ${host.user.name}`));
      const theirs = await d.virtAdmin(['client-disconnect', 'libvirtd', ids[0]!]);
      const mine = await ours(['client-disconnect', 'libvirtd', ids[1]!]);
      assert.deepEqual({ ...mine, stdout: mine.stdout.replace(ids[1]!, '<id>') }, { ...theirs, stdout: theirs.stdout.replace(ids[0]!, '<id>') });
      const left = await d.virtAdmin(['client-list', 'libvirtd']);
      assert.deepEqual(await ours(['client-list', 'libvirtd']), left);
      assert.doesNotMatch(left.stdout, / unix /, 'both virsh clients are gone');
    });
  });
}
