/**
 * virtproxyd carries each client's connection to the modular daemon its URI
 * names, in the same socket directory: the real virsh reaches virtqemud
 * through it, a read-only client stays read-only there, the client shows in
 * both daemons' client lists, and a target daemon that is down is libvirt's
 * error at once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeHeader, decodeValue, errorBody, frameBody, MessageStatus, Program, Remote } from '../../src/rpc/index.js';
import { freePort } from '../helpers/free-port.js';
import { RawClient } from '../helpers/raw-client.js';
import { spawnVirtd, type VirtdProcess, waitForSocket } from '../helpers/spawn-virtd.js';
import { runTool } from '../helpers/tools.js';

/** A client of the proxy that authenticates and opens `uri`; returns the open reply's status. */
async function openThrough(socket: string, uri: string): Promise<{ c: RawClient; ok: boolean; error?: string }> {
  const c = await RawClient.connect(socket);
  await c.remoteCall(Remote.authList.proc);
  c.send(Program.Remote, Remote.connectOpen.proc, Remote.connectOpen.args, { name: uri, flags: 0 });
  const reply = (await c.next())!;
  const ok = decodeHeader(reply).status === MessageStatus.Ok;
  return { c, ok, ...(ok ? {} : { error: decodeValue(errorBody, frameBody(reply)).message }) };
}

/** CONNECT_SET_IDENTITY changes state: refused on a read-only connection. */
async function setIdentity(c: RawClient): Promise<string> {
  c.send(Program.Remote, Remote.connectSetIdentity.proc, Remote.connectSetIdentity.args, { params: [], flags: 0 });
  const reply = (await c.next())!;
  return decodeHeader(reply).status === MessageStatus.Ok ? 'ok' : decodeValue(errorBody, frameBody(reply)).message;
}

describe('virtproxyd in system mode beside virtqemud', () => {
  let dir: string;
  let sockets: string;
  let qemu: VirtdProcess;
  let proxy: VirtdProcess;
  const env = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LIBVIRT_AUTOSTART: '0' });
  const start = async (name: string) => {
    writeFileSync(join(dir, `${name}.conf`), `unix_sock_dir = "${sockets}"\nlog_outputs = "3:file:${join(dir, `${name}.log`)}"\n`);
    const p = spawnVirtd([name, '--mode', 'system', '-f', join(dir, `${name}.conf`), '-p', join(dir, `${name}.pid`)], env());
    await waitForSocket(p, join(sockets, `${name === 'virtproxyd' ? 'libvirt' : name}-admin-sock`));
    return p;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'virtproxyd-'));
    sockets = join(dir, 'sockets');
    qemu = await start('virtqemud');
    proxy = await start('virtproxyd');
  });
  after(async () => {
    await proxy?.stop();
    await qemu?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the real virsh reaches virtqemud through the proxy socket', async () => {
    const uri = `qemu:///system?socket=${join(sockets, 'libvirt-sock')}`;
    const r = await runTool('virsh', ['-c', uri, 'uri'], { env: env(), timeoutMs: 30000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), uri);
    const v = await runTool('virsh', ['-c', uri, 'version'], { env: env(), timeoutMs: 30000 });
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /Running hypervisor: QEMU \d+\.\d+\.\d+/, 'answered by virtqemud');
  });

  test('a proxied client is in both client lists; closing it upstream closes it here too', async () => {
    const { c, ok } = await openThrough(join(sockets, 'libvirt-sock'), 'qemu:///system');
    assert.ok(ok);
    const admin = (name: string, prefix: string) =>
      runTool('virt-admin', ['-c', `${name}:///system?socket=${join(sockets, `${prefix}-admin-sock`)}`, 'client-list', name], { env: env() });
    const theirs = await admin('virtqemud', 'virtqemud');
    const ours = await admin('virtproxyd', 'libvirt');
    assert.equal(theirs.stdout.trim().split('\n').length, 3, theirs.stdout);
    assert.equal(ours.stdout.trim().split('\n').length, 3, ours.stdout);
    const id = /^\s*(\d+)\s/m.exec(theirs.stdout.split('\n').slice(2).join('\n'))![1]!;
    const gone = await runTool('virt-admin', ['-c', `virtqemud:///system?socket=${join(sockets, 'virtqemud-admin-sock')}`, 'client-disconnect', 'virtqemud', id], { env: env() });
    assert.equal(gone.code, 0, gone.stderr);
    assert.equal(await c.waitClosed(3000), true, 'the proxy closes its client when the daemon drops it');
  });

  test('read-only stays read-only through the proxy', async () => {
    const ro = await openThrough(join(sockets, 'libvirt-sock-ro'), 'qemu:///system');
    assert.ok(ro.ok);
    assert.equal(await setIdentity(ro.c), 'operation forbidden: read only access prevents virConnectSetIdentity');
    ro.c.close();
    const rw = await openThrough(join(sockets, 'libvirt-sock'), 'qemu:///system');
    assert.equal(await setIdentity(rw.c), 'ok');
    rw.c.close();
  });

  test('a URI nobody serves, and a target daemon that is down, are errors at once', async () => {
    const none = await openThrough(join(sockets, 'libvirt-sock'), 'frob:///system');
    assert.equal(none.error, 'no connection driver available for frob:///system');
    none.c.close();
    const started = Date.now();
    const down = await openThrough(join(sockets, 'libvirt-sock'), 'network:///system');
    assert.equal(down.error, `Failed to connect socket to '${join(sockets, 'virtnetworkd-sock')}': No such file or directory`);
    down.c.close();

    await qemu.stop();
    const r = await runTool('virsh', ['-c', `qemu:///system?socket=${join(sockets, 'libvirt-sock')}`, 'uri'], { env: env(), timeoutMs: 30000 });
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`Failed to connect socket to '${join(sockets, 'virtqemud-sock')}': No such file or directory`));
    assert.ok(Date.now() - started < 2000, `answered in ${Date.now() - started} ms`);
  });
});

describe('virtproxyd listening on TCP, as its config says (no --listen)', () => {
  test('the real virsh over qemu+tcp:// reaches virtqemud through it', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'virtproxyd-tcp-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const sockets = join(dir, 'sockets');
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LIBVIRT_AUTOSTART: '0' };
    const port = await freePort();
    const conf = (name: string, extra = '') => {
      writeFileSync(join(dir, `${name}.conf`), `unix_sock_dir = "${sockets}"\nlog_outputs = "3:file:${join(dir, `${name}.log`)}"\n${extra}`);
      return ['--mode', 'system', '-f', join(dir, `${name}.conf`), '-p', join(dir, `${name}.pid`)];
    };
    const qemu = spawnVirtd(['virtqemud', ...conf('virtqemud')], env);
    t.after(() => qemu.stop());
    await waitForSocket(qemu, join(sockets, 'virtqemud-admin-sock'));
    const proxy = spawnVirtd(['virtproxyd', ...conf('virtproxyd', `listen_tcp = 1\ntcp_port = "${port}"\nlisten_addr = "127.0.0.1"\nauth_tcp = "none"\n`)], env);
    t.after(() => proxy.stop());
    await waitForSocket(proxy, join(sockets, 'libvirt-admin-sock'));
    const r = await runTool('virsh', ['-c', `qemu+tcp://127.0.0.1:${port}/system`, 'version'], { env, timeoutMs: 30000 });
    assert.equal(r.code, 0, r.stderr + proxy.output());
    assert.match(r.stdout, /Running hypervisor: QEMU \d+\.\d+\.\d+/);
  });
});
