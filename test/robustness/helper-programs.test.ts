/**
 * Bad input for the programs beyond the admin and remote ones: virtlockd's,
 * virtlogd's and virtproxyd's relay. Each abuse gets libvirt's error or closes
 * only the offending connection; a well-behaved client keeps being answered.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  decodeHeader,
  decodeValue,
  encodeCall,
  errorBody,
  frameBody,
  LockSpace,
  LogManager,
  MessageStatus,
  Program,
  PROGRAM_VERSION,
  Remote,
  voidCodec,
} from '../../src/rpc/index.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { callWithPayload, RawClient } from '../helpers/raw-client.js';
import { spawnVirtd, type VirtdProcess, waitForSocket } from '../helpers/spawn-virtd.js';
import { startVirtd } from '../helpers/virtd.js';

async function errorOf(c: RawClient, bytes: Buffer): Promise<string> {
  c.write(bytes);
  const reply = await c.next();
  assert.ok(reply, 'a reply');
  assert.equal(decodeHeader(reply).status, MessageStatus.Error);
  return decodeValue(errorBody, frameBody(reply)).message;
}

describe('virtlockd under bad input', () => {
  let d: DaemonUnderTest;
  let good: RawClient;
  before(async () => {
    d = await startVirtd('virtlockd');
    good = await RawClient.connect(join(d.runtimeDir, 'virtlockd-sock'));
  });
  after(async () => {
    good.close();
    await d.stop();
  });
  const sock = () => join(d.runtimeDir, 'virtlockd-sock');
  const stillServed = async () => {
    good.write(encodeCall(Program.LockSpace, PROGRAM_VERSION, LockSpace.createLockspace.proc, 1, LockSpace.createLockspace.args, { path: '' }));
    assert.equal(decodeHeader((await good.next())!).status, MessageStatus.Ok, 'the well-behaved client is answered');
  };

  test('truncated and oversized XDR: decode errors, the connection stays', async () => {
    const c = await RawClient.connect(sock());
    // REGISTER with its owner cut off after the uuid.
    assert.equal(await errorOf(c, callWithPayload(Program.LockSpace, LockSpace.register.proc, Buffer.alloc(16, 1))), 'Unable to decode message payload');
    // A resource path claiming 65537 bytes, over the protocol's bound.
    assert.equal(await errorOf(c, callWithPayload(Program.LockSpace, LockSpace.acquireResource.proc, Buffer.from('00010001', 'hex'))), 'Unable to decode message payload');
    assert.equal(c.closed, false);
    c.close();
    await stillServed();
  });

  test('garbage closes only that connection', async () => {
    const c = await RawClient.connect(sock());
    c.write(Buffer.concat([Buffer.from('00000010', 'hex'), randomBytes(64)]));
    assert.equal(await c.waitClosed(), true);
    await stillServed();
  });
});

describe('virtlogd under bad input', () => {
  let d: DaemonUnderTest;
  let dir: string;
  before(async () => {
    d = await startVirtd('virtlogd');
    dir = mkdtempSync(join(tmpdir(), 'virtlogd-bad-'));
  });
  after(async () => {
    await d.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const sock = () => join(d.runtimeDir, 'virtlogd-sock');

  test('a client gone before its log pipe is passed hurts nobody', async () => {
    for (let i = 0; i < 20; i++) {
      const c = await RawClient.connect(sock());
      c.write(encodeCall(Program.LogManager, PROGRAM_VERSION, LogManager.openLogFile.proc, 1, LogManager.openLogFile.args, {
        driver: 'qemu',
        dom: { uuid: Buffer.alloc(16, 2), name: `vm${i}` },
        path: join(dir, `vm${i}.log`),
        flags: 0,
      }));
      c.close();
    }
    const c = await RawClient.connect(sock());
    assert.match(await errorOf(c, encodeCall(Program.LogManager, PROGRAM_VERSION, LogManager.getLogFilePosition.proc, 2, LogManager.getLogFilePosition.args, { path: join(dir, 'none.log'), flags: 0 })), /No open log file/);
    c.close();
  });

  test('a message claiming 5 MiB: decode error; bad flags: libvirt\'s error', async () => {
    const c = await RawClient.connect(sock());
    const long = callWithPayload(Program.LogManager, LogManager.appendLogFile.proc, Buffer.from('00500000', 'hex'));
    assert.equal(await errorOf(c, long), 'Unable to decode message payload');
    const flagged = encodeCall(Program.LogManager, PROGRAM_VERSION, LogManager.getLogFilePosition.proc, 3, LogManager.getLogFilePosition.args, { path: '/x', flags: 8 });
    assert.equal(await errorOf(c, flagged), 'unsupported flags (0x8) in function virLogManagerProtocolDispatchDomainGetLogFilePosition');
    c.close();
  });
});

describe('virtproxyd under bad input and a broken target', () => {
  let dir: string;
  let proxy: VirtdProcess;
  const sockets = () => join(dir, 'sockets');
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'virtproxyd-bad-'));
    writeFileSync(join(dir, 'virtproxyd.conf'), `unix_sock_dir = "${sockets()}"\nlog_outputs = "3:file:${join(dir, 'proxy.log')}"\n`);
    proxy = spawnVirtd(['virtproxyd', '--mode', 'system', '-f', join(dir, 'virtproxyd.conf'), '-p', join(dir, 'proxy.pid')], { PATH: process.env.PATH, HOME: dir });
    await waitForSocket(proxy, join(sockets(), 'libvirt-admin-sock'));
  });
  after(async () => {
    await proxy.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a call before CONNECT_OPEN is an error, not a hang', async () => {
    const c = await RawClient.connect(join(sockets(), 'libvirt-sock'));
    await c.remoteCall(Remote.authList.proc);
    assert.equal(await errorOf(c, encodeCall(Program.Remote, PROGRAM_VERSION, Remote.connectGetType.proc, 3, voidCodec, undefined)), 'internal error: hypervisor connection not open');
    c.close();
  });

  test('a target that answers garbage: that client is closed, the proxy serves the next', async () => {
    // A fake virtsecretd that answers every connection with noise.
    const fake = createServer((s) => s.end(Buffer.concat([Buffer.from('00000008', 'hex'), randomBytes(32)]))).listen(join(sockets(), 'virtsecretd-sock'));
    await new Promise((r) => fake.once('listening', r));
    try {
      const c = await RawClient.connect(join(sockets(), 'libvirt-sock'));
      await c.remoteCall(Remote.authList.proc);
      const open = encodeCall(Program.Remote, PROGRAM_VERSION, Remote.connectOpen.proc, 5, Remote.connectOpen.args, { name: 'secret:///system', flags: 0 });
      assert.equal(await errorOf(c, open), 'internal error: client socket is closed');
      c.close();
    } finally {
      fake.close();
    }
    const next = await RawClient.connect(join(sockets(), 'libvirt-sock'));
    const types = await next.remoteCall(Remote.authList.proc);
    assert.ok(types, 'the proxy still answers');
    next.close();
  });
});
