/**
 * `npm run bench`: our `virtd libvirtd` side by side with Debian's libvirtd
 * 9.0 on this machine, in one run (figures drift between machines; compare
 * ratios). Measures start-up to sockets ready, admin round trip, admin
 * throughput with 32 calls in flight, client-list with N clients, and RSS
 * per idle client; what logging costs; the console's keypress to frame; and
 * virtlogd's and virtlockd's re-exec pause beside libvirt's; an admin round trip
 * through the ssh transport against the local socket. docs/architecture.md
 * lists the targets.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { measureConsoleKeys, measureDisconnectVisible, type Timings } from './console-keys.js';
import { reexecPause } from './reexec.js';
import { loggingCost } from './logging-cost.js';
import { sshTransport } from './ssh-transport.js';
import { type DaemonUnderTest } from '../test/helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../test/helpers/real-libvirtd.js';
import { asUser, REPO_ROOT } from '../test/helpers/tools.js';
import { startVirtd } from '../test/helpers/virtd.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 5000);
const BURST = Number(process.env.BENCH_BURST ?? 10000);
// Limits raised so that neither daemon turns clients away by policy: the burst measures the listen queue.
const LIMITS = `max_clients = ${Math.max(CLIENTS, BURST) + 1000}\nmax_anonymous_clients = 20\nmax_queued_clients = ${BURST}\n`;

interface Figures {
  startMs: number;
  rttMedianUs: number;
  callsPerSec32InFlight: number;
  clientListMs: number;
  clients: number;
  rssPerClientKiB: number;
  burst: number;
  burstRefused: number;
  burstConnectedMs: number;
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]);
}

function daemonPid(d: DaemonUnderTest): number {
  return Number(readFileSync(join(d.runtimeDir, 'libvirtd.pid'), 'utf8').trim());
}

async function measure(name: string, start: () => Promise<DaemonUnderTest>): Promise<Figures> {
  const t0 = performance.now();
  const d = await start();
  const startMs = performance.now() - t0;
  try {
    const pid = daemonPid(d);
    const before = rssKiB(pid);
    const [cmd, args] = asUser(process.execPath, [join(REPO_ROOT, 'dist', 'bench', 'admin-load.js'), d.adminSocket, d.mainSocket, String(CLIENTS), String(BURST)], d.user, d.env);
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    let result: Omit<Figures, 'startMs' | 'rssPerClientKiB'> | undefined;
    let rssPerClientKiB = 0;
    for await (const line of lines) {
      if (line.startsWith('READY')) {
        const n = Number(line.split(' ')[1]);
        rssPerClientKiB = (rssKiB(pid) - before) / n;
        child.stdin!.write('go\n');
      } else if (line.startsWith('{')) {
        result = JSON.parse(line);
      }
    }
    if (!result) throw new Error(`${name}: the load process gave no figures`);
    return { startMs, rssPerClientKiB, ...result };
  } finally {
    await d.stop();
  }
}

function row(label: string, ours: number, theirs: number, unit: string, digits = 1): string {
  const ratio = theirs / ours;
  return `${label.padEnd(40)} ${ours.toFixed(digits).padStart(10)} ${theirs.toFixed(digits).padStart(10)} ${unit.padEnd(6)} ${ratio.toFixed(2).padStart(6)}x`;
}

async function daemons(): Promise<void> {
  const theirs = await measure('libvirtd', () => startRealLibvirtd({ config: LIMITS }));
  const ours = await measure('virtd', () => startVirtd('libvirtd', { config: LIMITS }));
  console.log(`virtd libvirtd vs libvirtd 9.0, same machine, same run; ${CLIENTS} idle clients\n`);
  console.log(`${'measure'.padEnd(40)} ${'virtd'.padStart(10)} ${'libvirtd'.padStart(10)} ${'unit'.padEnd(6)} libvirtd/virtd`);
  console.log(row('start to sockets ready (incl. spawn)', ours.startMs, theirs.startMs, 'ms'));
  console.log(row('admin round trip, one at a time (median)', ours.rttMedianUs, theirs.rttMedianUs, 'us'));
  console.log(row('admin calls/s, 32 in flight', ours.callsPerSec32InFlight, theirs.callsPerSec32InFlight, '/s', 0));
  console.log(row(`client-list with ${CLIENTS} clients (median)`, ours.clientListMs, theirs.clientListMs, 'ms', 2));
  console.log(row('RSS per idle client', ours.rssPerClientKiB, theirs.rssPerClientKiB, 'KiB', 2));
  console.log(`${`burst of ${BURST} simultaneous connects: refused`.padEnd(40)} ${String(ours.burstRefused).padStart(10)} ${String(theirs.burstRefused).padStart(10)} ${'conns'.padEnd(6)}`);
  console.log(row(`burst of ${BURST}: all connected after`, ours.burstConnectedMs, theirs.burstConnectedMs, 'ms'));
  console.log('\n(ratio > 1 means virtd is faster/smaller, except calls/s where < 1 means virtd is faster)');
}

const CONSOLE_CLIENTS = Number(process.env.BENCH_CONSOLE_CLIENTS ?? 10000);

function timingRow(t: Timings, daemon: string): string {
  const ms = (v: number) => `${v.toFixed(1)}ms`.padStart(8);
  return `${t.what.padEnd(36)} ${daemon.padEnd(16)} ${String(t.samples).padStart(7)} ${ms(t.medianMs)} ${ms(t.p95Ms)} ${ms(t.maxMs)}`;
}

async function consoleKeys(): Promise<void> {
  const limits = `max_clients = ${CONSOLE_CLIENTS + 100}\n`;
  console.log(`\nvirt-admin-tui on a 100x30 pty, 1 s polling. Keypress to frame with ${CONSOLE_CLIENTS} clients (target 30 ms);`);
  console.log('a disconnect visible, 200 clients (target 100 ms with our events, 1 s polling libvirt)\n');
  console.log(`${'measure'.padEnd(36)} ${'daemon'.padEnd(16)} ${'samples'.padStart(7)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
  for (const [name, start] of [
    ['virtd libvirtd', () => startVirtd('libvirtd', { config: limits, asTestUser: true })],
    ['libvirtd 9.0', () => startRealLibvirtd({ config: limits })],
  ] as const) {
    const d = await start();
    try {
      for (const t of await measureConsoleKeys(d, CONSOLE_CLIENTS)) console.log(timingRow(t, name));
      console.log(timingRow(await measureDisconnectVisible(d, 200, 20), name));
    } finally {
      await d.stop();
    }
  }
}

/** `npm run bench [-- daemons|logging|console|reexec|ssh ...]`: every part unless named. */
async function main(): Promise<void> {
  const parts = process.argv.slice(2);
  const want = (p: string) => parts.length === 0 || parts.includes(p);
  if (want('daemons')) await daemons();
  if (want('logging')) await loggingCost();
  if (want('console')) await consoleKeys();
  if (want('reexec')) await reexecPause();
  if (want('ssh')) await sshTransport();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
