/**
 * The timed debug capture's CLI twin against Debian's libvirtd 9.0 and our
 * virtqemud together, with the real virt-admin as the referee: during the capture
 * both report the preset's filters and write debug lines into their files;
 * afterwards both report exactly their original filters and outputs. Killed with
 * SIGKILL mid-capture, the console leaves its journal, and `--restore` puts the
 * originals back. A second capture of a daemon in an unfinished one is refused;
 * one daemon refusing the capture puts the other back at once.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { normaliseFilters, PRESETS } from '../../src/tasks/index.js';
import { ensureTestUser } from '../helpers/tools.js';
import { until } from '../helpers/until.js';
import { type CaptureHost, logSettings, startCaptureHost } from './capture-helpers.js';

const QEMU = normaliseFilters(PRESETS.find((p) => p.name === 'qemu')!.filters);

describe('debug-capture against libvirtd 9.0 and our virtqemud', { timeout: 240_000 }, () => {
  let h: CaptureHost;
  let originals: Record<string, { filters: string; outputs: string }>;
  before(async () => {
    h = await startCaptureHost();
    originals = { libvirtd: await logSettings(h, h.libvirtd), virtqemud: await logSettings(h, h.virtqemud) };
  });
  after(() => h?.stop());

  const bothOriginal = async () => {
    assert.deepEqual(await logSettings(h, h.libvirtd), originals.libvirtd, 'libvirtd back as it was');
    assert.deepEqual(await logSettings(h, h.virtqemud), originals.virtqemud, 'virtqemud back as it was');
  };
  const captureDir = (name: string) => join(h.scratch, name);

  test('5 s with the qemu preset: the filters during, the originals after, debug lines in the files', async () => {
    assert.equal(QEMU, '1:*libvirt* 1:*qemu* 1:*conf* 1:*security* 3:*event* 3:*json* 3:*file* 3:*object* 1:*util*');
    const dir = captureDir('five-seconds');
    const run = h.spawnTui(['debug-capture', '--daemons', 'all', '--preset', 'qemu', '--for', '5s', '--dir', dir]);
    await until(() => run.out().includes('Ends at') || run.child.exitCode !== null, { timeoutMs: 20_000, message: 'the capture to start' });
    assert.match(run.out(), /Capturing debug logs of libvirtd \(session\), virtqemud \(session\) for 0:05/);
    for (const d of [h.libvirtd, h.virtqemud]) {
      const s = await logSettings(h, d);
      assert.equal(s.filters, QEMU, 'virt-admin reports the preset');
      assert.match(s.outputs, new RegExp(`1:file:${dir}/(libvirtd|virtqemud)-session\\.log$`));
    }
    // Something for the daemons to log while debug is on.
    assert.equal((await h.libvirtd.virsh(['hostname'])).code, 0);
    assert.equal((await h.virtqemud.virsh(['hostname'])).code, 0);
    await until(() => run.child.exitCode !== null, { timeoutMs: 20_000, message: 'the capture to end by itself' });
    assert.equal(run.child.exitCode, 0, run.out());
    assert.match(run.out(), /Capture ended \(time is up\)/);
    await bothOriginal();
    for (const name of ['libvirtd', 'virtqemud']) {
      const text = readFileSync(join(dir, `${name}-session.log`), 'utf8');
      assert.match(text, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000: \d+: debug : /m, `${name} wrote debug lines`);
    }
    assert.match(readFileSync(join(dir, 'virtqemud-session.log'), 'utf8'), /debug : libvirt\.host : virConnectGetHostname: client=\d+/);
    assert.deepEqual(readdirSync(h.journalDir), [], 'the journal is gone');
  });

  test('SIGKILL mid-capture leaves the journal; --restore puts the originals back', async () => {
    const run = h.spawnTui(['debug-capture', '--daemons', 'libvirtd,virtqemud', '--preset', 'general', '--for', '10m', '--dir', captureDir('killed')]);
    await until(() => run.out().includes('Ends at') || run.child.exitCode !== null, { timeoutMs: 20_000, message: 'the capture to start' });
    const general = normaliseFilters(PRESETS[0]!.filters);
    assert.equal((await logSettings(h, h.libvirtd)).filters, general);
    run.child.kill('SIGKILL');
    await until(() => run.child.exitCode !== null || run.child.signalCode !== null, { message: 'the console gone' });
    assert.equal(readdirSync(h.journalDir).length, 1, 'the journal outlives the console');
    assert.equal((await logSettings(h, h.virtqemud)).filters, general, 'still in debug: nobody restored');
    const restore = await h.tui(['debug-capture', '--restore']);
    assert.equal(restore.code, 0, restore.stdout + restore.stderr);
    assert.match(restore.stdout, /left by console pid \d+:\n {2}libvirtd \(session\): restored filters '' and outputs '.+'\n {2}virtqemud \(session\): restored/);
    await bothOriginal();
    assert.deepEqual(readdirSync(h.journalDir), []);
    const again = await h.tui(['debug-capture', '--restore']);
    assert.equal(again.stdout, 'no capture was left to restore\n');
  });

  test('SIGTERM ends a capture early and restores; a second capture of the same daemon is refused meanwhile', async () => {
    const run = h.spawnTui(['debug-capture', '--daemons', 'virtqemud', '--filters', '1:rpc 3:*', '--for', '10m', '--dir', captureDir('term')]);
    await until(() => run.out().includes('Ends at') || run.child.exitCode !== null, { timeoutMs: 20_000, message: 'the capture to start' });
    assert.match(run.out(), /filters 1:\*rpc\* 3:\*\*\*/);
    const second = await h.tui(['debug-capture', '--daemons', 'all', '--preset', 'qemu', '--for', '10s', '--dir', captureDir('second')]);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /virtqemud \(session\) is in the unfinished capture \S+ \(journal .*\.json, console pid \d+\)/);
    assert.equal(existsSync(captureDir('second')), false, 'refused before anything');
    assert.deepEqual(await logSettings(h, h.libvirtd), originals.libvirtd, 'libvirtd untouched by the refused capture');
    run.child.kill('SIGTERM');
    await until(() => run.child.exitCode !== null, { timeoutMs: 20_000, message: 'the capture to end on SIGTERM' });
    assert.equal(run.child.exitCode, 0, run.out());
    assert.match(run.out(), /Capture ended \(stopped\)/);
    await bothOriginal();
  });

  test('a daemon that refuses its capture file: the other is put back at once, nothing left behind', async () => {
    const dir = captureDir('refused');
    const user = ensureTestUser();
    // A directory where virtqemud's file would go: it cannot open it, libvirtd was changed first.
    for (const p of [dir, join(dir, 'virtqemud-session.log')]) {
      mkdirSync(p, { recursive: true });
      chownSync(p, user.uid, user.gid);
    }
    const r = await h.tui(['debug-capture', '--daemons', 'all', '--preset', 'qemu', '--for', '10s', '--dir', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /virtqemud \(session\) refused the capture: .*virtqemud-session\.log.*; every daemon has its settings back/);
    await bothOriginal();
    assert.deepEqual(readdirSync(h.journalDir), []);
  });

  test('bad input is refused before anything is sent', async () => {
    for (const [args, message] of [
      [['--daemons', 'all', '--filters', '1:qemu 9:rpc'], /Invalid priority '9' for filter '9:rpc'/],
      [['--daemons', 'all', '--preset', 'disk'], /no preset 'disk': one of general, qemu, storage, network, rpc/],
      [['--daemons', 'all', '--for', '3 weeks'], /'3 weeks' is not a duration/],
      [['--daemons', 'virtnetworkd'], /virtnetworkd is not running on this host \(running: libvirtd\/session, virtqemud\/session\)/],
      [['--daemons', 'all', '--dir', 'relative/dir'], /must be an absolute path/],
    ] as const) {
      const r = await h.tui(['debug-capture', ...args]);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, message);
    }
    await bothOriginal();
  });
});
