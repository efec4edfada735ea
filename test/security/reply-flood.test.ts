/**
 * A local user who writes and never reads must not make a root daemon buffer
 * without bound (issue 17, item 1). Our system-mode libvirtd, its read-only
 * socket open to everyone (0777), is flooded by the unprivileged test user
 * with 2M calls of each kind that is answered before dispatch; the daemon must
 * stop reading that client once its answers back up, keep its memory, and
 * keep serving everyone else, the operator's admin socket above all. An event
 * subscriber that stops reading is dropped instead of buffered for.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXTENSION_PROGRAM, Extension, frameBody, decodeValue, Remote, voidCodec } from '../../src/rpc/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { spawnVirtd, type VirtdProcess, waitForSocket } from '../helpers/spawn-virtd.js';
import { asUser, ensureTestUser, REPO_ROOT, runTool } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

const FLOODER = join(REPO_ROOT, 'dist', 'test', 'helpers', 'flood-client.js');
const RSS_LIMIT_KB = 80 * 1024;

function memoryKb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

/** Starts the flooder as the test user; resolves with its report once it stops writing. */
function flood(socket: string, kind: string, count: number) {
  const user = ensureTestUser();
  const [file, argv] = asUser(process.execPath, [FLOODER, socket, kind, String(count)], user.name, {});
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const report = new Promise<{ sent: number; blocked: boolean; error?: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
    });
    child.once('exit', (code) => reject(new Error(`flooder exited ${code} before reporting`)));
  });
  return { child, report };
}

describe('a client that never reads its replies (system mode, read-only socket, unprivileged flooder)', () => {
  let dir: string;
  let daemon: VirtdProcess;
  const sock = (name: string) => join(dir, 'sockets', name);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'virtd-flood-'));
    chmodSync(dir, 0o755); // the flooder, another user, must reach the 0777 read-only socket
    writeFileSync(join(dir, 'libvirtd.conf'), `unix_sock_dir = "${join(dir, 'sockets')}"\nlog_outputs = "3:file:${join(dir, 'libvirtd.log')}"\n`);
    daemon = spawnVirtd(['libvirtd', '--mode', 'system', '-f', join(dir, 'libvirtd.conf'), '-p', join(dir, 'libvirtd.pid')], { PATH: process.env.PATH, HOME: dir });
    await waitForSocket(daemon, sock('libvirt-admin-sock'));
  });
  after(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // Each of these is answered with an error before any procedure runs, which is where the
  // replies used to escape max_client_requests.
  for (const kind of ['get-type', 'unknown-program', 'ping']) {
    test(`2M ${kind} frames: the daemon stops reading, stays under 80 MB and keeps serving others`, async (t) => {
      const { child, report } = flood(sock('libvirt-sock-ro'), kind, 2_000_000);
      t.after(() => child.kill('SIGKILL'));
      const r = await report;
      assert.equal(r.error, undefined);
      assert.equal(r.blocked, true, `the daemon read all ${r.sent} frames of a client that never reads`);
      assert.ok(r.sent < 2_000_000);

      const mem = memoryKb(daemon.child.pid!);
      assert.ok(mem.peak < RSS_LIMIT_KB, `daemon peak RSS ${mem.peak} kB`);

      // The operator gets in, and another client of the same socket is answered.
      const started = Date.now();
      const admin = await runTool('virt-admin', ['-c', `libvirtd:///system?socket=${sock('libvirt-admin-sock')}`, 'server-list'], { timeoutMs: 5000 });
      assert.equal(admin.code, 0, admin.stderr);
      assert.match(admin.stdout, /libvirtd/);
      const other = await RawClient.connect(sock('libvirt-sock-ro'));
      const reply = await other.remoteCall(Remote.authList.proc, 2000);
      assert.ok(reply, 'another client of the flooded socket was not answered');
      assert.ok(Date.now() - started < 3000, `others waited ${Date.now() - started} ms`);
      other.close();

      child.kill('SIGKILL');
      await until(async () => !(await runTool('virt-admin', ['-c', `libvirtd:///system?socket=${sock('libvirt-admin-sock')}`, 'client-list', 'libvirtd'])).stdout.includes('unix'), {
        timeoutMs: 5000,
        message: 'the flooder to be gone from client-list',
      });
    });
  }

  test('an event subscriber that stops reading is disconnected, not buffered for', async () => {
    const sub = await RawClient.connect(sock('libvirt-admin-sock'));
    sub.send(EXTENSION_PROGRAM, Extension.subscribeClientEvents.proc, voidCodec, undefined);
    const ack = await sub.next();
    assert.ok(ack);
    decodeValue(Extension.subscribeClientEvents.ret, frameBody(ack));
    sub.socket.pause();

    // Every connect and disconnect on the main socket is an event for the subscriber.
    const logFile = join(dir, 'libvirtd.log');
    const dropped = () => readFileSync(logFile, 'utf8').includes('that left 256 KiB of events unread');
    let churned = 0;
    const deadline = Date.now() + 60_000;
    while (!dropped() && Date.now() < deadline) {
      await Promise.all(
        Array.from({ length: 100 }, () => new Promise<void>((resolve) => {
          const s = connect(sock('libvirt-sock'));
          s.on('connect', () => s.destroy());
          s.on('error', () => resolve());
          s.on('close', () => resolve());
        })),
      );
      churned += 100;
    }
    assert.ok(dropped(), `the subscriber was still connected after ${churned} connections`);
    const mem = memoryKb(daemon.child.pid!);
    assert.ok(mem.peak < RSS_LIMIT_KB, `daemon peak RSS ${mem.peak} kB after ${churned} connections`);
    sub.socket.resume();
    assert.equal(await sub.waitClosed(10000), true);
  });
});
