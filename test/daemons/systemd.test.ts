/**
 * systemd integration: `virtd units` writes every daemon's units and they pass
 * `systemd-analyze verify` (which does fail on a broken one), and a daemon run
 * with $NOTIFY_SOCKET sends READY=1 once its sockets are up.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnVirtd, waitForSocket } from '../helpers/spawn-virtd.js';
import { runTool, VIRTD_BIN } from '../helpers/tools.js';

test('virtd units: every daemon\'s units pass systemd-analyze verify', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-units-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'prefix', 'bin'), { recursive: true });
  symlinkSync(VIRTD_BIN, join(dir, 'prefix', 'bin', 'virtd'));
  const gen = await runTool(VIRTD_BIN, ['units', '--out', join(dir, 'units'), '--prefix', join(dir, 'prefix')]);
  assert.equal(gen.code, 0, gen.stderr);
  const units = readdirSync(join(dir, 'units')).sort();
  // 12 remote-protocol daemons (virtbhyved has none): 3 sockets + service; +2 IP sockets for libvirtd and virtproxyd; 3 each for virtlogd, virtlockd.
  assert.equal(units.length, 11 * 4 + 2 * 2 + 2 * 3 + 4);
  for (const name of ['libvirtd.socket', 'libvirtd-ro.socket', 'libvirtd-admin.socket', 'libvirtd-tcp.socket', 'libvirtd-tls.socket', 'libvirtd.service', 'virtqemud.service', 'virtproxyd-tls.socket', 'virtlogd-admin.socket', 'virtlockd.service']) {
    assert.ok(units.includes(name), name);
  }
  const verify = await runTool('systemd-analyze', ['verify', ...units.map((u) => join(dir, 'units', u))], { timeoutMs: 60000 });
  assert.equal(verify.code, 0, verify.stderr);
  assert.equal(verify.stderr, '');

  // The check bites: the same units pointing at a virtd that is not there fail.
  const broken = await runTool(VIRTD_BIN, ['units', '--out', join(dir, 'broken'), '--prefix', join(dir, 'nowhere')]);
  assert.equal(broken.code, 0);
  const bad = await runTool('systemd-analyze', ['verify', join(dir, 'broken', 'virtqemud.service')], { timeoutMs: 60000 });
  assert.notEqual(bad.code, 0);
});

test('READY=1 reaches $NOTIFY_SOCKET once the sockets are up', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-notify-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const notifySocket = join(dir, 'notify');
  // A datagram listener like systemd's, printing the first message it gets.
  const listener = spawn('python3', ['-c', `import socket,sys\ns=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\ns.bind('${notifySocket}')\nprint('bound', flush=True)\nprint(s.recv(4096).decode(), flush=True)`]);
  let heard = '';
  const exited = new Promise<void>((resolve) => listener.once('exit', () => resolve()));
  listener.stdout.setEncoding('utf8').on('data', (d: string) => (heard += d));
  await new Promise<void>((resolve) => listener.stdout.once('data', () => resolve()));
  const p = spawnVirtd(['libvirtd', '--mode', 'session'], { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: dir, NOTIFY_SOCKET: notifySocket });
  t.after(() => p.stop());
  await waitForSocket(p, join(dir, 'libvirt', 'libvirt-admin-sock'));
  const timedOut = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
  await Promise.race([exited, timedOut]);
  listener.kill();
  assert.match(heard, new RegExp(`READY=1\\nMAINPID=${p.child.pid}`));
});
