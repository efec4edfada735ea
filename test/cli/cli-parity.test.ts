/**
 * virt-admin-tui's plain output is virt-admin's: for the same daemon and
 * state, the real virt-admin 9.0 and ours print the same stdout and stderr
 * and exit the same, verb by verb, against libvirtd 9.0 and against ours.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { RawClient } from '../helpers/raw-client.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { TUI_BIN } from '../helpers/tools.js';
import { startVirtd } from '../helpers/virtd.js';

/** Command lines after `-c URI`; the live clients make ids 2 and 3 exist on the main server. */
type Case = string[] | { theirs: string[]; ours: string[] };

const COMMANDS: Case[] = [
  ['server-list'],
  ['-q', 'srv-list'],
  ['client-list', 'libvirtd'],
  ['-q', 'srv-clients-list', 'libvirtd'],
  ['client-info', 'libvirtd', '2'],
  ['client-info', 'libvirtd', '4242'],
  ['client-info', 'libvirtd', 'abc'],
  ['client-info', 'libvirtd'],
  ['server-threadpool-info', 'libvirtd'],
  ['srv-threadpool-info', 'admin'],
  ['server-clients-info', 'libvirtd'],
  ['srv-clients-info', 'admin'],
  ['srv-threadpool-info', 'nosuch'],
  ['srv-threadpool-set', 'libvirtd'],
  ['srv-threadpool-set', 'libvirtd', '--min-workers', '9', '--max-workers', '3'],
  ['srv-threadpool-set', 'libvirtd', '--min-workers', '40'],
  ['srv-threadpool-set', 'libvirtd', '--max-workers', '25', '--min-workers', '6'],
  ['srv-threadpool-info', 'libvirtd'],
  ['srv-clients-set', 'libvirtd', '--max-clients', '5'],
  ['srv-clients-set', 'libvirtd', '--max-clients', '200', '--max-unauth-clients', '30'],
  ['srv-clients-info', 'libvirtd'],
  ['daemon-log-filters'],
  ['daemon-log-filters', '--filters', '1:qemu 3:remote +2:util.json'],
  ['daemon-log-filters'],
  ['-q', 'daemon-log-filters'],
  ['daemon-log-filters', '--filters', '9:qemu'],
  ['daemon-log-filters', '--filters', ''],
  ['daemon-log-outputs'],
  ['daemon-log-outputs', '--outputs', '3:bogus'],
  ['daemon-timeout', '--timeout', '0'],
  ['daemon-timeout', '1800'],
  ['server-update-tls', 'libvirtd'],
  // Disconnecting changes the state: virt-admin takes client 3, ours client 2 (ids masked below).
  { theirs: ['client-disconnect', 'libvirtd', '3'], ours: ['client-disconnect', 'libvirtd', '2'] },
  ['client-disconnect', 'libvirtd', '3'],
  ['version'],
  ['uri'],
  ['frobnicate'],
  ['client-list'],
];

for (const [label, start] of [
  ['libvirtd 9.0', () => startRealLibvirtd()],
  ['virtd libvirtd', () => startVirtd('libvirtd')],
] as const) {
  describe(`virt-admin-tui prints what virt-admin prints, against ${label}`, () => {
    let d: DaemonUnderTest;
    const clients: RawClient[] = [];
    before(async () => {
      d = await start();
      for (let i = 0; i < 2; i++) {
        const c = await RawClient.connect(d.mainSocket);
        await c.remoteCall();
        clients.push(c);
      }
    });
    after(async () => {
      for (const c of clients) c.close();
      await d?.stop();
    });

    // In order: setters change the state the next command reads, the same way for both tools.
    test('verb by verb', async () => {
      for (const c of COMMANDS) {
        const [theirCmd, ourCmd] = Array.isArray(c) ? [c, c] : [c.theirs, c.ours];
        const theirs = await d.virtAdmin(theirCmd);
        const ours = await d.run(process.execPath, [TUI_BIN, '-c', d.adminUri, ...ourCmd]);
        // libvirt's workers count as free only once they reach their wait again, which races
        // with the next call (any server of libvirtd 9.0); ours are counted exactly.
        const settle = (out: string) => (label === 'libvirtd 9.0' && theirCmd[0]!.endsWith('threadpool-info') ? out.replace(/^freeWorkers +: \d+$/m, 'freeWorkers    : <n>') : out);
        const pick = (r: typeof ours, id: string | undefined) => ({
          code: r.code,
          stdout: settle(id ? r.stdout.replaceAll(`'${id}'`, "'<id>'") : r.stdout),
          stderr: r.stderr,
        });
        const id = (cmd: string[]) => (Array.isArray(c) ? undefined : cmd[2]);
        assert.deepEqual(pick(ours, id(ourCmd)), pick(theirs, id(theirCmd)), `virt-admin ${theirCmd.join(' ')}`);
      }
    });
  });
}
