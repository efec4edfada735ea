/**
 * LocalHost, the host the console runs on: who is behind a local peer comes
 * from /proc, and only while the pid still belongs to the uid the daemon
 * reported (a reused pid must not name the wrong process).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { LocalHost, readPeerProcess } from '../../src/admin-client/index.js';
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
