/**
 * Drift against Debian's libvirtd 9.0 and our virtqemud (session mode, the test
 * user), with the real virt-admin making the runtime change: the change shows as
 * lost at restart with the config line that keeps it; once that line is in the
 * file and the daemon restarted, there is no drift. Log filters set at run time
 * likewise; an unparsable config file says the daemon would not start again.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type DaemonUnderTest, writeSessionConfig } from '../helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { ensureTestUser, TUI_BIN } from '../helpers/tools.js';
import { startVirtd } from '../helpers/virtd.js';
import type { DriftReport } from '../../src/tasks/index.js';

async function drift(d: DaemonUnderTest, json = true): Promise<{ report?: DriftReport; text: string; code: number | null; stderr: string }> {
  const r = await d.run(process.execPath, [TUI_BIN, '-c', d.adminUri, 'drift', ...(json ? ['--json'] : [])]);
  return { report: json && r.code === 0 ? (JSON.parse(r.stdout) as DriftReport) : undefined, text: r.stdout, code: r.code, stderr: r.stderr };
}

const lost = (r: DriftReport) => r.items.filter((i) => i.lostAtRestart);

for (const [label, start, name] of [
  ['libvirtd 9.0', () => startRealLibvirtd(), 'libvirtd'],
  ['our virtqemud', () => startVirtd('virtqemud', { asTestUser: true }), 'virtqemud'],
] as const) {
  describe(`drift of ${label}`, { timeout: 120_000 }, () => {
    test('a server-threadpool-set is lost at restart until its config line is written', async (t) => {
      const d = await start();
      t.after(() => d.stop());
      const configFile = join(d.dir, 'config', 'libvirt', `${name}.conf`);
      const before = await drift(d);
      assert.equal(before.code, 0, before.stderr);
      assert.deepEqual(lost(before.report!), [], 'a fresh daemon runs as configured');
      assert.equal(before.report!.configFile, configFile, "found through the daemon's own environment");
      assert.equal(before.report!.configFound, false);
      assert.equal(before.report!.facts.source, name === 'libvirtd' ? 'proc' : 'extension');

      const set = await d.virtAdmin(['server-threadpool-set', name, '--max-workers', '40']);
      assert.equal(set.code, 0, set.stderr);
      const after = await drift(d);
      assert.deepEqual(
        lost(after.report!).map((i) => ({ ...i })),
        [{ scope: `server ${name}`, setting: 'max_workers', runtime: '40', configured: '20', source: 'default', lostAtRestart: true, keep: { how: 'config', file: configFile, line: 'max_workers = 40' } }],
      );
      const text = await drift(d, false);
      assert.match(text.text, new RegExp(`Lost at restart \\(1 of \\d+\\):\\n  server ${name} max_workers: 40 now, 20 after a restart \\(default\\)\\n    keep it: add to ${configFile}: max_workers = 40\\n`));

      // The operator writes the line and restarts the daemon: nothing is lost any more.
      writeSessionConfig(d.dir, `${name}.conf`, 'max_workers = 40\n', ensureTestUser());
      await d.halt();
      await d.start();
      const restarted = await drift(d);
      assert.deepEqual(lost(restarted.report!), []);
      assert.equal(restarted.report!.items.find((i) => i.setting === 'max_workers' && i.scope === `server ${name}`)!.line, 1);
      assert.match((await drift(d, false)).text, /No drift: all \d+ settings are what a restart would give\.\n/);

      // A key already in the file: the line it replaces, by number.
      assert.equal((await d.virtAdmin(['server-threadpool-set', name, '--max-workers', '25'])).code, 0);
      assert.deepEqual(lost((await drift(d)).report!)[0]!.keep, { how: 'config', file: configFile, line: 'max_workers = 25', replaces: { line: 1, text: 'max_workers = 40' } });
    });

    test('log filters set at run time, and a config file that no longer parses', async (t) => {
      const d = await start();
      t.after(() => d.stop());
      assert.equal((await d.virtAdmin(['daemon-log-filters', '1:qemu 3:rpc'])).code, 0);
      const r = (await drift(d)).report!;
      const f = lost(r).find((i) => i.setting === 'log_filters')!;
      assert.equal(f.runtime, '1:*qemu* 3:*rpc*');
      assert.deepEqual(f.keep, { how: 'config', file: join(d.dir, 'config', 'libvirt', `${name}.conf`), line: 'log_filters = "1:qemu 3:rpc"' });
      assert.equal(lost(r).length, 1, 'only the filters');
      // The daemon runs with no config file here: this is the file's first line.
      writeSessionConfig(d.dir, `${name}.conf`, 'max_workers = "many"\n', ensureTestUser());
      const bad = await drift(d);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /^error: the config file would not load, so the daemon would not start again: .*\.conf:1: expected an unsigned integer for 'max_workers' parameter\n$/);
    });
  });
}
