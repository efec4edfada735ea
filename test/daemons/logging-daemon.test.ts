/**
 * A running daemon's logs: libvirt's text line on stderr and in files; a file renamed by
 * the real logrotate and the daemon told with SIGHUP loses no line; outputs changed with
 * the real virt-admin's daemon-log-outputs (a json file among them) are opened anew.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Admin, Program, voidCodec } from '../../src/rpc/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { spawnVirtd, waitForListening } from '../helpers/spawn-virtd.js';
import { runTool } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

const RX = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000: (\d+): info : rpc\.server\.admin : RPC_SERVER_CLIENT_MSG_RX: client=\d+ len=28 prog=110102160 vers=1 proc=3 type=0 status=0 serial=(\d+)$/;

function serialsIn(path: string, pid: number): number[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => RX.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) === pid)
    .map((m) => Number(m[2]));
}

async function startDaemon(t: { after(fn: () => Promise<void> | void): void }, outputs: string) {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-logd-'));
  const env = { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: dir, XDG_CACHE_HOME: join(dir, 'cache'), LIBVIRT_LOG_FILTERS: '2:rpc.server.admin', LIBVIRT_LOG_OUTPUTS: outputs.replaceAll('DIR', dir) };
  const daemon = spawnVirtd(['libvirtd', '--mode', 'session'], env);
  t.after(async () => {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const adminSocket = join(dir, 'libvirt', 'libvirt-admin-sock');
  await waitForListening(daemon, adminSocket);
  return { dir, daemon, adminSocket, pid: daemon.child.pid! };
}

/** One CONNECT_GET_LIB_VERSION call after another, each with the next serial, until stop() is called. */
function callLoop(client: RawClient) {
  let serial = 0;
  let stopping = false;
  const done = (async () => {
    while (!stopping) {
      client.send(Program.Admin, Admin.connectGetLibVersion.proc, voidCodec, undefined, serial);
      const reply = await client.next(5000);
      assert.ok(reply, `a reply to serial ${serial}`);
      serial++;
    }
    return serial;
  })();
  return { sent: () => serial, stop: () => ((stopping = true), done) };
}

test('stderr and file lines are libvirt\'s; logrotate\'s rename + SIGHUP loses no line', async (t) => {
  const { dir, daemon, adminSocket, pid } = await startDaemon(t, '2:file:DIR/libvirtd.log 2:stderr');
  const log = join(dir, 'libvirtd.log');
  const client = await RawClient.connect(adminSocket);
  t.after(() => client.socket.destroy());
  const calls = callLoop(client);
  await until(() => calls.sent() >= 200, { timeoutMs: 20000, message: '200 calls before the rotation' });

  const conf = join(dir, 'logrotate.conf');
  writeFileSync(conf, `${log} {\n  rotate 3\n  nocompress\n  missingok\n  postrotate\n    kill -HUP ${pid}\n  endscript\n}\n`);
  chmodSync(conf, 0o644);
  const rotate = await runTool('logrotate', ['-f', '-s', join(dir, 'logrotate.state'), conf], { timeoutMs: 20000 });
  assert.equal(rotate.code, 0, rotate.stderr);
  const atRotation = calls.sent();
  await until(() => calls.sent() >= atRotation + 200, { timeoutMs: 20000, message: '200 calls after the rotation' });
  const total = await calls.stop();
  client.socket.destroy();
  await daemon.stop(); // SIGTERM: every buffered line is written before the daemon exits
  assert.equal(daemon.exitCode(), 0, daemon.output());

  const before = serialsIn(`${log}.1`, pid);
  const after = serialsIn(log, pid);
  assert.ok(before.length >= 200 && after.length >= 200, `lines on both sides of the rotation: ${before.length} / ${after.length}`);
  assert.deepEqual([...before, ...after], Array.from({ length: total }, (_, i) => i), 'every call logged once, in order, across the two files');
  const onStderr = daemon.output().split('\n').map((l) => RX.exec(l)).filter((m) => m !== null);
  assert.equal(onStderr.length, total, 'the same lines on stderr');
});

test('daemon-log-outputs from the real virt-admin opens the new outputs; a json file parses line by line', async (t) => {
  const { dir, daemon, adminSocket, pid } = await startDaemon(t, '2:file:DIR/first.log');
  const uri = `libvirtd:///session?socket=${adminSocket}`;
  const json = join(dir, 'shipped.json');
  const set = await runTool('virt-admin', ['-c', uri, 'daemon-log-outputs', '--outputs', `2:json:${json} 2:file:${dir}/second.log`], { env: { HOME: dir } });
  assert.equal(set.code, 0, set.stderr);
  const get = await runTool('virt-admin', ['-c', uri, 'daemon-log-outputs'], { env: { HOME: dir } });
  assert.equal(get.stdout, ` Logging outputs: 2:json:${json} 2:file:${dir}/second.log\n\n`);
  const client = await RawClient.connect(adminSocket);
  t.after(() => client.socket.destroy());
  for (let serial = 0; serial < 50; serial++) {
    client.send(Program.Admin, Admin.connectGetLibVersion.proc, voidCodec, undefined, serial);
    assert.ok(await client.next(5000));
  }
  client.socket.destroy();
  await daemon.stop();
  assert.equal(daemon.exitCode(), 0, daemon.output());
  const records = readFileSync(json, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const calls = records.filter((r) => typeof r.msg === 'string' && r.msg.includes('proc=3 '));
  assert.equal(calls.length, 50);
  for (const r of calls) {
    assert.deepEqual([r.level, r.priority, r.pid, r.daemon, r.category], ['info', 2, pid, 'libvirtd', 'rpc.server.admin']);
  }
  assert.deepEqual(serialsIn(join(dir, 'second.log'), pid), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(serialsIn(join(dir, 'first.log'), pid), [], 'the first file was left when the outputs changed');
});
