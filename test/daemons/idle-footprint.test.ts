/**
 * What an idle daemon has loaded (issue 16: idle RSS under 45 MiB; measured by
 * `npm run bench -- daemons`, guarded here by its causes, which do not vary from run to run).
 * Each daemon, started from the bundled executable and left with no clients, must not have
 * loaded worker_threads or assert (the logging packages' top-level requires, made lazy at
 * bundling: about 0.5 MiB), nor called a Date method that makes V8 load ICU's time zone
 * data (about 1 MiB; pino takes a timestamp as the logger is made).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/tools.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

const PROBE = join(REPO_ROOT, 'dist', 'test', 'helpers', 'idle-footprint-probe.js');
/** Builtins an idle daemon has no use for, with what loads them. */
const NOT_AT_IDLE = ['worker_threads', 'internal/worker', 'assert'];

for (const kind of ['libvirtd', 'virtqemud', 'virtlogd', 'virtlockd']) {
  test(`an idle ${kind} has not loaded ${NOT_AT_IDLE.join(', ')} nor asked for the host's time zone`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'virtd-idle-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'probe.json');
    const d = await startVirtd(kind, { env: { NODE_OPTIONS: `--import=${PROBE}`, IDLE_PROBE_FILE: file } });
    t.after(() => d.stop());

    process.kill(d.pid, 'SIGUSR2');
    await until(() => existsSync(file), { message: `${kind} writing ${file}` });
    const { builtins, localTimeCalls } = JSON.parse(readFileSync(file, 'utf8')) as { builtins: string[]; localTimeCalls: Record<string, string> };

    assert.ok(builtins.includes('net'), `the probe saw the daemon's own modules: ${builtins.join(' ')}`);
    assert.deepEqual(NOT_AT_IDLE.filter((name) => builtins.includes(name)), []);
    assert.deepEqual(localTimeCalls, {});
  });
}
