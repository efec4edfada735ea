/** Discovery tells active, stale and absent sockets apart, for every known daemon and both modes. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { discoverDaemons } from '../../src/admin-client/index.js';
import { startVirtd } from '../helpers/virtd.js';

test('a running daemon is active, a dead one stale, the rest absent; TCP/TLS probed', async (t) => {
  const d = await startVirtd('libvirtd');
  const systemDir = mkdtempSync(join(tmpdir(), 'virtd-disc-'));
  const tcp = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => tcp.once('listening', r));
  t.after(async () => {
    tcp.close();
    rmSync(systemDir, { recursive: true, force: true });
    await d.stop();
  });
  mkdirSync(systemDir, { recursive: true });
  // virtqemud died without cleaning up: its socket file stays, nobody listens.
  execFileSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind('${join(systemDir, 'virtqemud-sock')}')`]);

  const started = Date.now();
  const found = await discoverDaemons({
    systemDir,
    sessionDir: d.runtimeDir,
    tcpPort: (tcp.address() as AddressInfo).port,
    tlsPort: 1, // nothing listens on port 1
  });
  assert.ok(Date.now() - started < 2000, 'discovery is quick');
  // Issue 9 item 12: daemons that refuse session mode (Xen, LXC, bhyve, interface, network,
  // nodedev, nwfilter) have no session row, unless something of theirs is really there.
  assert.equal(found.length, 15 + 8, '15 daemons in system mode, 8 of them in session mode too');
  assert.deepEqual(found.filter((x) => x.mode === 'session').map((x) => x.name).sort(), ['libvirtd', 'virtlockd', 'virtlogd', 'virtproxyd', 'virtqemud', 'virtsecretd', 'virtstoraged', 'virtvboxd']);
  const get = (name: string, mode: string) => found.find((x) => x.name === name && x.mode === mode)!;
  const states = (name: string, mode: string) => Object.fromEntries(get(name, mode).sockets.map((s) => [s.role, s.state]));

  assert.deepEqual(states('libvirtd', 'session'), { rw: 'active', admin: 'active', tcp: 'active', tls: 'absent' });
  assert.equal(get('libvirtd', 'session').running, true);
  assert.equal(get('libvirtd', 'session').adminUri, `libvirtd:///session?socket=${d.adminSocket}`);
  assert.deepEqual(states('virtqemud', 'system'), { rw: 'stale', ro: 'absent', admin: 'absent' });
  assert.deepEqual(states('virtlogd', 'system'), { rw: 'absent', admin: 'absent' }, 'virtlogd has no read-only socket');
  assert.equal(get('virtsecretd', 'session').running, false);
  assert.ok(!get('virtqemud', 'session').sockets.some((s) => s.role === 'ro'), 'no read-only sockets in session mode');

  // A socket file of a system-only daemon in the session directory is a finding: it is listed.
  execFileSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind('${join(d.runtimeDir, 'virtnetworkd-sock')}')`]);
  const again = await discoverDaemons({ systemDir, sessionDir: d.runtimeDir, tcpPort: 1, tlsPort: 1 });
  assert.deepEqual(
    Object.fromEntries(again.find((x) => x.name === 'virtnetworkd' && x.mode === 'session')!.sockets.map((s) => [s.role, s.state])),
    { rw: 'stale', admin: 'absent' },
  );
});

test('discovery finds listeners from the kernel list without connecting to them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-disc-quiet-'));
  let connections = 0;
  const unix = createServer(() => connections++).listen(join(dir, 'virtqemud-sock'));
  const admin = createServer(() => connections++).listen(join(dir, 'virtqemud-admin-sock'));
  const tcp = createServer(() => connections++).listen(0, '127.0.0.1');
  await Promise.all([unix, admin, tcp].map((s) => new Promise((r) => s.once('listening', r))));
  t.after(() => {
    for (const s of [unix, admin, tcp]) s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const found = await discoverDaemons({ modes: ['system'], systemDir: dir, tcpPort: (tcp.address() as AddressInfo).port, tlsPort: 1 });
  const qemu = found.find((x) => x.name === 'virtqemud')!;
  assert.deepEqual(Object.fromEntries(qemu.sockets.map((s) => [s.role, s.state])), { rw: 'active', ro: 'absent', admin: 'active' });
  assert.equal(found.find((x) => x.name === 'libvirtd')!.sockets.find((s) => s.role === 'tcp')!.state, 'active');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(connections, 0, 'no probe connection reached the listeners');
});

test('libvirtd and virtproxyd share socket paths: the pid file tells which one runs', async (t) => {
  const d = await startVirtd('libvirtd');
  t.after(() => d.stop());
  const found = await discoverDaemons({ modes: ['session'], sessionDir: d.runtimeDir, tcpPort: 1, tlsPort: 1 });
  const libvirtd = found.find((x) => x.name === 'libvirtd')!;
  const proxy = found.find((x) => x.name === 'virtproxyd')!;
  assert.equal(libvirtd.running, true);
  assert.equal(proxy.running, false);
  assert.equal(proxy.socketsHeldBy, 'libvirtd');
});
