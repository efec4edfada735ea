/**
 * Slow clients (issue 16): libvirt, and we by default, let a client hold a
 * half-sent packet or stay unauthenticated for ever, each one holding a slot.
 * Our own keys client_packet_timeout and client_auth_timeout put a limit on
 * that: 1,000 slowloris connections are reaped in time while a good client's
 * calls stay as quick as before, and the drops are logged without a line each.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { Admin, encodeCall, Program, PROGRAM_VERSION, Remote, voidCodec } from '../../src/rpc/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

/** Connects argv[2] N times, sends 10 bytes of a 28-byte call on each, then waits for the daemon to close them all. */
const SLOW_CLIENTS = `
  const [path, n] = process.argv.slice(1);
  let open = 0, closed = 0;
  for (let i = 0; i < Number(n); i++) {
    const s = require('net').connect(path, () => {
      s.write(Buffer.from([0, 0, 0, 28, 0x20, 0x00, 0x80, 0x86, 0, 0]));
      if (++open === Number(n)) console.log('connected');
    });
    s.on('error', () => {});
    s.on('close', () => { if (++closed === Number(n)) console.log('all closed'); });
  }
`;

/** p99 of `n` admin round trips on one connection, in ms. */
async function p99(client: RawClient, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    client.send(Program.Admin, Admin.connectListServers.proc, Admin.connectListServers.args, { needResults: 1, flags: 0 });
    assert.ok(await client.next(5000));
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(n * 0.99)]!;
}

describe('slow clients', () => {
  test('client_packet_timeout = 2: 1,000 connections each holding part of a packet are reaped; the good client does not notice', async (t) => {
    const d = await startVirtd('libvirtd', { config: 'client_packet_timeout = 2\n' });
    t.after(() => d.stop());
    const good = await RawClient.connect(d.adminSocket);
    t.after(() => good.close());
    const before = await p99(good, 200);

    // The slow clients live in a process of their own: a thousand closes landing in this one
    // would delay the good client's replies here and be charged to the daemon.
    const slow = spawn(process.execPath, ['-e', SLOW_CLIENTS, d.mainSocket, '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => slow.kill());
    let said = '';
    slow.stdout.setEncoding('utf8').on('data', (s: string) => (said += s));
    await until(() => said.includes('connected'), { timeoutMs: 30000, message: '1,000 slow clients connected' });
    const started = Date.now();
    const during = await p99(good, 200);
    await until(() => said.includes('all closed'), { timeoutMs: 8000, message: 'the slow clients reaped' });
    const reapedAfter = Date.now() - started;
    assert.ok(reapedAfter < 6000, `reaped ${reapedAfter} ms after the last connected`);
    assert.ok(during < Math.max(2 * before, before + 10), `good client p99 ${during.toFixed(1)} ms during, ${before.toFixed(1)} ms before`);
    const lines = d.logs().split('\n').filter((l) => l.includes('held an incomplete packet'));
    assert.match(lines[0] ?? '', /disconnected a client of libvirtd that held an incomplete packet for 2 s \(client_packet_timeout\): client \d+, 10 bytes received/);
    assert.ok(lines.length <= 2, `${lines.length} log lines for 1,000 drops`);
  });

  test('a client sending a packet in pieces within the limit is served, packet after packet', async (t) => {
    const d = await startVirtd('libvirtd', { config: 'client_packet_timeout = 1\n' });
    t.after(() => d.stop());
    const c = await RawClient.connect(d.mainSocket);
    const call = encodeCall(Program.Remote, PROGRAM_VERSION, Remote.authList.proc, 1, voidCodec, undefined);
    for (let round = 0; round < 3; round++) {
      // Three pieces 300 ms apart: each packet is whole 600 ms after it began.
      for (const piece of [call.subarray(0, 5), call.subarray(5, 17), call.subarray(17)]) {
        c.write(piece);
        await new Promise((r) => setTimeout(r, 300));
      }
      assert.ok(await c.next(2000), `round ${round} answered`);
    }
    assert.equal(c.closed, false);
    c.close();
  });

  test('client_auth_timeout = 1: a client that never authenticates on a polkit socket is disconnected', async (t) => {
    const d = await startVirtd('libvirtd', { config: 'auth_unix_rw = "polkit"\nclient_auth_timeout = 1\n', asTestUser: true });
    t.after(() => d.stop());
    const lingering = await d.run(process.execPath, ['-e', `
      const s = require('net').connect(${JSON.stringify(d.mainSocket)});
      const t0 = Date.now();
      s.on('close', () => { console.log('closed after', Date.now() - t0); process.exit(0); });
      setTimeout(() => { console.log('still open'); process.exit(0); }, 4000);
    `], 10000);
    assert.match(lingering.stdout, /closed after (\d+)/);
    const ms = Number(/closed after (\d+)/.exec(lingering.stdout)![1]);
    assert.ok(ms >= 900 && ms < 2500, `closed after ${ms} ms`);
    assert.match(d.logs(), /disconnected a client of libvirtd that did not authenticate within 1 s \(client_auth_timeout\)/);
  });
});
