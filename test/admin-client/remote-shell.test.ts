/**
 * The remote shell's framing: replies cut out of any slicing of the stream,
 * in order, with any bytes inside; and a real /bin/sh answering scripts
 * pipelined on one stdin (what the ssh connection's session runs on the host).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { RemoteShell, ShellReplyReader, shellQuote } from '../../src/admin-client/ssh/remote-shell.js';

test('replies survive any cut of the stream, and junk before the first one is dropped', () => {
  const stream = Buffer.concat([
    Buffer.from('motd from a chatty .bashrc\n'),
    Buffer.from('m1 begin\nline one\nm1 half\nm1 12x\n\nm1 0\n'),
    Buffer.from('m2 begin\n'),
    Buffer.from([0, 1, 2, 0x0a, 0xff]),
    Buffer.from('\nm2 17\n'),
    Buffer.from('m3 begin\n\nm3 0\n'),
  ]);
  const want = [
    { status: 0, output: Buffer.from('line one\nm1 half\nm1 12x\n') },
    { status: 17, output: Buffer.from([0, 1, 2, 0x0a, 0xff]) },
    { status: 0, output: Buffer.alloc(0) },
  ];
  for (let cut = 0; cut <= stream.length; cut++) {
    for (const second of [cut, Math.min(stream.length, cut + 7)]) {
      const r = new ShellReplyReader();
      for (const m of ['m1', 'm2', 'm3']) r.expect(m);
      const got = [...r.push(stream.subarray(0, cut)), ...r.push(stream.subarray(cut, second)), ...r.push(stream.subarray(second))];
      assert.deepEqual(got, want, `cut at ${cut}, ${second}`);
    }
  }
});

test('a real sh answers pipelined scripts in order: output bytes, exit status, quoting', async (t) => {
  const sh = spawn('/bin/sh', [], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => sh.kill());
  const shell = new RemoteShell(sh.stdin, sh.stdout);
  const odd = "it's a \"path\" with $HOME and `x` \\ and\nnewline";
  const replies = await Promise.all([
    shell.run(`printf '%s' ${shellQuote(odd)}`),
    shell.run('printf "a\\000b"; exit_code() { return 3; }; exit_code'),
    shell.run('cat'), // reads /dev/null, not the scripts queued behind it
    shell.run('ls /nonexistent-dir'),
    shell.run('   '),
    shell.run('echo last'),
  ]);
  assert.deepEqual(replies.map((r) => [r.status, r.output.toString('latin1')]), [
    [0, odd],
    [3, 'a\0b'],
    [0, ''],
    [2, ''],
    [0, ''],
    [0, 'last\n'],
  ]);
});

test('the shell gone: scripts waiting and later ones fail with the reason', async () => {
  const sh = spawn('/bin/sh', ['-c', 'read x; exit 0'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const shell = new RemoteShell(sh.stdin, sh.stdout);
  const waiting = shell.run('echo never');
  sh.on('close', () => shell.fail(new Error('host lost')));
  await assert.rejects(waiting, /host lost/);
  await assert.rejects(shell.run('echo later'), /host lost/);
});
