/**
 * The live log's engine and its CLI twin: our virtqemud streams the records a
 * virsh call causes; Debian's libvirtd 9.0, which cannot, has its log file followed
 * (through Host); one that logs to no file says so. The file follower survives
 * rotation and truncation and skips ahead, saying so, when a file outruns it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LocalHost } from '../../src/admin-client/index.js';
import { FileFollower, parseLogLine } from '../../src/tasks/index.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { asUser, TUI_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';

function follow(d: DaemonUnderTest, args: string[]) {
  const [file, argv] = asUser(process.execPath, [TUI_BIN, '-c', d.adminUri, 'log-follow', ...args], d.user, d.env);
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  return { child, out: () => out, err: () => err };
}

test('log-follow of our virtqemud: the records a virsh call causes, streamed', async (t) => {
  const d = await startVirtd('virtqemud', { asTestUser: true });
  t.after(() => d.stop());
  const f = follow(d, ['--filters', '1:libvirt', '--priority', '4']);
  t.after(() => f.child.kill('SIGKILL'));
  await until(() => f.err().includes('Ctrl-C stops'), { message: 'following' });
  assert.match(f.err(), /following the daemon's records \(filters: 1:\*libvirt\*, priority 4\)/);
  assert.equal((await d.virsh(['hostname'])).code, 0);
  await until(() => /: debug : libvirt\.host : virConnectGetHostname: client=\d+/.test(f.out()), { message: 'the call in the stream' });
  f.child.kill('SIGINT');
  await until(() => f.child.exitCode !== null, { message: 'log-follow to stop on SIGINT' });
  assert.equal(f.child.exitCode, 0);
});

test("log-follow of libvirtd 9.0: its log file followed; without one, it says why", async (t) => {
  const d = await startRealLibvirtd({ config: 'log_filters = "1:libvirt 3:*"\n' });
  t.after(() => d.stop());
  const none = follow(d, []);
  await until(() => none.child.exitCode !== null, { message: 'refused' });
  assert.equal(none.child.exitCode, 1);
  assert.match(none.err(), /libvirt's daemons cannot stream their log, and this one logs to no file \(outputs: 3:stderr\)/);

  const logFile = join(d.dir, 'cache', 'libvirtd-live.log');
  assert.equal((await d.virtAdmin(['daemon-log-outputs', `1:file:${logFile}`])).code, 0);
  const f = follow(d, []);
  t.after(() => f.child.kill('SIGKILL'));
  await until(() => f.err().includes('Ctrl-C stops'), { message: 'following' });
  assert.match(f.err(), new RegExp(`following ${logFile}`));
  assert.equal((await d.virsh(['hostname'])).code, 0);
  // libvirt writes function:line where ours write the category.
  await until(() => /: debug : virConnectGetHostname:\d+ : conn=/.test(f.out()), { timeoutMs: 8000, message: 'libvirtd logging the call into its file, followed' });
  f.child.kill('SIGINT');
  await until(() => f.child.exitCode !== null, { message: 'stopped' });
});

test('the file follower: new lines, rotation, truncation, a file that outruns it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'follow-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'd.log');
  writeFileSync(path, 'old 1\nold 2\n');
  const lines: string[] = [];
  const notes: string[] = [];
  const f = new FileFollower(new LocalHost(), path, { lines: (l) => lines.push(...l), note: (n) => notes.push(n) }, { intervalMs: 20, maxBytes: 1000, fromEnd: 8 });
  await f.start();
  t.after(() => f.stop());
  assert.deepEqual(lines, ['old 2'], 'whole lines from near the end');
  appendFileSync(path, 'new 1\npart');
  await until(() => lines.includes('new 1'));
  appendFileSync(path, 'ial\n');
  await until(() => lines.includes('partial'), { message: 'a line written in two pieces, once whole' });
  renameSync(path, `${path}.1`);
  writeFileSync(path, 'after rotation\n');
  await until(() => lines.includes('after rotation'));
  assert.ok(notes.some((n) => /was rotated/.test(n)));
  writeFileSync(path, 'x\n');
  await until(() => lines.includes('x'));
  appendFileSync(path, `${'y'.repeat(3000)}\nlast\n`);
  await until(() => lines.includes('last'));
  assert.ok(notes.some((n) => /bytes of .* skipped: it grew faster than they can be shown/.test(n)), notes.join('\n'));
  assert.ok(!lines.some((l) => l.startsWith('yyy') && l.length < 3000 && l.length > 1000), 'no cut line shown as whole');
});

test('a libvirt text line read back', () => {
  assert.deepEqual(parseLogLine('2026-12-01 01:02:03.456+0000: 812: debug : libvirt.host : virConnectGetHostname: client=3'), {
    time: '2026-12-01T01:02:03.456Z',
    priority: 1,
    category: 'libvirt.host',
    text: 'virConnectGetHostname: client=3',
  });
  assert.deepEqual(parseLogLine('free text'), { text: 'free text' });
});
