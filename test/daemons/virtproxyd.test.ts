/**
 * virtproxyd carries each client's connection to the modular daemon its URI
 * names, in the same socket directory: the real virsh reaches virtqemud
 * through it, a read-only client stays read-only there, the client shows in
 * both daemons' client lists, and a target daemon that is down is libvirt's
 * error at once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeHeader, decodeValue, errorBody, frameBody, MessageStatus, Program, Remote } from '../../src/rpc/index.js';
import { freePort } from '../helpers/free-port.js';
import { RawClient } from '../helpers/raw-client.js';
import { spawnVirtd, type VirtdProcess, waitForSocket } from '../helpers/spawn-virtd.js';
import { holdVirsh } from '../helpers/held-virsh.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { asUser, ensureTestUser, REPO_ROOT, runTool, VIRTD_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

/** A client of the proxy that authenticates and opens `uri`; returns the open reply's status. */
async function openThrough(socket: string, uri: string): Promise<{ c: RawClient; ok: boolean; error?: string }> {
  const c = await RawClient.connect(socket);
  await c.remoteCall(Remote.authList.proc);
  c.send(Program.Remote, Remote.connectOpen.proc, Remote.connectOpen.args, { name: uri, flags: 0 });
  const reply = (await c.next())!;
  const ok = decodeHeader(reply).status === MessageStatus.Ok;
  return { c, ok, ...(ok ? {} : { error: decodeValue(errorBody, frameBody(reply)).message }) };
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

  test('read-only stays read-only through the proxy: the target lists the client as read-only', async () => {
    const ro = await openThrough(join(sockets, 'libvirt-sock-ro'), 'qemu:///system');
    assert.ok(ro.ok);
    const admin = (...args: string[]) => runTool('virt-admin', ['-c', `virtqemud:///system?socket=${join(sockets, 'virtqemud-admin-sock')}`, ...args], { env: env() });
    const id = /^\s*(\d+)\s+unix/m.exec((await admin('client-list', 'virtqemud')).stdout)![1]!;
    assert.match((await admin('client-info', 'virtqemud', id)).stdout, /^readonly\s*: yes$/m);
    ro.c.close();
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

describe("virtproxyd passes its client's identity on (CONNECT_SET_IDENTITY)", () => {
  /** client-info of the only client of `server` on the daemon behind `adminUri`. */
  async function onlyClientInfo(adminUri: string, server: string, run: (args: string[]) => Promise<{ stdout: string }>): Promise<string> {
    let id: string | undefined;
    await until(async () => {
      const rows = (await run(['-c', adminUri, 'client-list', server])).stdout.trim().split('\n').slice(2);
      id = rows.length === 1 ? /^\s*(\d+)\s/.exec(rows[0]!)?.[1] : undefined;
      return id !== undefined;
    }, { timeoutMs: 10000, message: `one client on ${server}` });
    return (await run(['-c', adminUri, 'client-info', server, id!])).stdout;
  }

  /** Our virtproxyd as the test user in session mode, whose virtqemud-sock is `target` (a daemon or a link to one). */
  async function proxyBefore(t: { after(fn: () => unknown): void }, link?: string) {
    const user = ensureTestUser();
    const dir = mkdtempSync(join(tmpdir(), 'virtproxyd-identity-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    chownSync(dir, user.uid, user.gid);
    const runtime = join(dir, 'run');
    mkdirSync(join(runtime, 'libvirt'), { recursive: true, mode: 0o700 });
    chownSync(runtime, user.uid, user.gid);
    chownSync(join(runtime, 'libvirt'), user.uid, user.gid);
    if (link) symlinkSync(link, join(runtime, 'libvirt', 'virtqemud-sock'));
    const env = { HOME: dir, XDG_RUNTIME_DIR: runtime, XDG_CONFIG_HOME: join(dir, 'config') };
    const [file, argv] = asUser(VIRTD_BIN, ['virtproxyd', '--mode', 'session'], user.name, env);
    const proxy = spawn(file, argv, { stdio: 'ignore' });
    t.after(() => proxy.kill('SIGTERM'));
    await until(() => existsSync(join(runtime, 'libvirt', 'libvirt-admin-sock')), { timeoutMs: 10000, message: 'virtproxyd' });
    return { user, env, runtime, pid: proxy.pid, proxySocket: join(runtime, 'libvirt', 'libvirt-sock') };
  }

  test('our virtqemud behind it names the real client: virsh\'s pid, not the proxy\'s', async (t) => {
    const qemu = await startVirtd('virtqemud', { asTestUser: true });
    t.after(() => qemu.stop());
    const p = await proxyBefore(t, qemu.mainSocket);
    const virsh = holdVirsh(`qemu:///session?socket=${p.proxySocket}`, p.user.name, p.env);
    t.after(() => virsh.stop());
    const info = await onlyClientInfo(qemu.adminUri, 'virtqemud', (args) => qemu.run('virt-admin', args));
    assert.match(info, new RegExp(`^unix_process_id\\s*: ${virsh.pid}$`, 'm'), `virsh ${virsh.pid}, proxy ${p.pid}\n${info}${virsh.output()}`);
    assert.match(info, new RegExp(`^unix_user_name\\s*: ${p.user.name}$`, 'm'));
  });

  test("Debian's libvirtd behind it takes our identity the same way", async (t) => {
    const real = await startRealLibvirtd();
    t.after(() => real.stop());
    const p = await proxyBefore(t, real.mainSocket);
    const virsh = holdVirsh(`qemu:///session?socket=${p.proxySocket}`, p.user.name, p.env);
    t.after(() => virsh.stop());
    // libvirtd's own start-up probe connection may still be listed: wait for the one virsh made.
    const info = await onlyClientInfo(real.adminUri, 'libvirtd', (args) => real.run('virt-admin', args));
    assert.match(info, new RegExp(`^unix_process_id\\s*: ${virsh.pid}$`, 'm'), info + virsh.output());
  });

  test('a client may not speak for someone else unless it could be anyone anyway', async (t) => {
    const qemu = await startVirtd('virtqemud', { asTestUser: true });
    t.after(() => qemu.stop());
    // Root (the test) talks straight to the test user's virtqemud? Refused at accept in session mode;
    // so the daemon here is ours in system mode, and the untrusted caller the test user.
    const dir = mkdtempSync(join(tmpdir(), 'virtqemud-identity-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    chmodSync(dir, 0o755);
    const sockets = join(dir, 'sockets');
    writeFileSync(join(dir, 'q.conf'), `unix_sock_dir = "${sockets}"\nauth_unix_ro = "none"\n`);
    const sys = spawnVirtd(['virtqemud', '--mode', 'system', '-f', join(dir, 'q.conf'), '-p', join(dir, 'q.pid')], { PATH: process.env.PATH, HOME: dir });
    t.after(() => sys.stop());
    await waitForSocket(sys, join(sockets, 'virtqemud-admin-sock'));
    chmodSync(sockets, 0o755);
    const r = await runTool(process.execPath, [join(REPO_ROOT, 'dist', 'test', 'helpers', 'set-identity.js'), join(sockets, 'virtqemud-sock-ro')], { user: ensureTestUser().name });
    assert.equal(r.stdout.trim(), "access denied: only a client running as root or as the daemon's user may set a connection's identity", r.stderr);
  });
});
