/**
 * Live log taps in process, with a real file output beside them: a tap reads what its
 * own filters let through, whatever the daemon's filters say, and the outputs keep
 * writing exactly what the daemon's filters allow, with a tap or without.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DaemonLogger, parseLogFilters } from '../../src/daemons/logging/index.js';
import type { TappedRecord } from '../../src/daemons/logging/log-tap.js';

function setUp(t: { after(fn: () => void): void }, opts: { filters?: string; outputs: (dir: string) => string }) {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-tap-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const logger = new DaemonLogger({ ident: 'virtqemud', mode: 'session', logDir: dir, env: {}, stdinIsTTY: true, level: 3, filters: opts.filters, outputs: opts.outputs(dir) });
  return { dir, logger };
}

const messages = (records: TappedRecord[]) => records.map((r) => `${r.priority}:${r.category}:${r.message}`);

test("a tap reads what its filters allow; the file keeps to the daemon's filters", async (t) => {
  const { dir, logger } = setUp(t, { filters: '3:*', outputs: (d) => `1:file:${join(d, 'out.log')}` });
  const rpc = logger.child('rpc.server.virtqemud');
  const qemu = logger.child('qemu.qemu_driver');
  assert.equal(rpc.enabled('debug'), false, 'without a tap nothing below warning is built');
  const got: TappedRecord[] = [];
  const tap = logger.addTap({ filters: parseLogFilters('1:rpc'), priority: 4, deliver: (r) => got.push(r) });
  assert.equal(rpc.enabled('debug'), true, 'the tap wants rpc debug messages');
  assert.equal(qemu.enabled('warn'), true, "the daemon's own filters still count");
  assert.equal(qemu.enabled('info'), false);
  rpc.debug('rpc debug');
  rpc.warn('rpc warning');
  qemu.warn('qemu warning');
  qemu.error('qemu error');
  assert.deepEqual(messages(got), ['1:rpc.server.virtqemud:rpc debug', '3:rpc.server.virtqemud:rpc warning', '4:qemu.qemu_driver:qemu error']);
  assert.match(got[0]!.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  tap.close();
  assert.equal(rpc.enabled('debug'), false, 'the levels come back once the tap is gone');
  rpc.debug('rpc debug after');
  assert.equal(got.length, 3);
  await logger.close();
  const file = readFileSync(join(dir, 'out.log'), 'utf8');
  assert.doesNotMatch(file, /rpc debug/, 'the file never saw what only the tap asked for');
  assert.match(file, /warning : rpc\.server\.virtqemud : rpc warning/);
  assert.match(file, /warning : qemu\.qemu_driver : qemu warning/);
  assert.match(file, /error : qemu\.qemu_driver : qemu error/);
});

test('two taps with different filters, and filters of the daemon changed while tapped', async (t) => {
  const { dir, logger } = setUp(t, { filters: '3:*', outputs: (d) => `2:json:${join(d, 'out.json')}` });
  const a: TappedRecord[] = [];
  const b: TappedRecord[] = [];
  const tapA = logger.addTap({ filters: parseLogFilters('1:qemu'), priority: 4, deliver: (r) => a.push(r) });
  logger.addTap({ filters: [], priority: 2, deliver: (r) => b.push(r) });
  const qemu = logger.child('qemu.qemu_monitor');
  qemu.debug('monitor debug');
  qemu.info('monitor info');
  logger.setFilters('2:qemu');
  qemu.debug('monitor debug 2');
  qemu.info('monitor info 2');
  assert.deepEqual(messages(a), ['1:qemu.qemu_monitor:monitor debug', '2:qemu.qemu_monitor:monitor info', '1:qemu.qemu_monitor:monitor debug 2', '2:qemu.qemu_monitor:monitor info 2']);
  assert.deepEqual(messages(b), ['2:qemu.qemu_monitor:monitor info', '2:qemu.qemu_monitor:monitor info 2']);
  tapA.close();
  await logger.close();
  const json = readFileSync(join(dir, 'out.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
  assert.deepEqual(json.map((j) => j.msg), ['monitor info 2'], 'only what the daemon filters allowed once they allowed it');
});
