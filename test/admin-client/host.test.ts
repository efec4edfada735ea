/**
 * LocalHost, the host the console runs on: who is behind a local peer comes
 * from /proc, and only while the pid still belongs to the uid the daemon
 * reported (a reused pid must not name the wrong process).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LocalHost, readPeerProcess, readProcessInfo } from '../../src/admin-client/index.js';
import { until } from '../helpers/until.js';

test('a peer process: its command and arguments, for the right uid only', async (t) => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', 'an argument with spaces'], { stdio: 'ignore' });
  t.after(() => child.kill());
  const host = new LocalHost();
  // spawn returns before the child has exec'd.
  await until(async () => (await host.peerProcess(child.pid!, process.getuid!()))?.args.length === 4, { message: 'the child running' });
  const p = await host.peerProcess(child.pid!, process.getuid!());
  assert.deepEqual(p, { pid: child.pid, command: 'node', args: [process.execPath, '-e', 'setTimeout(() => {}, 30000)', 'an argument with spaces'] });
  assert.equal(await host.peerProcess(child.pid!, process.getuid!() + 4242), undefined, 'another uid: not named');
  assert.equal(await host.peerProcess(child.pid!, undefined), undefined, 'no uid known: not named');
});

test('a process that is gone, or hides its arguments', async () => {
  assert.equal(await readPeerProcess(2 ** 22 + 1, 0), undefined);
  const files: Record<string, string> = { '/proc/7/status': 'Name:\tkthreadd\nUid:\t0\t0\t0\t0\n', '/proc/7/cmdline': '' };
  assert.deepEqual(await readPeerProcess(7, 0, { readFile: async (path) => Buffer.from(files[path]!), inode: async () => undefined }), { pid: 7, command: 'kthreadd', args: [] });
});

test("a process's uid, arguments and environment, as the tasks read a daemon's launch", async (t) => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore', env: { XDG_CONFIG_HOME: '/tmp/some where', LIBVIRT_LOG_FILTERS: '1:qemu' } });
  t.after(() => child.kill());
  const host = new LocalHost();
  await until(async () => (await host.processInfo(child.pid!))?.args.length === 3, { message: 'the child running' });
  const p = (await host.processInfo(child.pid!))!;
  assert.equal(p.uid, process.getuid!());
  assert.deepEqual(p.env, { XDG_CONFIG_HOME: '/tmp/some where', LIBVIRT_LOG_FILTERS: '1:qemu' });
  assert.equal(await host.processInfo(2 ** 22 + 1), undefined, 'gone');
  // Without read access to environ the rest is still known.
  const files: Record<string, string> = { '/proc/9/status': 'Name:\tlibvirtd\nUid:\t1000\t1000\t1000\t1000\n', '/proc/9/cmdline': '/usr/sbin/libvirtd\x00--timeout\x00120\x00' };
  const read = async (path: string) => {
    if (!(path in files)) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    return Buffer.from(files[path]!);
  };
  assert.deepEqual(await readProcessInfo(9, { readFile: read, inode: async () => undefined }), { pid: 9, command: 'libvirtd', args: ['/usr/sbin/libvirtd', '--timeout', '120'], uid: 1000 });
});

test('files there: ranges, sizes and identities, directories, the state directory, TCP', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'host-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const host = new LocalHost();
  const file = join(dir, 'f.log');
  writeFileSync(file, 'line one\nline two\n');
  assert.equal((await host.readFile(file)).toString(), 'line one\nline two\n');
  assert.equal((await host.readFile(file, { start: 9 })).toString(), 'line two\n');
  assert.equal((await host.readFile(file, { start: 5, maxBytes: 3 })).toString(), 'one');
  assert.equal((await host.readFile(file, { start: 100 })).length, 0, 'past the end: nothing');
  await assert.rejects(host.readFile(join(dir, 'absent')), { code: 'ENOENT' });
  const st = (await host.statFile(file))!;
  assert.equal(st.size, 18);
  renameSync(file, `${file}.1`);
  writeFileSync(file, 'new\n');
  assert.notEqual((await host.statFile(file))!.ino, st.ino, 'rotated: a new inode');
  assert.equal(await host.statFile(join(dir, 'absent')), undefined);
  await host.makeDirectory(join(dir, 'a', 'b'));
  assert.equal(statSync(join(dir, 'a', 'b')).mode & 0o777, 0o700);
  const saved = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = join(dir, 'state');
  t.after(() => (saved === undefined ? delete process.env.XDG_STATE_HOME : (process.env.XDG_STATE_HOME = saved)));
  assert.equal(await host.stateDirectory(), join(dir, 'state'));
  const server = createServer((s) => s.end('hello'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const s = await host.connectTcp('127.0.0.1', (server.address() as AddressInfo).port);
  const got = await new Promise<string>((r) => {
    let text = '';
    s.on('data', (d: Buffer) => (text += d.toString())).on('end', () => r(text));
  });
  assert.equal(got, 'hello');
  await assert.rejects(host.connectTcp('127.0.0.1', 1), { code: 'ECONNREFUSED' });
});
