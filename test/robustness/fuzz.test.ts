/**
 * A structure-aware fuzzer against our daemons' programs (admin, remote,
 * keepalive, virtlogd's, virtlockd's), seeded by real calls from libvirt's
 * captures, with a well-behaved admin client beside it the whole time
 * (issue 16). The daemons must not crash or stall (no good call over 1 s),
 * and when the fuzzing stops every trace of it must go: the client lists,
 * the open descriptors, and the servers' counters come back to exactly what
 * they were before. A run is reproducible from the seed it prints
 * (FUZZ_SEED=…; FUZZ_CASES=… to run more).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { asUser, ensureTestUser, REPO_ROOT } from '../helpers/tools.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

const FUZZ = join(REPO_ROOT, 'dist', 'test', 'robustness', 'fuzz');
const CASES = Number(process.env.FUZZ_CASES ?? 50000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 0x7fffffff));

/** What the fuzzing must leave as it found it, for one daemon. */
async function snapshot(d: DaemonUnderTest, servers: string[]): Promise<Record<string, string>> {
  // Descriptors first, while no virt-admin of ours is connected.
  const snap: Record<string, string> = { fds: String(readdirSync(`/proc/${d.pid}/fd`).length) };
  for (const server of servers) {
    const ids = (await d.virtAdmin(['-q', 'client-list', server])).stdout.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
    // On the admin server the newest client is the virt-admin asking.
    snap[`${server} clients`] = (server === 'admin' ? ids.slice(0, -1) : ids).join(',');
    const info = (await d.virtAdmin(['srv-clients-info', server])).stdout;
    snap[`${server} counters`] = info.split('\n').filter((l) => /^nclients(_unauth)? /.test(l)).join(';');
    const pool = (await d.virtAdmin(['srv-threadpool-info', server])).stdout;
    const field = (name: string) => Number(new RegExp(`^${name}\\s*: (\\d+)`, 'm').exec(pool)?.[1]);
    // Workers the pool grew stay (as libvirt's threads do); busy ones and queued jobs must not.
    snap[`${server} busy`] = String(field('nWorkers') - field('freeWorkers'));
    snap[`${server} queued`] = String(field('jobQueueDepth'));
  }
  return snap;
}

function startAsUser(script: string, args: string[]) {
  const [file, argv] = asUser(process.execPath, [join(FUZZ, script), ...args], ensureTestUser().name, {});
  const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, out: () => out, exited };
}

test(`fuzzing admin, remote, keepalive, virtlogd and virtlockd (${CASES} cases, seed ${SEED})`, { timeout: 300000 }, async (t) => {
  t.diagnostic(`reproduce with FUZZ_SEED=${SEED} FUZZ_CASES=${CASES}`);
  const user = ensureTestUser();
  const [libvirtd, virtlogd, virtlockd] = await Promise.all(['libvirtd', 'virtlogd', 'virtlockd'].map((k) => startVirtd(k, { asTestUser: true })));
  const daemons = [
    { d: libvirtd!, servers: ['libvirtd', 'admin'] },
    { d: virtlogd!, servers: ['virtlogd', 'admin'] },
    { d: virtlockd!, servers: ['virtlockd', 'admin'] },
  ];
  t.after(() => Promise.all(daemons.map(({ d }) => d.stop())));
  const dir = mkdtempSync(join(tmpdir(), 'virtd-fuzz-'));
  chownSync(dir, user.uid, user.gid);
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  const good = daemons.map(({ d }) => startAsUser('good-client.js', [d.adminSocket]));
  await until(() => good.every((g) => g.out().includes('ready')), { timeoutMs: 10000, message: 'the good clients' });
  const before = await Promise.all(daemons.map(({ d, servers }) => snapshot(d, servers)));

  const runner = startAsUser('fuzz-runner.js', [
    JSON.stringify({
      targets: [
        { kind: 'admin', socket: libvirtd!.adminSocket },
        { kind: 'remote', socket: libvirtd!.mainSocket },
        { kind: 'admin', socket: virtlogd!.adminSocket },
        { kind: 'logd', socket: virtlogd!.mainSocket },
        { kind: 'lockd', socket: virtlockd!.mainSocket },
      ],
      cases: CASES,
      seed: SEED,
      dir,
      concurrency: 24,
    }),
  ]);
  await runner.exited;
  const fuzzed = JSON.parse(runner.out().trim().split('\n').at(-1)!);
  t.diagnostic(`fuzzer: ${JSON.stringify(fuzzed)}`);
  assert.ok(fuzzed.cases >= CASES, runner.out());

  for (const g of good) g.child.stdin.end();
  await Promise.all(good.map((g) => g.exited));
  for (const [i, g] of good.entries()) {
    const s = JSON.parse(g.out().trim().split('\n').at(-1)!);
    t.diagnostic(`good client of ${daemons[i]!.servers[0]}: ${JSON.stringify(s)}`);
    assert.equal(s.failures, 0, `${daemons[i]!.servers[0]}: a good call failed`);
    assert.ok(s.maxMs < 1000, `${daemons[i]!.servers[0]}: a good call took ${s.maxMs} ms`);
  }
  for (const { d } of daemons) assert.ok(existsSync(`/proc/${d.pid}`), `${d.adminSocket}: the daemon died\n${d.logs().slice(-2000)}`);

  // The good clients are gone too (one admin client and one descriptor each); everything else
  // must be back to exactly what it was.
  for (const [i, { d, servers }] of daemons.entries()) {
    const want = {
      ...before[i]!,
      fds: String(Number(before[i]!.fds) - 1),
      'admin clients': '',
      'admin counters': before[i]!['admin counters']!.replace(/^(nclients\s+: )(\d+)/, (_m, label: string, n: string) => `${label}${Number(n) - 1}`),
    };
    let last: Record<string, string> = {};
    await until(async () => {
      last = await snapshot(d, servers);
      return JSON.stringify(last) === JSON.stringify(want);
    }, { timeoutMs: 15000 }).catch(() => undefined);
    assert.deepEqual(last, want, `${servers[0]}: what the fuzzing left behind`);
  }
});
