/**
 * virtd's command line, as libvirtd's (daemons.md §3): -d detaches, -V, --help, bad options
 * and values; and virtd's own --version and --help, which need no daemon name.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, runTool, TUI_BIN, VIRTD_BIN } from '../helpers/tools.js';
import { RawClient } from '../helpers/raw-client.js';
import { spawnVirtd, waitForListening } from '../helpers/spawn-virtd.js';
import { until } from '../helpers/until.js';

const virtd = (args: string[], env: Record<string, string> = {}) => runTool(process.execPath, [VIRTD_BIN, ...args], { env, timeoutMs: 10000 });

test('-d detaches: the parent exits 0 once the sockets are up; SIGTERM stops the child cleanly', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-detach-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { HOME: dir, XDG_RUNTIME_DIR: dir, XDG_CACHE_HOME: join(dir, 'cache') };
  const r = await virtd(['libvirtd', '--mode', 'session', '-d'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'libvirt', 'libvirt-admin-sock')), 'sockets ready when the parent returns');
  const pid = Number(readFileSync(join(dir, 'libvirt', 'libvirtd.pid'), 'utf8'));
  assert.doesNotThrow(() => process.kill(pid, 0), 'the detached daemon outlives its parent');
  // Detached with -d, logs go to the session log file by default (no journald here).
  assert.ok(existsSync(join(dir, 'cache', 'libvirt', 'libvirtd.log')));
  process.kill(pid, 'SIGTERM');
  await until(() => !existsSync(join(dir, 'libvirt', 'libvirt-sock')), { message: 'sockets removed' });
});

test('-d reports the child\'s start-up failure and exits 1', async () => {
  const r = await virtd(['libvirtd', '--mode', 'session', '-d', '-f', '/nonexistent/virtd.conf'], { XDG_RUNTIME_DIR: tmpdir() });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Can't load config file: Failed to open file '\/nonexistent\/virtd.conf': No such file or directory/);
});

test('-V, --help, an unknown option, a bad timeout, extra arguments', async () => {
  // It says what it is (virtd, this package's version) and the protocol level it speaks; never libvirt's own string.
  const version = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
  assert.equal((await virtd(['libvirtd', '-V'])).stdout, `virtd ${version} libvirtd (libvirt protocol 9.0.0)\n`);
  const help = await virtd(['libvirtd', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stderr, /-t \| --timeout <secs>  Exit after timeout period/);
  assert.match(help.stderr, /libvirt management daemon:/);
  const bogus = await virtd(['libvirtd', '--bogus']);
  assert.equal(bogus.code, 1);
  assert.match(bogus.stderr, /^libvirtd: unrecognized option '--bogus'/);
  const timeout = await virtd(['libvirtd', '-t', '2147484']);
  assert.deepEqual([timeout.code, timeout.stderr], [1, 'Invalid value for timeout\n']);
  const extra = await virtd(['libvirtd', 'extra']);
  assert.deepEqual([extra.code, extra.stderr], [1, 'libvirtd: unexpected, non-option, command line arguments\n']);
});

test('virtd --version and --help need no daemon name; virt-admin-tui --version says what it is', async () => {
  const version = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
  for (const flag of ['--version', '-V']) {
    const r = await virtd([flag]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, `virtd ${version} (libvirt protocol 9.0.0)\n`, '']);
  }
  for (const flag of ['--help', '-h']) {
    const r = await virtd([flag]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Usage: virtd <daemon> \[options\]/);
    assert.match(r.stdout, /virtd -V \| --version/);
    assert.match(r.stdout, /Daemons: libvirtd, virtqemud, .*virtlockd$/m);
  }
  const bare = await virtd([]);
  assert.equal(bare.code, 1, 'no daemon name is an error');
  assert.match(bare.stderr, /^Usage: virtd <daemon>/);
  const tui = await runTool(process.execPath, [TUI_BIN, '--version'], { timeoutMs: 10000 });
  assert.deepEqual([tui.code, tui.stdout], [0, `virt-admin-tui ${version} (libvirt protocol 9.0.0)\n`]);
});

test('SIGTERM with a client connected: the daemon closes it and exits 0 at once, not when the client leaves', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-sigterm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const daemon = spawnVirtd(['libvirtd', '--mode', 'session'], { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: dir });
  t.after(() => daemon.stop());
  const adminSocket = join(dir, 'libvirt', 'libvirt-admin-sock');
  await waitForListening(daemon, adminSocket);
  const idle = await RawClient.connect(adminSocket);
  t.after(() => idle.socket.destroy());
  daemon.child.kill('SIGTERM');
  assert.equal(await daemon.waitExit(5000), 0, daemon.output());
  await until(() => idle.closed, { message: "the daemon closing the client's connection" });
});
