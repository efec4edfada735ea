/**
 * When the daemon fails the client says so promptly: killed mid-call, an
 * error at once; hung, an error within the keepalive window; restarted, a
 * reconnect for clients that asked for one. Bad sockets and URIs are clear
 * errors on the command line, never a hang or a stack trace.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AdminClient, ConnectionLost } from '../../src/admin-client/index.js';
import { spawnVirtd, waitForListening } from '../helpers/spawn-virtd.js';
import { runTool, TUI_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

function sessionDaemon(t: { after: (fn: () => unknown) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-faults-'));
  const env = { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: dir };
  const start = async () => {
    const p = spawnVirtd(['libvirtd', '--mode', 'session'], env);
    // The socket file appears at bind, a moment before listen: wait until it accepts (it failed under load).
    await waitForListening(p, join(dir, 'libvirt', 'libvirt-admin-sock'));
    return p;
  };
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, start, uri: `libvirtd:///session?socket=${join(dir, 'libvirt', 'libvirt-admin-sock')}` };
}

describe('a failing daemon', () => {
  test('killed mid-call: the call fails at once with ConnectionLost', async (t) => {
    const s = sessionDaemon(t);
    const p = await s.start();
    t.after(() => p.stop());
    const admin = await AdminClient.connect(s.uri);
    process.kill(p.child.pid!, 'SIGSTOP'); // the call below stays in flight
    const call = admin.listServers();
    process.kill(p.child.pid!, 'SIGKILL');
    const started = Date.now();
    await assert.rejects(call, ConnectionLost);
    assert.ok(Date.now() - started < 1000, 'rejected within a second');
    assert.equal(admin.state, 'lost');
  });

  test('hung: keepalive notices within its window', async (t) => {
    const s = sessionDaemon(t);
    const p = await s.start();
    t.after(() => {
      process.kill(p.child.pid!, 'SIGCONT');
      return p.stop();
    });
    const admin = await AdminClient.connect(s.uri, { keepaliveIntervalMs: 300, keepaliveCount: 2 });
    process.kill(p.child.pid!, 'SIGSTOP');
    const started = Date.now();
    await assert.rejects(admin.listServers(), /keepalive/);
    const ms = Date.now() - started;
    assert.ok(ms < 2000, `noticed after ${ms} ms (window 300 ms x 3)`);
  });

  test('restarted: a client that asked for reconnects is connected again', async (t) => {
    const s = sessionDaemon(t);
    let p = await s.start();
    const admin = await AdminClient.connect(s.uri, { reconnect: true, backoffMs: { initial: 50, max: 300 } });
    t.after(async () => {
      await admin.close();
      await p.stop();
    });
    const states: string[] = [];
    admin.onState((st) => states.push(st));
    await p.stop();
    await until(() => admin.state !== 'connected', { message: 'the loss noticed' });
    p = await s.start();
    await until(() => admin.state === 'connected', { timeoutMs: 5000, message: 'reconnected' });
    assert.deepEqual((await admin.listServers()).sort(), ['admin', 'libvirtd']);
    assert.ok(states.includes('lost') && states.includes('reconnecting'), states.join(','));
  });
});

describe('bad sockets and URIs on the command line', () => {
  const cli = (uri: string) => runTool(process.execPath, [TUI_BIN, '-c', uri, 'server-list'], { timeoutMs: 8000 });
  const noStack = (stderr: string) => assert.doesNotMatch(stderr, /^\s+at /m);

  test('a regular file where the socket should be', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'virtd-bad-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'file'), 'not a socket');
    const r = await cli(`libvirtd:///session?socket=${join(dir, 'file')}`);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: Failed to connect to the admin server\nerror: Failed to connect socket to '${join(dir, 'file')}': Connection refused\n`);
  });

  test('a stale socket with nobody listening', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'virtd-bad-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'stale');
    execFileSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind('${path}')`]);
    const r = await cli(`libvirtd:///session?socket=${path}`);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: Failed to connect to the admin server\nerror: Failed to connect socket to '${path}': Connection refused\n`);
  });

  test('a daemon that answers garbage', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'virtd-bad-'));
    const path = join(dir, 'garbage');
    const server = createServer((s) => s.end(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))).listen(path);
    t.after(() => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const r = await cli(`libvirtd:///session?socket=${path}`);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: Failed to connect to the admin server\nerror: the daemon sent a malformed packet: packet length \d+\n$/);
    noStack(r.stderr);
  });

  for (const [uri, message] of [
    ['bogus:///system', "unsupported configuration: Unsupported URI scheme 'bogus'"],
    ['libvirtd+unix:///system', "unsupported configuration: Unsupported URI scheme 'libvirtd+unix'"],
    // +ssh is ours (issue 14): without a host it cannot go anywhere, and says so.
    ['libvirtd+ssh:///system', "unsupported configuration: No host in 'libvirtd+ssh:///system': an ssh URI names the host, e.g. libvirtd+ssh://root@host/system"],
    ['libvirtd:///elsewhere', "unsupported configuration: Invalid URI path '/elsewhere', try '/system'"],
  ]) {
    test(`URI ${uri}`, async () => {
      const r = await cli(uri!);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `error: Failed to connect to the admin server\nerror: ${message}\n`);
    });
  }
});
