/**
 * virtd virtlockd serves libvirt's lock protocol: the real virtlockd 9.0's
 * capture replayed byte for byte, leases that exclude and stack as POSIX
 * locks, autocreated files removed on release, and an owner that loses its
 * connection while holding leases killed and its leases freed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeHeader, decodeValue, encodeCall, errorBody, frameBody, LockAcquire, LockSpace, MessageStatus, Program, PROGRAM_VERSION } from '../../src/rpc/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { REPO_ROOT } from '../helpers/tools.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { replayGolden } from '../robustness/replay.js';

/** Replaces every occurrence of `from` in a frame with `to` (same length, so lengths and padding hold). */
function replaceBytes(frame: Buffer, from: string, to: string): Buffer {
  assert.equal(from.length, to.length);
  const out = Buffer.from(frame);
  for (let at = out.indexOf(from); at !== -1; at = out.indexOf(from, at + 1)) out.write(to, at);
  return out;
}

class LockClient {
  #serial = 1;
  constructor(readonly c: RawClient) {}
  static async open(socket: string): Promise<LockClient> {
    return new LockClient(await RawClient.connect(socket));
  }
  async call<A>(spec: { proc: number; args: unknown }, args: A): Promise<string> {
    this.c.write(encodeCall(Program.LockSpace, PROGRAM_VERSION, spec.proc, this.#serial++, spec.args as never, args));
    const reply = (await this.c.next())!;
    return decodeHeader(reply).status === MessageStatus.Ok ? 'ok' : decodeValue(errorBody, frameBody(reply)).message;
  }
  register(pid: number) {
    return this.call(LockSpace.register, { owner: { uuid: Buffer.alloc(16, 1), name: `owner${pid}`, id: 1, pid }, flags: 0 });
  }
}

describe('virtd virtlockd', () => {
  let d: DaemonUnderTest;
  let dir: string;
  const socket = () => join(d.runtimeDir, 'virtlockd-sock');
  before(async () => {
    d = await startVirtd('virtlockd');
    dir = mkdtempSync('/tmp/vl');
  });
  after(async () => {
    await d?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("libvirt 9.0's capture replays byte for byte (paths moved to a temp dir of the same length)", async () => {
    assert.equal(dir.length, 13);
    const rewrite = (f: Buffer) => replaceBytes(replaceBytes(f, '/tmp/rhome/nolockspace', `${dir}/nolocksp`), '/tmp/rhome/locks', `${dir}/lk`);
    await replayGolden('virtlockd/virtlockd_proto.hex', socket(), undefined, rewrite);
    assert.equal(existsSync(join(dir, 'lk')), true, 'the lockspace directory was made');
  });

  test('exclusive leases exclude, shared ones stack, autocreated files go with the last release', async () => {
    const a = await LockClient.open(socket());
    const b = await LockClient.open(socket());
    assert.equal(await a.register(1001), 'ok');
    assert.equal(await b.register(1002), 'ok');
    const space = join(dir, 'space');
    assert.equal(await a.call(LockSpace.createLockspace, { path: space }), 'ok');
    const acquire = (c: LockClient, name: string, flags: number) => c.call(LockSpace.acquireResource, { path: space, name, flags });
    const release = (c: LockClient, name: string) => c.call(LockSpace.releaseResource, { path: space, name, flags: 0 });
    assert.equal(await acquire(a, 'disk1', LockAcquire.AutoCreate), 'ok');
    assert.equal(await acquire(b, 'disk1', LockAcquire.AutoCreate), "resource busy: Lockspace resource 'disk1' is locked");
    assert.equal(existsSync(join(space, 'disk1')), true);
    assert.equal(await release(b, 'disk1'), 'internal error: owner 1002 does not hold the resource lock');
    assert.equal(await release(a, 'disk1'), 'ok');
    assert.equal(existsSync(join(space, 'disk1')), false, 'autocreated file removed');
    assert.equal(await acquire(b, 'disk1', LockAcquire.AutoCreate), 'ok');
    assert.equal(await release(b, 'disk1'), 'ok');

    const shared = LockAcquire.AutoCreate | LockAcquire.Shared;
    assert.equal(await acquire(a, 'iso', shared), 'ok');
    assert.equal(await acquire(b, 'iso', shared), 'ok');
    assert.equal(await acquire(b, 'iso', LockAcquire.AutoCreate), "resource busy: Lockspace resource 'iso' is locked");
    assert.equal(await release(a, 'iso'), 'ok');
    assert.equal(existsSync(join(space, 'iso')), true, 'still held by b');
    assert.equal(await release(b, 'iso'), 'ok');
    assert.equal(await a.call(LockSpace.new, { path: '', flags: 0 }), 'Requested operation is not valid: the default lockspace already exists');
    assert.equal(await a.call(LockSpace.new, { path: space, flags: 0 }), `internal error: Lockspace for path ${space} already exists`);
    a.c.close();
    b.c.close();
  });

  test('an owner that loses its connection while holding a lease is killed, and the lease freed', async () => {
    const space = join(dir, 'guests');
    const holder = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'test', 'helpers', 'lock-holder.js'), socket(), space, 'vm-disk']);
    let out = '';
    holder.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => holder.once('exit', (_code, signal) => resolve(signal)));
    await until(() => out.includes('held'), { message: `the holder's lease; output: ${out}` });
    assert.equal(await Promise.race([exited, new Promise((r) => setTimeout(() => r('still alive'), 5000))]), 'SIGTERM');
    const other = await LockClient.open(socket());
    assert.equal(await other.register(4242), 'ok');
    assert.equal(await other.call(LockSpace.acquireResource, { path: space, name: 'vm-disk', flags: LockAcquire.AutoCreate }), 'ok', 'the lease is free again');
    other.c.close();
  });
});
