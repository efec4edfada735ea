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
import { measureConsoleHost } from './console-host.js';
import { measureConsoleKeys, measureDisconnectVisible, type Timings } from './console-keys.js';
import { daemonsBench } from './daemons.js';
import { recordRun } from './figures.js';
import { loggingCost } from './logging-cost.js';
import { reexecPause } from './reexec.js';
import { fleetRefresh } from './fleet-refresh.js';
import { sshTransport } from './ssh-transport.js';
import { startRealLibvirtd } from '../test/helpers/real-libvirtd.js';
import { startVirtd } from '../test/helpers/virtd.js';

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

const HOST_CLIENTS = Number(process.env.BENCH_HOST_CLIENTS ?? 10000);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);

async function consoleHost(): Promise<void> {
  console.log(`\nvirt-admin-tui on a whole host: six daemons (libvirtd 9.0 polled, five of ours with events), ${HOST_CLIENTS} clients, 100x30 pty, 1 s polling\n`);
  const f = await measureConsoleHost(HOST_CLIENTS, IDLE_SECONDS);
  console.log(`${'measure'.padEnd(36)} ${'samples'.padStart(7)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}  target p95 <= 16 ms`);
  const ms = (v: number) => `${v.toFixed(1)}ms`.padStart(8);
  for (const t of f.keys) console.log(`${t.what.padEnd(36)} ${String(t.samples).padStart(7)} ${ms(t.medianMs)} ${ms(t.p95Ms)} ${ms(t.maxMs)}  ${t.p95Ms <= 16 ? 'met' : 'not met'}`);
  for (const c of f.idleCpu) console.log(`idle CPU on ${c.view.padEnd(23)} ${`${c.percentOfOneCore.toFixed(2)}% of one core over ${c.seconds} s`.padStart(40)}  target < 5%: ${c.percentOfOneCore < 5 ? 'met' : 'not met'}`);
}

/** `npm run bench [-- daemons|logging|console|host|reexec|ssh|fleet ...]`: every part unless named. */
async function main(): Promise<void> {
  const parts = process.argv.slice(2);
  const want = (p: string) => parts.length === 0 || parts.includes(p);
  const recorded: Record<string, unknown> = {};
  if (want('daemons')) recorded.daemons = await daemonsBench();
  if (want('logging')) await loggingCost();
  if (want('console')) await consoleKeys();
  if (want('host')) await consoleHost();
  if (want('reexec')) await reexecPause();
  if (want('ssh')) await sshTransport();
  if (want('fleet')) await fleetRefresh();
  if (Object.keys(recorded).length) console.log(`\nrecorded in ${recordRun(recorded)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
