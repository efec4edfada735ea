/**
 * The pieces of a debug capture on their own: presets checked with libvirt's rules,
 * filters read back in the form that sets them exactly, durations, the journal on
 * disk (whole or not at all, its owner's life), and naming the daemons to capture.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DiscoveredDaemon } from '../../src/admin-client/index.js';
import {
  type CaptureJournal,
  chooseTargets,
  formatCountdown,
  journalDirectory,
  normaliseFilters,
  ownerAlive,
  ownerOf,
  parseDuration,
  PRESETS,
  readJournals,
  restorableFilters,
  unrestoredJournals,
  writeJournal,
} from '../../src/tasks/index.js';

test("every preset passes libvirt's filter rules", () => {
  assert.deepEqual(PRESETS.map((p) => p.name), ['general', 'qemu', 'storage', 'network', 'rpc']);
  for (const p of PRESETS) assert.match(normaliseFilters(p.filters), /^(\d:\*\S+\* ?)+$/, p.name);
  assert.throws(() => normaliseFilters('1:qemu 0:rpc'), /Invalid priority '0' for filter '0:rpc'/);
  assert.throws(() => normaliseFilters('qemu'), /Malformed format for filter 'qemu'/);
  assert.throws(() => normaliseFilters('  '), /needs at least one filter/);
});

test('filters as reported are set back in the form that reports the same', () => {
  const cases: [string | null, string | null][] = [
    [null, null],
    ['', null],
    ['1:*qemu* ', '1:qemu'],
    ['3:*remote* 1:*** ', '3:remote 1:*'],
    ['1:**qemu* ', '1:*qemu'],
  ];
  for (const [reported, sent] of cases) assert.equal(restorableFilters(reported), sent, String(reported));
  // The round trip the daemons make: send, store (wrapped in *), report.
  for (const text of ['1:qemu 3:*', '1:*a?b*', '4:util.json']) {
    const stored = normaliseFilters(text);
    assert.equal(normaliseFilters(restorableFilters(stored)!), stored);
  }
});

test('durations and countdowns', () => {
  assert.equal(parseDuration('90'), 90_000);
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('10m'), 600_000);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.throws(() => parseDuration('0s'), /from 1s to 24h/);
  assert.throws(() => parseDuration('25h'), /from 1s to 24h/);
  assert.throws(() => parseDuration('1.5m'), /not a duration/);
  assert.equal(formatCountdown(605_000), '10:05');
  assert.equal(formatCountdown(3_725_000), '1:02:05');
  assert.equal(formatCountdown(400), '0:01');
  assert.equal(formatCountdown(-5), '0:00');
});

test('the journal: under the state directory, written whole, owned by a live console or not', async (t) => {
  assert.equal(journalDirectory({ XDG_STATE_HOME: '/s' }), '/s/virt-admin-tui/capture-journals');
  assert.equal(journalDirectory({ HOME: '/home/u' }), '/home/u/.local/state/virt-admin-tui/capture-journals');
  const dir = mkdtempSync(join(tmpdir(), 'journal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const journal: CaptureJournal = {
    version: 1,
    id: 'x1',
    owner: await ownerOf(),
    host: 'localhost',
    startedAt: 1,
    endsAt: 2,
    filters: '1:*qemu*',
    dir: '/d',
    daemons: [{ name: 'libvirtd', mode: 'session', adminUri: 'libvirtd:///session', original: { filters: null, outputs: '3:stderr' }, capture: { filters: '1:qemu', outputs: '3:stderr 1:file:/d/l.log', file: '/d/l.log' } }],
  };
  const path = await writeJournal(dir, journal);
  assert.deepEqual(readdirSync(dir), ['x1.json'], 'no temporary file left');
  assert.equal(await ownerAlive(journal.owner), true, 'this process owns it');
  assert.deepEqual((await unrestoredJournals(dir)).stale, [], 'a live console keeps its capture');
  // A console that has exited: its pid is gone (or another process with another start time).
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const dead = { ...journal, id: 'x2', owner: { pid: Number(gone.stdout), startedAt: 12345, machine: hostname() } };
  await writeJournal(dir, dead);
  assert.equal(await ownerAlive(dead.owner), false);
  assert.equal(await ownerAlive({ pid: process.pid, startedAt: 1, machine: hostname() }), false, 'the same pid, started at another time: not the owner');
  assert.equal(await ownerAlive({ ...dead.owner, machine: 'elsewhere' }), true, "another machine's console is not judged from here");
  writeFileSync(join(dir, 'x3.json'), '{"version": 1, "id"');
  const found = await readJournals(dir);
  assert.deepEqual(found.map((j) => ('error' in j ? `error ${j.path}` : j.journal.id)), ['x1', 'x2', `error ${join(dir, 'x3.json')}`]);
  const u = await unrestoredJournals(dir);
  assert.deepEqual(u.stale.map((s) => s.journal.id), ['x2']);
  assert.equal(u.unreadable.length, 1);
  assert.equal(path, join(dir, 'x1.json'));
});

test('naming the daemons to capture', () => {
  const d = (name: string, mode: 'system' | 'session', running = true, socket = `/r/${name}-${mode}`): DiscoveredDaemon => ({ name, mode, running, sockets: [], adminUri: `${name === 'virtproxyd' ? 'libvirtd' : name}:///${mode}?socket=${socket}` });
  const found = [d('libvirtd', 'system'), d('libvirtd', 'session'), d('virtqemud', 'session'), d('virtsecretd', 'session', false), d('virtproxyd', 'session', true, '/r/libvirtd-session')];
  const names = (spec: string) => chooseTargets(spec, found).map((t) => `${t.name}/${t.mode}`);
  assert.deepEqual(names('all'), ['libvirtd/system', 'libvirtd/session', 'virtqemud/session'], "virtproxyd on libvirtd's socket is the same daemon, once");
  assert.deepEqual(names('libvirtd'), ['libvirtd/system', 'libvirtd/session'], 'a name in both modes: both');
  assert.deepEqual(names('libvirtd/session,virtqemud, libvirtd/session'), ['libvirtd/session', 'virtqemud/session'], 'once each');
  assert.deepEqual(names('virtqemud:///session?socket=/x'), ['virtqemud/session']);
  assert.throws(() => names('virtsecretd'), /virtsecretd is not running on this host \(running: libvirtd\/system, libvirtd\/session, virtqemud\/session, virtproxyd\/session\)/);
  assert.throws(() => chooseTargets('all', []), /no daemon is running/);
});
