/**
 * Files on a remote host through its shell (a real /bin/sh on a pipe, as the
 * ssh connection's session runs it): ranges of a file, a file absent or denied
 * with Node's codes, sizes and inodes, a private directory; and the shell
 * still answering afterwards (an `exit` in it would have ended the connection's
 * one shell, and every later script with it).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeRemoteDirectory, readRemoteFile, statRemoteFile } from '../../src/admin-client/ssh/remote-file-ops.js';
import { RemoteShell } from '../../src/admin-client/ssh/remote-shell.js';
import { ensureTestUser } from '../helpers/tools.js';

test('ranges, absent and denied files, stat, directories; the shell answers after each', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'remote-files-'));
  chmodSync(dir, 0o755);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Not root, so a mode-000 file is denied as it would be to an operator's login.
  const user = ensureTestUser();
  const sh = spawn('setpriv', ['--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups', '/bin/sh'], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => sh.kill());
  const shell = new RemoteShell(sh.stdin, sh.stdout);
  const file = join(dir, 'log');
  writeFileSync(file, 'line one\nline two\n');
  const secret = join(dir, 'secret');
  writeFileSync(secret, 'x');
  chmodSync(secret, 0o000);

  assert.equal((await readRemoteFile(shell, 'h', file)).toString(), 'line one\nline two\n');
  assert.equal((await readRemoteFile(shell, 'h', file, { start: 9 })).toString(), 'line two\n');
  assert.equal((await readRemoteFile(shell, 'h', file, { start: 5, maxBytes: 3 })).toString(), 'one');
  assert.equal((await readRemoteFile(shell, 'h', file, { start: 100 })).length, 0, 'past the end: nothing');
  await assert.rejects(readRemoteFile(shell, 'h', join(dir, 'absent')), { code: 'ENOENT' });
  await assert.rejects(readRemoteFile(shell, 'h', secret), { code: 'EACCES' });
  assert.equal((await shell.run('echo still here')).output.toString(), 'still here\n', 'the shell outlives a refusal');

  const st = (await statRemoteFile(shell, file))!;
  assert.equal(st.size, 18);
  assert.equal(st.ino, statSync(file).ino);
  renameSync(file, `${file}.1`);
  writeFileSync(file, 'new\n');
  assert.notEqual((await statRemoteFile(shell, file))!.ino, st.ino, 'rotated: a new inode');
  assert.equal(await statRemoteFile(shell, join(dir, 'absent')), undefined);

  await assert.rejects(makeRemoteDirectory(shell, 'h', join(dir, 'a'), 0o700), { code: 'EACCES' }, 'a directory it may not write');
  const mine = mkdtempSync(join(tmpdir(), 'remote-files-mine-'));
  t.after(() => rmSync(mine, { recursive: true, force: true }));
  chmodSync(mine, 0o777);
  await makeRemoteDirectory(shell, 'h', join(mine, 'a', 'b'), 0o700);
  assert.equal(statSync(join(mine, 'a', 'b')).mode & 0o777, 0o700);
  assert.equal(statSync(join(mine, 'a')).mode & 0o777, 0o700, 'its parents private too');
  assert.equal((await shell.run('echo still here')).output.toString(), 'still here\n');
});
