/** The clients table at any width (issue 9 item 7): never a cut number; the timestamp gives way first. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClientInfo } from '../../src/admin-client/index.js';
import { headerLine, keepEnd, layoutColumns, rowLine } from '../../src/ui/views/client-columns.js';
import { fitStatus } from '../../src/ui/components/status-text.js';

const now = Date.parse('2026-11-30T12:00:00Z');
const row = (id: number, pid: number, extra: Partial<ClientInfo> = {}) => {
  const c = { server: 'libvirtd', id, connectedAt: now / 1000 - 30, transport: 'unix' as const };
  return { c, info: { ...c, params: [], readonly: false, unixUserName: 'virttest', unixUserId: 1001, unixProcessId: pid, ...extra } };
};

test('at 100, 80 and 60 columns every id, pid and uid is whole', () => {
  const rows = [row(7, 4194302), row(123456, 1434), row(8, 99, { unixUserName: 'a-very-long-user-name-indeed', sockAddr: '192.168.100.200;40544' })];
  for (const width of [100, 80, 60]) {
    const columns = layoutColumns(rows, width);
    const lines = [headerLine(columns), ...rows.map((r) => rowLine(columns, r, now))];
    for (const line of lines) assert.ok(line.length <= width, `${width}: ${line}`);
    for (const [i, r] of rows.entries()) {
      const line = lines[i + 1]!;
      for (const n of [r.c.id, r.info.unixProcessId, r.info.unixUserId]) assert.match(line, new RegExp(`(^|[ (])${n}([ )]|$)`), `${width}: ${n} whole in ${line}`);
      assert.doesNotMatch(line, /\d…/, `${width}: ${line}`);
    }
    if (width === 60) assert.equal(columns.find((c) => c.key === 'since'), undefined, 'the timestamp goes first');
  }
  const plain = [row(2, 31234), row(3, 31234)];
  assert.equal(layoutColumns(plain, 100).find((c) => c.key === 'since')?.title, 'connected since', 'room for the full timestamp at 100');
  assert.equal(layoutColumns(rows, 80).find((c) => c.key === 'since')?.title, 'since', 'shortened to the time of day at 80');
});

test('a cut address keeps its end, a long status keeps its reason', () => {
  assert.equal(keepEnd('192.168.100.200;40544', 10), '…200;40544');
  const err = "Failed to connect socket to '/tmp/virtd-test-8l70xw/run/libvirt/virtxend-admin-sock': No such file or directory";
  const fitted = fitStatus(err, 80);
  assert.ok(fitted.length <= 80, fitted);
  assert.match(fitted, /virtxend-admin-sock': No such file or directory$/);
  assert.equal(fitStatus('short', 80), 'short');
});
