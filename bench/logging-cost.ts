/**
 * What logging costs a daemon: `virtd libvirtd` under 32 admin calls in flight with
 * logging off (libvirt's default: warnings to stderr, no filters) and with every
 * category at debug (`1:*`) to a file output, where every call writes libvirt's line.
 * Rounds alternate off/on and the figures are medians, so drift between rounds does not
 * pass for a cost. Inside the daemon (loop-monitor.ts) the longest time one log call
 * held the event loop is measured, beside the loop's longest delay of any cause.
 * Targets: no more than 25% of the throughput lost; no log write blocking the event loop
 * longer than 5 ms.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminClient } from '../src/admin-client/index.js';
import { spawnVirtd, waitForListening } from '../test/helpers/spawn-virtd.js';
import { REPO_ROOT } from '../test/helpers/tools.js';
import { until } from '../test/helpers/until.js';
import { Caller, listServers, open } from './admin-caller.js';

const ROUNDS = Number(process.env.BENCH_LOG_ROUNDS ?? 7);
const CALLS = Number(process.env.BENCH_LOG_CALLS ?? 60000);
const IN_FLIGHT = 32;

interface LoopFigures {
  longestLogCallMs: number;
  logCalls: number;
  logCallsOver1Ms: number;
  longestGcMs: number;
  loopDelayMaxMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function callsPerSec(caller: Caller): Promise<number> {
  let sent = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (sent < CALLS) {
        sent++;
        await caller.call(listServers);
      }
    }),
  );
  return CALLS / (Number(process.hrtime.bigint() - t0) / 1e9);
}

function verdict(met: boolean): string {
  return met ? 'met' : 'NOT MET';
}

export async function loggingCost(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-logging-'));
  const monitorFile = join(dir, 'loop.json');
  const logFile = join(dir, 'libvirtd.log');
  const daemon = spawnVirtd(['libvirtd', '--mode', 'session'], {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_RUNTIME_DIR: join(dir, 'run'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    LOOP_MONITOR_FILE: monitorFile,
    NODE_OPTIONS: `--import=${join(REPO_ROOT, 'dist', 'bench', 'loop-monitor.js')}`,
    // The daemon's modules as tsc wrote them, not the bundle: the monitor times log calls by
    // patching DaemonLogger, which must be the very class the daemon uses (the bundle has its
    // own copy). The code run per call is the same; only start-up differs.
  }, join(REPO_ROOT, 'dist', 'src', 'bin', 'virtd.js'));
  try {
    const adminSocket = join(dir, 'run', 'libvirt', 'libvirt-admin-sock');
    await waitForListening(daemon, adminSocket);
    const admin = await AdminClient.connect(`libvirtd:///session?socket=${adminSocket}`);
    const caller = new Caller(await open(adminSocket));
    for (let i = 0; i < 2000; i++) await caller.call(listServers); // warm up
    const loopBlock = async (): Promise<LoopFigures> => {
      rmSync(monitorFile, { force: true });
      daemon.child.kill('SIGUSR2');
      await until(() => existsSync(monitorFile), { message: 'the loop monitor' });
      return JSON.parse(readFileSync(monitorFile, 'utf8')) as LoopFigures;
    };
    const off: number[] = [];
    const on: number[] = [];
    const offBlock: LoopFigures[] = [];
    const onBlock: LoopFigures[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await admin.setLoggingFilters(null);
      await admin.setLoggingOutputs(null);
      await loopBlock();
      off.push(await callsPerSec(caller));
      offBlock.push(await loopBlock());
      await admin.setLoggingOutputs(`1:file:${logFile}`);
      await admin.setLoggingFilters('1:*');
      await loopBlock();
      on.push(await callsPerSec(caller));
      onBlock.push(await loopBlock());
    }
    await admin.setLoggingOutputs(null);
    await admin.close();
    await daemon.stop();
    const lines = readFileSync(logFile, 'utf8').split('\n').length - 1;
    const lost = 1 - median(on) / median(off);
    const block = Math.max(...onBlock.map((b) => b.longestLogCallMs));
    const logCalls = onBlock.reduce((n, b) => n + b.logCalls, 0);
    if (logCalls === 0) throw new Error('the loop monitor timed no log call: it is not patching the logger the daemon uses');
    const slowCalls = onBlock.reduce((n, b) => n + b.logCallsOver1Ms, 0);
    console.log(`\nlogging cost: virtd libvirtd, ${IN_FLIGHT} admin calls in flight, logging off vs \`1:*\` filters to a file output`);
    console.log(`(medians of ${ROUNDS} interleaved rounds of ${CALLS} calls; ${lines} lines, ${(statSync(logFile).size / 1e6).toFixed(1)} MB written)\n`);
    console.log(`${'measure'.padEnd(44)} ${'figure'.padStart(10)} ${'target'.padStart(10)}  result`);
    console.log(`${'admin calls/s, logging off'.padEnd(44)} ${median(off).toFixed(0).padStart(10)}`);
    console.log(`${'admin calls/s, 1:* to a file'.padEnd(44)} ${median(on).toFixed(0).padStart(10)}`);
    console.log(`${'throughput lost to logging'.padEnd(44)} ${`${(lost * 100).toFixed(1)}%`.padStart(10)} ${'<= 25%'.padStart(10)}  ${verdict(lost <= 0.25)}`);
    console.log(`${`longest log call (of ${logCalls}), event loop held`.padEnd(44)} ${`${block.toFixed(2)} ms`.padStart(10)} ${'<= 5 ms'.padStart(10)}  ${verdict(block <= 5)}`);
    console.log(`${'log calls longer than 1 ms'.padEnd(44)} ${String(slowCalls).padStart(10)}`);
    console.log(`${'longest garbage-collection pause, on / off'.padEnd(44)} ${`${Math.max(...onBlock.map((b) => b.longestGcMs)).toFixed(1)} / ${Math.max(...offBlock.map((b) => b.longestGcMs)).toFixed(1)} ms`.padStart(10)}`);
    console.log(`${'longest event-loop delay, any cause, on'.padEnd(44)} ${`${Math.max(...onBlock.map((b) => b.loopDelayMaxMs)).toFixed(1)} ms`.padStart(10)}`);
    console.log(`${'longest event-loop delay, any cause, off'.padEnd(44)} ${`${Math.max(...offBlock.map((b) => b.loopDelayMaxMs)).toFixed(1)} ms`.padStart(10)}`);
  } finally {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
