/**
 * `npm run bench -- daemons`: our `virtd libvirtd` beside Debian's libvirtd 9.0 and
 * beside Node's own floor (bare Node programs doing the least the same job needs), in
 * one run, on this machine. Both daemons run in session mode as the unprivileged test
 * user, as does every load process. Figures drift between machines and runs: the
 * targets (issues 15 and 16) are ratios within the run, medians of interleaved rounds.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DaemonUnderTest } from '../test/helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../test/helpers/real-libvirtd.js';
import { asUser, ensureTestUser, REPO_ROOT, VIRTD_BIN } from '../test/helpers/tools.js';
import { startVirtd } from '../test/helpers/virtd.js';
import { type Figure, median, printFigures } from './figures.js';

const LOAD = join(REPO_ROOT, 'dist', 'bench', 'daemon-load.js');
const ECHO = join(REPO_ROOT, 'dist', 'bench', 'echo-server.js');
/** The Node options on virtd's #! line: the floor runs with them too, so it is the same runtime. */
const VIRTD_NODE_OPTIONS = readFileSync(VIRTD_BIN, 'utf8').split('\n', 1)[0]!.split(/\s+/).slice(3);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10000);
const BURST = Number(process.env.BENCH_BURST ?? 10000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const IDLE_SECONDS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Room for the idle clients, so neither daemon turns them away by policy. */
const ROOM = `max_clients = ${CLIENTS + 1000}\nmax_anonymous_clients = 20\n`;

type Name = 'virtd' | 'libvirtd';
const START: Record<Name, (config?: string) => Promise<DaemonUnderTest>> = {
  virtd: (config) => startVirtd('libvirtd', { config, asTestUser: true }),
  libvirtd: (config) => startRealLibvirtd({ config }),
};

function rssKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

/**
 * RSS once the daemon has gone quiet: read each second until it has not moved by more than 1%
 * over the last 12 s (at most 60 s). V8 gives memory back some seconds after the last
 * allocation (its memory reducer starts about 8 s after a daemon goes idle); a reading taken
 * before that would charge the collector's lag to the daemon.
 */
async function settledRssKiB(pid: number): Promise<number> {
  const WINDOW = 12;
  const readings = [rssKiB(pid)];
  for (let i = 0; i < 60; i++) {
    await sleep(1000);
    readings.push(rssKiB(pid));
    const recent = readings.slice(-WINDOW - 1);
    if (recent.length > WINDOW && Math.max(...recent) - Math.min(...recent) <= recent.at(-1)! / 100) break;
  }
  return readings.at(-1)!;
}

/** CPU seconds (user + system) the process has used. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU percent of one core the process uses over `seconds`, once its memory has settled (see above). */
async function idleCpuPercent(pid: number, seconds: number): Promise<number> {
  await settledRssKiB(pid);
  const cpu0 = cpuSeconds(pid);
  await sleep(seconds * 1000);
  return ((cpuSeconds(pid) - cpu0) / seconds) * 100;
}

/** A load phase as the daemon's user; `onWord` runs at each word it prints and may make it go on. */
async function load(user: string, args: string[], onWord: (word: string) => Promise<void> = async () => {}): Promise<Record<string, number>> {
  const [file, argv] = asUser(process.execPath, [LOAD, ...args], user, {});
  const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  let result: Record<string, number> | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.startsWith('{')) result = JSON.parse(line);
    else {
      await onWord(line);
      child.stdin!.write('go\n');
    }
  }
  if (!result) throw new Error(`load ${args[0]} gave no figures`);
  return result;
}

/** A scratch directory the test user owns. */
function userDir(): string {
  const user = ensureTestUser();
  const dir = mkdtempSync(join(tmpdir(), 'virtd-bench-'));
  chmodSync(dir, 0o755);
  chownSync(dir, user.uid, user.gid);
  return dir;
}

const accepts = (path: string) =>
  new Promise<boolean>((resolve) => {
    const s = connect(path);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** Spawn to the admin socket accepting, polled as fast as the loop turns (no sleep quantum). */
async function timeStart(cmd: string, args: (dir: string) => string[], socket: (dir: string) => string): Promise<number> {
  const user = ensureTestUser();
  const dir = userDir();
  const run = join(dir, 'run');
  mkdirSync(run, { mode: 0o700 });
  chownSync(run, user.uid, user.gid);
  const env = { HOME: dir, XDG_RUNTIME_DIR: run, XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache'), LIBVIRT_AUTOSTART: '0' };
  const [file, argv] = asUser(cmd, args(dir), user.name, env);
  const t0 = performance.now();
  const child = spawn(file, argv, { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  while (!(await accepts(socket(dir)))) {
    if (exited) throw new Error(`${cmd} ${args(dir).join(' ')} exited before its socket accepted`);
    await new Promise((r) => setImmediate(r));
  }
  const ms = performance.now() - t0;
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

/** Node's floor: the echo server, as the test user, in a directory of its own. */
async function startEcho(): Promise<{ socket: string; pid: number; stop: () => void }> {
  const dir = userDir();
  const socket = join(dir, 'echo.sock');
  const [file, argv] = asUser(process.execPath, [...VIRTD_NODE_OPTIONS, ECHO, socket], ensureTestUser().name, {});
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout! })) if (line === 'READY') break;
  return { socket, pid: child.pid!, stop: () => (child.kill(), rmSync(dir, { recursive: true, force: true })) };
}

export async function daemonFigures(): Promise<{ figures: Figure[]; raw: Record<string, unknown> }> {
  const user = ensureTestUser().name;
  const raw: Record<string, unknown> = {};

  // 1. Start-up, interleaved rounds: ours, libvirtd's, a bare Node listener, `node -e 0`.
  const starts: Record<string, number[]> = { virtd: [], libvirtd: [], nodeListener: [], nodeE0: [] };
  for (let i = 0; i < ROUNDS; i++) {
    starts.virtd!.push(await timeStart(VIRTD_BIN, () => ['libvirtd', '--mode', 'session'], (d) => join(d, 'run', 'libvirt', 'libvirt-admin-sock')));
    starts.libvirtd!.push(await timeStart('/usr/sbin/libvirtd', () => [], (d) => join(d, 'run', 'libvirt', 'libvirt-admin-sock')));
    starts.nodeListener!.push(await timeStart(process.execPath, (d) => [...VIRTD_NODE_OPTIONS, ECHO, join(d, 'echo.sock')], (d) => join(d, 'echo.sock')));
    const t0 = performance.now();
    await new Promise((r) => spawn(process.execPath, ['-e', '0'], { env: {} }).once('exit', r));
    starts.nodeE0!.push(performance.now() - t0);
  }
  raw.startMs = starts;

  // 2. Calls: round trips and 32 in flight, rounds alternating between the two daemons and the floor.
  const daemons = { virtd: await START.virtd(ROOM), libvirtd: await START.libvirtd(ROOM) };
  const echo = await startEcho();
  // The floor's idle memory before it has served anything, as the daemons' is read after start.
  const echoIdleKiB = await settledRssKiB(echo.pid);
  const calls: Record<string, Record<string, number>[]> = { virtd: [], libvirtd: [], node: [] };
  try {
    for (let i = 0; i < ROUNDS; i++) {
      for (const name of ['virtd', 'libvirtd'] as const) calls[name]!.push(await load(user, ['calls', daemons[name].adminSocket]));
      calls.node!.push(await load(user, ['calls', echo.socket]));
    }
    raw.calls = calls;

    // 3. Idle clients: memory per client, CPU while idle, client-list of them all.
    const idle: Record<string, Record<string, number>> = {};
    for (const name of ['virtd', 'libvirtd'] as const) {
      const d = daemons[name];
      const before = rssKiB(d.pid);
      let perClient = 0;
      let cpuPercent = 0;
      const r = await load(user, ['idle', d.adminSocket, d.mainSocket, String(CLIENTS)], async (word) => {
        if (word.startsWith('READY')) perClient = (rssKiB(d.pid) - before) / Number(word.split(' ')[1]);
        if (word === 'IDLE') cpuPercent = await idleCpuPercent(d.pid, IDLE_SECONDS);
      });
      idle[name] = { ...r, rssPerClientKiB: perClient, idleCpuPercent: cpuPercent };
    }
    const echoBefore = rssKiB(echo.pid);
    let echoPerClient = 0;
    await load(user, ['idle', echo.socket, echo.socket, String(CLIENTS)], async (word) => {
      if (word.startsWith('READY')) echoPerClient = (rssKiB(echo.pid) - echoBefore) / Number(word.split(' ')[1]);
    });
    idle.node = { rssPerClientKiB: echoPerClient, idleKiB: echoIdleKiB };
    raw.idle = idle;
  } finally {
    echo.stop();
    await Promise.all(Object.values(daemons).map((d) => d.stop()));
  }

  // 4. Bursts of simultaneous connects: default limits, and max_queued_clients raised.
  const bursts: Record<string, Record<string, number>> = {};
  for (const [label, config] of [['default', undefined], ['raised', `max_queued_clients = ${BURST}\nmax_clients = ${BURST + 100}\n`]] as const) {
    for (const name of ['virtd', 'libvirtd'] as const) {
      const d = await START[name](config);
      try {
        bursts[`${name} ${label}`] = await load(user, ['burst', d.mainSocket, String(BURST)]);
      } finally {
        await d.stop();
      }
    }
  }
  raw.bursts = bursts;

  // 5. Memory: idle after start, and whether it settles under churn (issue 16).
  const memory: Record<string, Record<string, number>> = {};
  for (const name of ['virtd', 'libvirtd'] as const) {
    const d = await START[name](ROOM);
    try {
      const idleKiB = await settledRssKiB(d.pid);
      let settledKiB = 0;
      await load(user, ['churn', d.mainSocket, '19000', '100000'], async () => {
        settledKiB = await settledRssKiB(d.pid);
      });
      memory[name] = { idleKiB, settledKiB, afterKiB: await settledRssKiB(d.pid) };
    } finally {
      await d.stop();
    }
  }
  raw.memory = memory;

  const m = (xs: number[]) => median(xs);
  const callsOf = (name: string, key: string) => m(calls[name]!.map((c) => c[key]!));
  const idleOf = raw.idle as Record<string, Record<string, number>>;
  const figures: Figure[] = [
    { measure: 'start to admin socket accepting (median)', unit: 'ms', virtd: m(starts.virtd!), libvirtd: m(starts.libvirtd!), nodeFloor: m(starts.nodeListener!), target: '<= 1.0x libvirtd', met: m(starts.virtd!) <= m(starts.libvirtd!) },
    { measure: '`node -e 0` (Node itself, for reference)', unit: 'ms', virtd: m(starts.nodeE0!), target: 'reference', met: true },
    { measure: 'admin round trip, one at a time (median)', unit: 'us', virtd: callsOf('virtd', 'rttMedianUs'), libvirtd: callsOf('libvirtd', 'rttMedianUs'), nodeFloor: callsOf('node', 'rttMedianUs'), target: '<= 1.3x Node floor', met: callsOf('virtd', 'rttMedianUs') <= 1.3 * callsOf('node', 'rttMedianUs') },
    { measure: 'admin calls/s, 32 in flight', unit: '/s', virtd: callsOf('virtd', 'callsPerSec32InFlight'), libvirtd: callsOf('libvirtd', 'callsPerSec32InFlight'), nodeFloor: callsOf('node', 'callsPerSec32InFlight'), target: '>= 4x libvirtd', met: callsOf('virtd', 'callsPerSec32InFlight') >= 4 * callsOf('libvirtd', 'callsPerSec32InFlight') },
    { measure: `client-list with ${CLIENTS} clients (median)`, unit: 'ms', virtd: idleOf.virtd!.clientListMs!, libvirtd: idleOf.libvirtd!.clientListMs!, target: '<= 1.0x libvirtd', met: idleOf.virtd!.clientListMs! <= idleOf.libvirtd!.clientListMs! },
    { measure: 'RSS per idle client', unit: 'KiB', virtd: idleOf.virtd!.rssPerClientKiB!, libvirtd: idleOf.libvirtd!.rssPerClientKiB!, nodeFloor: idleOf.node!.rssPerClientKiB!, target: '<= 1.25x Node floor', met: idleOf.virtd!.rssPerClientKiB! <= 1.25 * idleOf.node!.rssPerClientKiB! },
    { measure: `CPU while ${CLIENTS} clients idle, ${IDLE_SECONDS} s once settled`, unit: '%', virtd: idleOf.virtd!.idleCpuPercent!, libvirtd: idleOf.libvirtd!.idleCpuPercent!, target: 'none (< 1% of a core)', met: idleOf.virtd!.idleCpuPercent! < 1 },
    { measure: `${BURST} simultaneous connects, default limits: refused`, unit: '', virtd: bursts['virtd default']!.refused!, libvirtd: bursts['libvirtd default']!.refused!, target: "<= libvirtd's", met: bursts['virtd default']!.refused! <= bursts['libvirtd default']!.refused! },
    { measure: `${BURST} connects, max_queued_clients ${BURST}: refused`, unit: '', virtd: bursts['virtd raised']!.refused!, libvirtd: bursts['libvirtd raised']!.refused!, target: 'none', met: bursts['virtd raised']!.refused! === 0 },
    { measure: 'idle RSS of a daemon, no clients', unit: 'MiB', virtd: memory.virtd!.idleKiB! / 1024, libvirtd: memory.libvirtd!.idleKiB! / 1024, nodeFloor: idleOf.node!.idleKiB! / 1024, target: '<= 45 MiB', met: memory.virtd!.idleKiB! <= 45 * 1024 },
    {
      measure: 'RSS after 20,000 connects and 100,000 calls',
      unit: '% over',
      virtd: (memory.virtd!.afterKiB! / memory.virtd!.settledKiB! - 1) * 100,
      libvirtd: (memory.libvirtd!.afterKiB! / memory.libvirtd!.settledKiB! - 1) * 100,
      target: 'within 10% of after the first 1,000',
      met: memory.virtd!.afterKiB! <= 1.1 * memory.virtd!.settledKiB!,
    },
  ];
  return { figures, raw };
}

export async function daemonsBench(): Promise<{ figures: Figure[]; raw: Record<string, unknown> }> {
  const result = await daemonFigures();
  printFigures(`virtd libvirtd, libvirtd 9.0 and Node's floor, same machine, same run (${ROUNDS} interleaved rounds, ${CLIENTS} idle clients)`, result.figures);
  return result;
}
