/**
 * The timed debug capture from the console, as an operator runs it, against
 * Debian's libvirtd 9.0 and our virtqemud on one host (session mode, the test
 * user), with the real virt-admin as the referee: chosen with `C` (all daemons,
 * the qemu preset, 5 s), the countdown on screen, the preset's filters reported
 * by both during it, their originals after it, debug lines in both files. The
 * console killed with SIGKILL mid-capture leaves its journal: started again with
 * --restore it restores at once; without, it offers to. `q` mid-capture restores
 * before the console exits.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { normaliseFilters, PRESETS, type CaptureJournal } from '../../src/tasks/index.js';
import { startConsolePane } from '../helpers/console-pane.js';
import type { TmuxSession } from '../helpers/tmux.js';
import { type CaptureHost, logSettings, startCaptureHost } from '../tasks/capture-helpers.js';

const QEMU = normaliseFilters(PRESETS.find((p) => p.name === 'qemu')!.filters);
const GENERAL = normaliseFilters(PRESETS.find((p) => p.name === 'general')!.filters);

describe('debug capture from the console: libvirtd 9.0 and our virtqemud', { timeout: 300_000 }, () => {
  let h: CaptureHost;
  let originals: Record<string, { filters: string; outputs: string }>;
  const panes: TmuxSession[] = [];
  const open = (args: string[] = []) => {
    const pane = startConsolePane(h.libvirtd, { width: 200, height: 40, env: { XDG_STATE_HOME: h.stateDir }, args });
    panes.push(pane);
    return pane;
  };
  before(async () => {
    h = await startCaptureHost();
    originals = { libvirtd: await logSettings(h, h.libvirtd), virtqemud: await logSettings(h, h.virtqemud) };
  });
  after(async () => {
    for (const p of panes) p.close();
    await h?.stop();
  });
  const bothOriginal = async () => {
    assert.deepEqual(await logSettings(h, h.libvirtd), originals.libvirtd, 'libvirtd as it was (virt-admin)');
    assert.deepEqual(await logSettings(h, h.virtqemud), originals.virtqemud, 'virtqemud as it was (virt-admin)');
  };
  /** C, then the answers to its prompts, then y. */
  const capture = async (pane: TmuxSession, daemons: string, preset: string, duration: string, dir: string) => {
    await pane.waitFor(/● connected/, 'the console attached');
    pane.send('C');
    await pane.waitFor(/capture which daemons \(all, or names; running: libvirtd\/session, virtqemud\/session\)/, 'the first prompt');
    for (const [prompt, answer] of [
      [/preset \(general, qemu, storage, network, rpc\) or filters/, daemons],
      [/for how long/, preset],
      [/into which directory/, duration],
    ] as const) {
      pane.send('C-u');
      pane.type(answer);
      pane.send('Enter');
      await pane.waitFor(prompt, String(prompt));
    }
    pane.type(dir);
    pane.send('Enter');
    // The dialog wraps its text inside its box: read it as one line.
    const flat = (screen: string) => screen.replace(/\s+│\n│\s+/g, ' ');
    const named = daemons === 'all' ? 'libvirtd \\(session\\), virtqemud \\(session\\)' : daemons.split(',').map((n) => `${n} \\(session\\)`).join(', ');
    await pane.waitFor((screen) => new RegExp(`Capture debug logs \\(preset ${preset}: [^)]*\\) of ${named} for \\d+:\\d\\d\\? \\[y/n\\]`).test(flat(screen)), 'the confirmation naming it all');
    pane.send('y');
    await pane.waitFor(/ debug capture \d+:\d\d left /, 'the countdown on screen');
  };
  /**
   * Escape, then q once the text it closes is gone: sent together they reach the console in one read
   * under load, as the terminal's Alt-q, which is no key of ours.
   */
  const closeThenQuit = async (pane: TmuxSession, shown: RegExp) => {
    pane.send('Escape');
    await pane.waitFor((screen) => !shown.test(screen), 'the text closed');
    pane.send('q');
  };
  const journal = (): CaptureJournal => JSON.parse(readFileSync(join(h.journalDir, readdirSync(h.journalDir)[0]!), 'utf8')) as CaptureJournal;

  test('5 s of the qemu preset on every daemon: the filters during, the originals after, debug lines in the files', async () => {
    const pane = open();
    const dir = join(h.scratch, 'console-five');
    await capture(pane, 'all', 'qemu', '5s', dir);
    const during = await pane.waitFor(/ debug capture 0:0\d left {2}qemu: libvirtd \(session\), virtqemud \(session\)/, 'what is captured');
    assert.match(during, /X ends it and restores/);
    for (const d of [h.libvirtd, h.virtqemud]) assert.equal((await logSettings(h, d)).filters, QEMU, 'the preset, as virt-admin reports it');
    assert.equal((await h.libvirtd.virsh(['hostname'])).code, 0);
    assert.equal((await h.virtqemud.virsh(['hostname'])).code, 0);
    await pane.waitFor(/Debug capture ended \(time is up\): every daemon has its settings back/, 'the end, by itself', 20_000);
    assert.doesNotMatch(pane.screen(), / debug capture \d/, 'the countdown gone');
    await bothOriginal();
    for (const name of ['libvirtd', 'virtqemud']) assert.match(readFileSync(join(dir, `${name}-session.log`), 'utf8'), /: debug : /m, `${name}'s file holds debug lines`);
    assert.deepEqual(readdirSync(h.journalDir), []);
    await closeThenQuit(pane, /Debug capture ended \(time is up\)/);
    await pane.waitFor(/console exited 0/, 'the console gone');
  });

  test('killed mid-capture (SIGKILL), started again with --restore: the originals at once', async () => {
    const pane = open();
    await capture(pane, 'libvirtd,virtqemud', 'general', '10m', join(h.scratch, 'console-killed'));
    assert.equal((await logSettings(h, h.virtqemud)).filters, GENERAL);
    process.kill(journal().owner.pid, 'SIGKILL');
    await pane.waitFor(/console exited 137/, 'the console killed');
    assert.equal(readdirSync(h.journalDir).length, 1, 'the journal outlives it');
    assert.equal((await logSettings(h, h.libvirtd)).filters, GENERAL, 'nobody restored yet');
    const again = open(['--restore']);
    await again.waitFor(/left by console pid \d+:/, 'the restore report', 20_000);
    const screen = again.screen();
    assert.match(screen, /libvirtd \(session\): restored filters '' and outputs/);
    assert.match(screen, /virtqemud \(session\): restored filters '' and outputs/);
    await bothOriginal();
    assert.deepEqual(readdirSync(h.journalDir), []);
    await closeThenQuit(again, /left by console pid \d+:/);
    await again.waitFor(/console exited 0/, 'closed');
  });

  test('killed mid-capture, started again without --restore: it offers, y restores', async () => {
    const pane = open();
    await capture(pane, 'all', 'rpc', '10m', join(h.scratch, 'console-offer'));
    process.kill(journal().owner.pid, 'SIGKILL');
    await pane.waitFor(/console exited 137/, 'the console killed');
    const again = open();
    await again.waitFor(/A debug capture begun .* by a console that is gone left libvirtd \(session\), virtqemud \(session\) logging at debug\. Restore their filters and outputs now\? \[y\/n\]/, 'the offer');
    again.send('y');
    await again.waitFor(/virtqemud \(session\): restored filters/, 'restored');
    await bothOriginal();
    await closeThenQuit(again, /virtqemud \(session\): restored filters/);
    await again.waitFor(/console exited 0/, 'closed');
  });

  test('q mid-capture: every daemon is put back before the console exits, and it says so', async () => {
    const pane = open();
    await capture(pane, 'virtqemud', 'storage', '10m', join(h.scratch, 'console-quit'));
    pane.send('q');
    const end = await pane.waitFor(/console exited 0/, 'the console gone', 20_000);
    assert.match(end, /debug capture ended; every daemon has its settings back:\n.*virtqemud \(session\): restored filters/);
    await bothOriginal();
    assert.deepEqual(readdirSync(h.journalDir), []);
  });
});
