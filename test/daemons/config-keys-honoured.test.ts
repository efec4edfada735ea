/**
 * Config keys that other tests do not already exercise are honoured: each set
 * to a value other than its default, and the effect seen from outside (the
 * real virt-admin, the socket files, a connection's fate). The table in
 * test/security/config-key-policy.test.ts points here for these keys.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Program, Remote, voidCodec } from '../../src/rpc/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { spawnVirtd, type VirtdProcess, waitForSocket } from '../helpers/spawn-virtd.js';
import { ensureTestUser, runTool } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

describe('libvirtd in system mode with every limit and socket key changed', () => {
  let dir: string;
  let daemon: VirtdProcess;
  const sock = (name: string) => join(dir, 'sockets', name);
  const virtAdmin = (...args: string[]) => runTool('virt-admin', ['-c', `libvirtd:///system?socket=${sock('libvirt-admin-sock')}`, ...args]);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'virtd-keys-'));
    chmodSync(dir, 0o755);
    const user = ensureTestUser();
    writeFileSync(
      join(dir, 'libvirtd.conf'),
      [
        `unix_sock_dir = "${join(dir, 'sockets')}"`,
        `unix_sock_group = "${user.name}"`,
        'unix_sock_ro_perms = "0750"',
        'unix_sock_rw_perms = "0720"',
        'unix_sock_admin_perms = "0710"',
        'min_workers = 2',
        'max_workers = 7',
        'prio_workers = 3',
        'max_clients = 2',
        'max_anonymous_clients = 1',
        'max_queued_clients = 2',
        'admin_min_workers = 1',
        'admin_max_workers = 4',
        'admin_max_clients = 9',
        'admin_max_queued_clients = 3',
        'log_level = 2',
        'log_filters = "1:rpc.keepalive 4:qemu"',
        `log_outputs = "2:file:${join(dir, 'libvirtd.log')}"`,
      ].join('\n') + '\n',
    );
    daemon = spawnVirtd(['libvirtd', '--mode', 'system', '-f', join(dir, 'libvirtd.conf'), '-p', join(dir, 'libvirtd.pid')], { PATH: process.env.PATH, HOME: dir });
    await waitForSocket(daemon, sock('libvirt-admin-sock'));
  });
  after(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('unix_sock_group and the three *_perms keys give the sockets that group and those modes', () => {
    const user = ensureTestUser();
    for (const [name, mode] of [['libvirt-sock-ro', 0o750], ['libvirt-sock', 0o720], ['libvirt-admin-sock', 0o710]] as const) {
      const st = statSync(sock(name));
      assert.equal(st.mode & 0o777, mode, name);
      assert.equal(st.gid, user.gid, name);
    }
  });

  test('min_workers, max_workers, prio_workers and the admin_ pair show in virt-admin srv-threadpool-info', async () => {
    const main = await virtAdmin('srv-threadpool-info', 'libvirtd');
    assert.match(main.stdout, /minWorkers\s*: 2\n\s*maxWorkers\s*: 7\n\s*nWorkers\s*: 2\n\s*freeWorkers\s*: 2\n\s*prioWorkers\s*: 3/);
    const admin = await virtAdmin('srv-threadpool-info', 'admin');
    assert.match(admin.stdout, /minWorkers\s*: 1\n\s*maxWorkers\s*: 4/);
  });

  test('max_clients, max_anonymous_clients and admin_max_clients show in virt-admin srv-clients-info', async () => {
    const main = await virtAdmin('srv-clients-info', 'libvirtd');
    assert.match(main.stdout, /nclients_max\s*: 2\n\s*nclients\s*: 0\n\s*nclients_unauth_max\s*: 1/);
    const admin = await virtAdmin('srv-clients-info', 'admin');
    assert.match(admin.stdout, /nclients_max\s*: 9/);
  });

  test('max_clients and max_queued_clients: two served, two waiting unserved, the fifth turned away', async () => {
    // Root is authorised by polkit at AUTH_LIST, so these count as clients, not anonymous ones.
    const served = await Promise.all([0, 1].map(() => RawClient.connect(sock('libvirt-sock'))));
    for (const c of served) assert.ok(await c.remoteCall());
    await until(async () => /nclients\s*: 2/.test((await virtAdmin('srv-clients-info', 'libvirtd')).stdout), { timeoutMs: 3000, message: 'two clients' });
    const waiting = await Promise.all([0, 1].map(() => RawClient.connect(sock('libvirt-sock'))));
    for (const c of waiting) c.send(Program.Remote, Remote.authList.proc, voidCodec, undefined);
    const fifth = connect(sock('libvirt-sock'));
    const fifthClosed = new Promise<boolean>((resolve) => {
      fifth.on('close', () => resolve(true));
      fifth.on('error', () => undefined);
    });
    assert.equal(await fifthClosed, true, 'past max_queued_clients the connection is closed');
    for (const c of waiting) assert.equal(await c.next(300), null, 'a waiting client is not served');
    served[0]!.close();
    assert.ok(await waiting[0]!.next(3000), 'a waiting client is served once a slot frees');
    for (const c of [...served, ...waiting]) c.close();
  });

  test('log_level, log_filters and log_outputs are what the daemon starts with', async () => {
    assert.match((await virtAdmin('daemon-log-filters')).stdout, /Logging filters: 1:\*rpc\.keepalive\* 4:\*qemu\*/);
    assert.equal((await virtAdmin('daemon-log-outputs')).stdout.trim(), `Logging outputs: 2:file:${join(dir, 'libvirtd.log')}`);
    // log_level = 2 lets info messages through (the default, 3, would not): a disconnect logs one.
    const victim = await RawClient.connect(sock('libvirt-sock'));
    assert.ok(await victim.remoteCall());
    const id = /^\s*(\d+)\s+unix/m.exec((await virtAdmin('client-list', 'libvirtd')).stdout)![1]!;
    assert.equal((await virtAdmin('client-disconnect', 'libvirtd', id)).code, 0);
    await until(() => readFileSync(join(dir, 'libvirtd.log'), 'utf8').includes(`: info : admin : closing client ${id} of server libvirtd on request`), {
      timeoutMs: 3000,
      message: 'the info line in the log file',
    });
  });
});

describe('virtlogd with its limit and logging keys changed', () => {
  test('max_clients and admin_max_clients show in virt-admin; log_level, log_filters, log_outputs are in effect', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'virtlogd-keys-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const sockets = join(dir, 'sockets');
    writeFileSync(
      join(dir, 'virtlogd.conf'),
      [`unix_sock_dir = "${sockets}"`, 'max_clients = 3', 'admin_max_clients = 4', 'log_level = 2', 'log_filters = "3:logging"', `log_outputs = "2:file:${join(dir, 'virtlogd.log')}"`].join('\n') + '\n',
    );
    const p = spawnVirtd(['virtlogd', '--mode', 'system', '-f', join(dir, 'virtlogd.conf'), '-p', join(dir, 'virtlogd.pid')], { PATH: process.env.PATH, HOME: dir });
    t.after(() => p.stop());
    await waitForSocket(p, join(sockets, 'virtlogd-admin-sock'));
    const virtAdmin = (...args: string[]) => runTool('virt-admin', ['-c', `virtlogd:///system?socket=${join(sockets, 'virtlogd-admin-sock')}`, ...args]);
    assert.match((await virtAdmin('srv-clients-info', 'virtlogd')).stdout, /nclients_max\s*: 3\n/);
    assert.match((await virtAdmin('srv-clients-info', 'admin')).stdout, /nclients_max\s*: 4\n/);
    assert.match((await virtAdmin('daemon-log-filters')).stdout, /Logging filters: 3:\*logging\*/);
    assert.equal((await virtAdmin('daemon-log-outputs')).stdout.trim(), `Logging outputs: 2:file:${join(dir, 'virtlogd.log')}`);
    // log_level = 2: the info line of a shutdown reaches the file (the default level, 3, would drop it).
    await p.stop();
    assert.match(readFileSync(join(dir, 'virtlogd.log'), 'utf8'), /: info : daemon : shutting down: SIGTERM/);
  });
});
