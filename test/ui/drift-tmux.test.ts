/**
 * Drift in the console, as an operator sees it, against Debian's libvirtd 9.0 and
 * our virtqemud (session mode, the test user): a server-threadpool-set made with
 * the real virt-admin is marked on the servers view as lost at restart, and `D`
 * prints the config line that keeps it; once that line is written and the daemon
 * restarted, the console (reconnected by itself) shows no drift.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startConsolePane } from '../helpers/console-pane.js';
import { writeSessionConfig } from '../helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { ensureTestUser } from '../helpers/tools.js';
import { startVirtd } from '../helpers/virtd.js';

for (const [label, start, name] of [
  ['libvirtd 9.0', () => startRealLibvirtd(), 'libvirtd'],
  ['our virtqemud', () => startVirtd('virtqemud', { asTestUser: true }), 'virtqemud'],
] as const) {
  describe(`drift in the console against ${label}`, { timeout: 120_000 }, () => {
    test('a runtime-only change is marked with its config line; written and restarted, no drift', async (t) => {
      const d = await start();
      t.after(() => d.stop());
      const pane = startConsolePane(d, { width: 160, height: 40 });
      t.after(() => pane.close());
      pane.send('2');
      await pane.waitFor(/workers min 5  max 20  priority 5/, 'the servers view');
      const set = await d.virtAdmin(['server-threadpool-set', name, '--max-workers', '40']);
      assert.equal(set.code, 0, set.stderr);
      const marked = await pane.waitFor(/workers min 5  max 40 \(config 20\)  priority 5/, 'the change marked with what the config gives');
      assert.match(marked, /1 running value\(s\) differ from the config file, marked \(config …\): lost at restart; D shows the lines that keep them/);
      const configFile = join(d.dir, 'config', 'libvirt', `${name}.conf`);
      pane.send('D');
      const shown = await pane.waitFor(/keep it:/, 'the drift page');
      assert.match(shown, new RegExp(`server ${name} max_workers: 40 now, 20 after a restart \\(default\\)`));
      assert.match(shown, new RegExp(`keep it: add to ${configFile}: max_workers = 40`));
      pane.send('Escape');

      writeSessionConfig(d.dir, `${name}.conf`, 'max_workers = 40\n', ensureTestUser());
      await d.halt();
      await d.start();
      await pane.waitFor((s) => /restarted at/.test(s) && /workers min 5  max 40  priority 5/.test(s) && !/\(config/.test(s), 'the restarted daemon, without drift', 20_000);
      pane.send('D');
      await pane.waitFor(/No drift: all \d+ settings are what a restart would give\./, 'no drift');
    });
  });
}
