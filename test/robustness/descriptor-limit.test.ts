/**
 * The admin socket answers at the descriptor limit (issue 16): with
 * `ulimit -n 256` and 400 connections flooding the main socket, a new admin
 * connection is served within 100 ms every time, main connections beyond the
 * headroom are refused with a rate-limited log line, and all recovers when the
 * flood ends. Past max_clients + max_queued_clients, refusals are logged too.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { AdminClient } from '../../src/admin-client/index.js';
import { Admin, decodeHeader, MessageStatus, Program } from '../../src/rpc/index.js';
import { launchDaemon } from '../helpers/daemon-under-test.js';
import { RawClient } from '../helpers/raw-client.js';
import { VIRTD_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

/** Opens `n` connections, each left as it is; resolves with those that connected. */
async function flood(path: string, n: number): Promise<Socket[]> {
  const sockets = await Promise.all(
    Array.from({ length: n }, () => new Promise<Socket | undefined>((resolve) => {
      const s = connect(path);
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(undefined));
      s.on('error', () => {});
    })),
  );
  return sockets.filter((s): s is Socket => s !== undefined);
}

/** Milliseconds from connect to the answer of a server list, on a fresh admin connection. */
async function adminRoundTrip(path: string): Promise<number> {
  const started = performance.now();
  const c = await RawClient.connect(path);
  c.send(Program.Admin, Admin.connectListServers.proc, Admin.connectListServers.args, { needResults: 1, flags: 0 });
  const reply = await c.next(5000);
  const ms = performance.now() - started;
  c.close();
  assert.ok(reply, 'the admin socket answered');
  assert.equal(decodeHeader(reply).status, MessageStatus.Ok);
  return ms;
}

describe('at the descriptor limit', () => {
  test('ulimit -n 256, 400 connections on the main socket: admin answers within 100 ms, every time', async (t) => {
    const d = await launchDaemon({
      cmd: 'prlimit',
      args: ['--nofile=256:256', VIRTD_BIN, 'libvirtd', '--mode', 'session'],
      mainName: 'libvirt-sock',
      adminName: 'libvirt-admin-sock',
    });
    t.after(() => d.stop());
    const held = await flood(d.mainSocket, 400);
    t.after(() => held.forEach((s) => s.destroy()));
    await until(() => d.logs().includes('to keep descriptors for the admin server'), { timeoutMs: 5000, message: 'the refusal in the log' });
    // The flood is in place once the daemon has taken every connection it will keep.
    let kept = -1;
    await until(async () => {
      const n = Number(/nclients\s*: (\d+)/.exec((await d.virtAdmin(['srv-clients-info', 'libvirtd'])).stdout)?.[1]);
      const settled = n === kept;
      kept = n;
      return settled;
    }, { timeoutMs: 10000, intervalMs: 100, message: 'the flood settled' });

    const times: number[] = [];
    for (let i = 0; i < 10; i++) times.push(await adminRoundTrip(d.adminSocket));
    assert.ok(Math.max(...times) < 100, `admin round trips: ${times.map((x) => x.toFixed(1)).join(', ')} ms`);
    for (const args of [['server-list'], ['client-list', 'libvirtd']]) {
      const r = await d.virtAdmin(args);
      assert.equal(r.code, 0, `virt-admin ${args.join(' ')}: ${r.stderr}`);
    }
    // One line at once, the rest summed up later: not one line per refused connection.
    const lines = d.logs().split('\n').filter((l) => l.includes('to keep descriptors for the admin server'));
    assert.ok(lines.length <= 2, lines.join('\n'));
    assert.match(lines[0]!, /refused a connection to libvirtd to keep descriptors for the admin server: \d+ of 256 descriptors in use, 32 kept for the admin server/);

    // Our extension program tells the console the same (descriptors against the limit, refusals).
    const admin = await AdminClient.connect(d.adminUri);
    const stats = (await admin.loadStats())!;
    admin.close();
    assert.equal(stats.descriptors?.limit, 256);
    assert.ok(stats.descriptors!.inUse > 256 - 64, `descriptors in use: ${stats.descriptors!.inUse}`);
    assert.ok(stats.servers.find((s) => s.server === 'libvirtd')!.refusedDescriptors > 0);

    // The flood ends: the main socket serves again.
    for (const s of held) s.destroy();
    await until(async () => /nclients\s*: 0\n/.test((await d.virtAdmin(['srv-clients-info', 'libvirtd'])).stdout), { timeoutMs: 5000, message: 'the flood gone' });
    const c = await RawClient.connect(d.mainSocket);
    assert.ok(await c.remoteCall(), 'a main client is served again');
    c.close();
  });

  test('past max_clients + max_queued_clients, refusals are logged, once and then summed up', async (t) => {
    const d = await startVirtd('libvirtd', { config: 'max_clients = 2\nmax_anonymous_clients = 2\nmax_queued_clients = 2\n' });
    t.after(() => d.stop());
    // One at a time, retrying while the kernel's backlog (max_queued_clients too) is full, as a blocking client would.
    const held: RawClient[] = [];
    t.after(() => held.forEach((c) => c.close()));
    for (let i = 0; i < 10; i++) held.push(await RawClient.connect(d.mainSocket));
    await until(() => d.logs().includes('past max_clients + max_queued_clients'), { timeoutMs: 5000, message: `the refusal in the log (${held.length} connected):\n${d.logs()}` });
    const lines = d.logs().split('\n').filter((l) => l.includes('past max_clients + max_queued_clients'));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /refused a connection to libvirtd past max_clients \+ max_queued_clients: 2 clients \(max_clients 2\), 2 waiting \(max_queued_clients 2\)/);
    const admin = await AdminClient.connect(d.adminUri);
    const stats = (await admin.loadStats())!;
    admin.close();
    assert.equal(stats.servers.find((s) => s.server === 'libvirtd')!.refusedFull, 6, 'counted, one by one');
  });
});
