/**
 * `virtd libvirtd` in system mode without touching /run: sockets where
 * unix_sock_dir says, with libvirt's names and modes, a locked pid file, a
 * read-only socket that refuses state changes, and root authorised by polkit.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CONNECT_RO, decodeHeader, decodeValue, frameBody, MessageStatus, Program, Remote } from '../../src/rpc/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { spawnVirtd, type VirtdProcess, waitForSocket } from '../helpers/spawn-virtd.js';
import { runTool } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

describe('virtd libvirtd --mode system with unix_sock_dir', () => {
  let dir: string;
  let daemon: VirtdProcess;
  let env: NodeJS.ProcessEnv;
  const sock = (name: string) => join(dir, 'sockets', name);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'virtd-system-'));
    writeFileSync(join(dir, 'libvirtd.conf'), `unix_sock_dir = "${join(dir, 'sockets')}"\nlog_outputs = "3:file:${join(dir, 'libvirtd.log')}"\n`);
    env = { PATH: process.env.PATH, HOME: dir };
    daemon = spawnVirtd(['libvirtd', '--mode', 'system', '-f', join(dir, 'libvirtd.conf'), '-p', join(dir, 'libvirtd.pid')], env);
    await waitForSocket(daemon, sock('libvirt-admin-sock'));
  });
  after(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('rw, ro and admin sockets with libvirt\'s modes (polkit system default: rw 0777)', () => {
    const mode = (name: string) => statSync(sock(name)).mode & 0o777;
    assert.equal(mode('libvirt-sock'), 0o777);
    assert.equal(mode('libvirt-sock-ro'), 0o777);
    assert.equal(mode('libvirt-admin-sock'), 0o700);
    assert.ok(statSync(sock('libvirt-sock')).isSocket());
  });

  test('the pid file holds the pid without a newline, and a second instance is refused', async () => {
    assert.equal(readFileSync(join(dir, 'libvirtd.pid'), 'utf8'), String(daemon.child.pid));
    const second = spawnVirtd(['libvirtd', '--mode', 'system', '-f', join(dir, 'libvirtd.conf'), '-p', join(dir, 'libvirtd.pid')], env);
    assert.equal(await second.waitExit(), 1);
    assert.match(second.output(), new RegExp(`Failed to acquire pid file '${join(dir, 'libvirtd.pid')}': Resource temporarily unavailable`));
  });

  test('the real virt-admin reaches the admin socket', async () => {
    const r = await runTool('virt-admin', ['-c', `libvirtd:///system?socket=${sock('libvirt-admin-sock')}`, 'srv-list'], { env: env as Record<string, string> });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /libvirtd/);
  });

  test('root is authorised by polkit at AUTH_LIST', async () => {
    const c = await RawClient.connect(sock('libvirt-sock'));
    const reply = await c.remoteCall(66);
    assert.deepEqual(decodeValue(Remote.authList.ret, frameBody(reply!)).types, [0]);
    c.close();
  });

  /** Opens a connection on `path` with `flags` and reads its `readonly` field from the real virt-admin's client-info. */
  const readonlyAs = async (path: string, flags: number): Promise<string> => {
    const c = await RawClient.connect(path);
    await c.remoteCall(66);
    c.send(Program.Remote, Remote.connectOpen.proc, Remote.connectOpen.args, { name: 'qemu:///system', flags });
    assert.equal(decodeHeader((await c.next())!).status, MessageStatus.Ok);
    const admin = (...args: string[]) => runTool('virt-admin', ['-c', `libvirtd:///system?socket=${sock('libvirt-admin-sock')}`, ...args], { env: env as Record<string, string> });
    const id = /^\s*(\d+)\s+unix/m.exec((await admin('client-list', 'libvirtd')).stdout)![1]!;
    const info = (await admin('client-info', 'libvirtd', id)).stdout;
    c.close();
    await c.waitClosed();
    return /^readonly\s*: (\w+)$/m.exec(info)![1]!;
  };

  test('the read-only socket makes its clients read-only; on the rw socket CONNECT_RO does, a plain open does not', async () => {
    assert.equal(await readonlyAs(sock('libvirt-sock-ro'), 0), 'yes');
    assert.equal(await readonlyAs(sock('libvirt-sock'), CONNECT_RO), 'yes');
    assert.equal(await readonlyAs(sock('libvirt-sock'), 0), 'no');
  });

  test('SIGHUP and SIGUSR1 leave it running, and SIGUSR1 never opens Node\'s inspector', async () => {
    daemon.child.kill('SIGHUP');
    daemon.child.kill('SIGUSR1');
    await new Promise((r) => setTimeout(r, 300));
    const r = await runTool('virt-admin', ['-c', `libvirtd:///system?socket=${sock('libvirt-admin-sock')}`, 'srv-list'], { env: env as Record<string, string> });
    assert.equal(r.code, 0, r.stderr);
    // The log file is written asynchronously: wait for the warning rather than read at once.
    const log = () => readFileSync(join(dir, 'libvirtd.log'), 'utf8') + daemon.output();
    await until(() => /SIGUSR1: not handled; the daemon keeps running/.test(log()), { message: 'the SIGUSR1 warning' }).catch(() =>
      assert.match(log(), /SIGUSR1: not handled; the daemon keeps running/),
    );
    assert.doesNotMatch(log(), /Debugger listening/);
  });

  test('SIGTERM stops cleanly, removing sockets and pid file', async () => {
    daemon.child.kill('SIGTERM');
    assert.equal(await daemon.waitExit(), 0);
    assert.throws(() => statSync(sock('libvirt-sock')));
    assert.throws(() => statSync(join(dir, 'libvirtd.pid')));
  });
});
