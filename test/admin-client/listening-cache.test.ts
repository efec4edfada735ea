/**
 * The kernel's list of listening sockets kept between looks (listening-cache.ts): read again
 * when a socket file appears, goes or is made anew, when the caller saw a connection drop
 * (recheck), or when the last reading is too old; reused otherwise. Real sockets, and a
 * listener killed with SIGKILL that leaves its file behind, as a crashed daemon does.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ListeningUnixCache, lstatEach } from '../../src/admin-client/listening-cache.js';
import { listeningUnixPaths } from '../../src/admin-client/listening-sockets.js';
import { until } from '../helpers/until.js';

function listen(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(path, () => resolve(s));
  });
}

test('the list is reused while nothing changed, and read again on every sign that it may have', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'listening-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = join(dir, 'a-sock');
  const b = join(dir, 'b-sock');
  let reads = 0;
  let clock = 0;
  const cache = new ListeningUnixCache(() => (reads++, listeningUnixPaths()), () => clock);
  const paths = [a, b];
  const long = { maxAgeMs: 10_000 };

  const first = await cache.listening(paths, await lstatEach(paths), long);
  assert.equal(reads, 1);
  assert.equal(first?.has(a), false);
  await cache.listening(paths, await lstatEach(paths), long);
  assert.equal(reads, 1, 'nothing changed: the reading is reused');

  // A listener binds: its file appears, so the list is read again and shows it.
  const server = await listen(a);
  t.after(() => server.close());
  assert.equal((await cache.listening(paths, await lstatEach(paths), long))?.has(a), true);
  assert.equal(reads, 2);

  // A process listening on b is killed: its file stays, the same file. The reading is reused
  // (the console is told by its admin connection instead) until asked to recheck, or too old.
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(b)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  assert.equal((await cache.listening(paths, await lstatEach(paths), long))?.has(b), true);
  assert.equal(reads, 3);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  await until(async () => !(await listeningUnixPaths())?.has(b), { message: 'the kernel drops the killed listener' });
  assert.ok(existsSync(b), 'the killed listener left its file');
  assert.equal((await cache.listening(paths, await lstatEach(paths), long))?.has(b), true, 'reused: same files, nothing said');
  assert.equal(reads, 3);
  assert.equal((await cache.listening(paths, await lstatEach(paths), { ...long, recheck: true }))?.has(b), false, 'a connection dropped: read again');
  assert.equal(reads, 4);

  // Too old: read again whatever the files say.
  clock += 10_001;
  await cache.listening(paths, await lstatEach(paths), long);
  assert.equal(reads, 5);

  // A file made anew (a daemon restarting removes and binds again) is a change, though the path is the same.
  rmSync(b);
  const again = await listen(b);
  t.after(() => again.close());
  assert.equal((await cache.listening(paths, await lstatEach(paths), long))?.has(b), true);
  assert.equal(reads, 6);
});
