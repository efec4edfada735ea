/**
 * The host layer's parts as data: saturation thresholds (80% warns, 100% is an
 * error), the 10-minute history with its sparkline and peak, the host table's
 * filter words, the identity column with SASL users and clients still
 * authenticating, and discovery of every user's session daemons as root.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ClientInfo, discoverDaemons } from '../../src/admin-client/index.js';
import type { SaturationSample } from '../../src/ui/store/console-state.js';
import { type HostClientRow, orderHostRows, parseHostFilter } from '../../src/ui/store/host-rows.js';
import { whoWords } from '../../src/ui/store/client-words.js';
import { appendSample, HISTORY_MS, peak, saturation, sparkline } from '../../src/ui/store/saturation.js';
import { userCell } from '../../src/ui/views/client-columns.js';

const sample = (at: number, clients: number): SaturationSample => ({ at, clients, clientsMax: 100, unauth: 0, unauthMax: 20, workersBusy: 0, workersMax: 20, queue: 0 });

test('a gauge warns at 80% and is an error at 100%; no limit is never saturated', () => {
  assert.deepEqual([0, 79, 80, 99, 100, 140].map((n) => saturation(n, 100)), ['ok', 'ok', 'warn', 'warn', 'error', 'error']);
  assert.equal(saturation(50, 0), 'ok');
});

test('ten minutes of history: older looks drop out; the sparkline keeps a spike between two looks, and the peak says it', () => {
  const now = 1_000_000_000;
  let h: SaturationSample[] = [];
  h = appendSample(h, sample(now - HISTORY_MS - 1, 99));
  h = appendSample(h, sample(now - 9 * 60_000, 10));
  h = appendSample(h, sample(now - 5 * 60_000 - 1000, 100)); // the spike
  h = appendSample(h, sample(now - 5 * 60_000, 10));
  h = appendSample(h, sample(now, 20));
  assert.equal(h.length, 4, 'the look older than 10 minutes is gone');
  // One character a minute, oldest left: 9 minutes ago, the spike and the look after it (same minute), now.
  assert.equal(sparkline(h, (s) => s.clients, 100, 10, now), '▂   █    ▂');
  assert.deepEqual(peak(h, (s) => s.clients), { value: 100, at: now - 5 * 60_000 - 1000 });
});

function row(daemon: string, id: number, info: Partial<ClientInfo>, command: string, connectedAt: number, unauthenticated?: boolean): HostClientRow {
  const c = { server: daemon, id, transport: 'unix' as const, connectedAt };
  return { rowKey: `${daemon}#${id}`, targetKey: daemon, daemon, c, info: { ...c, params: [], ...info }, process: { pid: info.unixProcessId ?? 0, command, args: [command, '--flag'] }, unauthenticated };
}

test('the host filter: daemon, server, process, age, authentication, and the clients view words', () => {
  const now = 2_000_000_000_000;
  const rows = [
    row('virtqemud', 1, { unixUserName: 'alice', unixProcessId: 4242, readonly: true }, 'virsh', now / 1000 - 7200),
    row('virtnetworkd', 2, { unixUserName: 'alice', unixProcessId: 4242, readonly: true }, 'virsh', now / 1000 - 60),
    row('virtnetworkd', 3, { unixUserName: 'bob', unixProcessId: 99, readonly: false }, 'python3', now / 1000 - 7200, true),
  ];
  const ids = (filter: string) => orderHostRows([rows], filter, 'id', false, now).map((r) => r.c.id);
  assert.deepEqual(ids('pid:4242'), [1, 2]);
  assert.deepEqual(ids('daemon:virtnetworkd ro:yes age:>1h'), []);
  assert.deepEqual(ids('ro:yes daemon:virtnet'), [2]);
  assert.deepEqual(ids('age:>1h'), [1, 3]);
  assert.deepEqual(ids('age:<5m'), [2]);
  assert.deepEqual(ids('proc:python'), [3]);
  assert.deepEqual(ids('auth:no'), [3]);
  assert.deepEqual(ids('user:alice server:virtqemud'), [1]);
  assert.deepEqual(parseHostFilter('daemon:x user:y').rest, 'user:y');
  assert.deepEqual(orderHostRows([rows], '', 'process', true, now).map((r) => r.c.id), [1, 2, 3], 'virsh before python3, reversed');
  assert.deepEqual(orderHostRows([rows], '', 'process', false, now).map((r) => r.c.id), [3, 2, 1]);
});

test('sorted either way, the host table is the order a direct sort gives: unknown values last, ties by daemon, server, id, socket', () => {
  const now = 1_700_000_000_000;
  // Two daemons of one name (a system's and a user's), equal values, unknown pids, many rows.
  const rows: HostClientRow[] = [];
  for (let i = 0; i < 600; i++) {
    const daemon = ['virtqemud', 'libvirtd', 'virtnetworkd'][i % 3]!;
    const info = i % 7 === 0 ? undefined : ({ unixUserName: ['alice', 'bob'][i % 2], unixUserId: 1000 + (i % 2), unixProcessId: 100 + (i % 11), readonly: i % 5 === 0 } as ClientInfo);
    rows.push({ rowKey: `${i}`, targetKey: i % 2 ? '/run/a' : '/run/b', daemon, c: { server: daemon, id: (i * 37) % 200, transport: 'unix', connectedAt: now / 1000 - (i % 13) }, info, process: undefined, unauthenticated: undefined });
  }
  const value = (r: HostClientRow, key: 'id' | 'pid' | 'user' | 'connectedAt') => (key === 'id' ? r.c.id : key === 'pid' ? r.info?.unixProcessId : key === 'user' ? r.info?.unixUserName : r.c.connectedAt);
  const tie = (a: HostClientRow, b: HostClientRow) => (a.daemon !== b.daemon ? (a.daemon < b.daemon ? -1 : 1) : a.c.server !== b.c.server ? (a.c.server < b.c.server ? -1 : 1) : a.c.id !== b.c.id ? a.c.id - b.c.id : a.targetKey < b.targetKey ? -1 : a.targetKey > b.targetKey ? 1 : 0);
  for (const key of ['id', 'pid', 'user', 'connectedAt'] as const) {
    for (const descending of [false, true, false, true]) {
      const direct = [...rows].sort((a, b) => {
        const x = value(a, key);
        const y = value(b, key);
        if (x === undefined || y === undefined) return x === y ? tie(a, b) : x === undefined ? 1 : -1;
        return (x < y ? -1 : x > y ? 1 : tie(a, b)) * (descending ? -1 : 1);
      });
      assert.deepEqual(orderHostRows([rows.slice(0, 300), rows.slice(300)], '', key, descending, now).map((r) => r.rowKey), direct.map((r) => r.rowKey), `${key} ${descending ? 'descending' : 'ascending'}`);
    }
  }
});

test('who a client is: the unix user and the SASL user together, and a client still authenticating', () => {
  const both = { unixUserName: 'alice', unixUserId: 1000, saslUserName: 'bob' } as ClientInfo;
  assert.equal(userCell(both, 40), 'alice (1000) sasl:bob');
  assert.equal(userCell({ saslUserName: 'bob' } as ClientInfo, 40), 'sasl:bob');
  assert.equal(userCell({ unixUserName: 'alice', unixUserId: 1000 } as ClientInfo, 40, true), 'alice (1000) unauth');
  assert.equal(userCell(undefined, 40, true), 'unauth');
  const c = { server: 's', id: 1, transport: 'unix' as const, connectedAt: 0 };
  assert.equal(whoWords(c, { ...both, unixProcessId: 7 } as ClientInfo, { pid: 7, command: 'virsh', args: [] }, true), 'alice, SASL bob, pid 7 virsh, unix, not authenticated yet');
});

test("run as root, discovery finds every user's session daemons in /run/user/UID/libvirt", async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'run-user-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const theirs = join(root, '1234', 'libvirt');
  mkdirSync(theirs, { recursive: true });
  mkdirSync(join(root, '5678'), { recursive: true }); // a user with no libvirt directory
  const servers = ['virtqemud-sock', 'virtqemud-admin-sock'].map((n) => createServer().listen(join(theirs, n)));
  await Promise.all(servers.map((s) => new Promise((r) => s.once('listening', r))));
  t.after(() => servers.forEach((s) => s.close()));
  const mine = mkdtempSync(join(tmpdir(), 'my-session-'));
  t.after(() => rmSync(mine, { recursive: true, force: true }));
  const found = await discoverDaemons({ modes: ['session'], sessionDir: mine, userRuntimeRoot: root, allUsers: true, tcpPort: 1, tlsPort: 1 });
  const other = found.filter((d) => d.uid !== undefined);
  assert.deepEqual(other.map((d) => [d.name, d.mode, d.uid, d.running]), [['virtqemud', 'session', 1234, true]], 'only what is there, with its owner');
  assert.equal(other[0]!.adminUri, `virtqemud:///session?socket=${join(theirs, 'virtqemud-admin-sock')}`);
  const notRoot = await discoverDaemons({ modes: ['session'], sessionDir: mine, userRuntimeRoot: root, allUsers: false, tcpPort: 1, tlsPort: 1 });
  assert.equal(notRoot.filter((d) => d.uid !== undefined).length, 0, 'not asked to: not looked at');
});
