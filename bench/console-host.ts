/**
 * The console on a whole host (issue 12): six daemons (Debian's libvirtd 9.0,
 * which must be polled, and five of ours, which push events) with 10,000
 * clients spread over them, the real console on a pty at its default 1 s
 * interval. Keypress to frame on the host-wide client table and on the
 * dashboard, then the console's own CPU while it idles on each view.
 */
import { readFileSync } from 'node:fs';
import type { DaemonUnderTest } from '../test/helpers/daemon-under-test.js';
import { type ClientHolder, holdClients } from '../test/helpers/client-holder.js';
import { type MixedHost, startMixedHost } from '../test/helpers/mixed-host.js';
import { summarize, type Timings } from './console-keys.js';
import { ConsoleOnPty } from './console-pty.js';

const LIMITS = 'max_clients = 5000\nmax_anonymous_clients = 0\n';
const SIX = [
  { name: 'libvirtd', ours: false, mode: 'session', config: LIMITS },
  { name: 'virtqemud', ours: true, mode: 'session', config: LIMITS },
  { name: 'virtsecretd', ours: true, mode: 'session', config: LIMITS },
  { name: 'virtstoraged', ours: true, mode: 'session', config: LIMITS },
  { name: 'virtvboxd', ours: true, mode: 'session', config: LIMITS },
  { name: 'virtnetworkd', ours: true, mode: 'system', config: `${LIMITS}auth_unix_rw = "none"\n` },
] as const;

export interface IdleFigures {
  view: string;
  seconds: number;
  percentOfOneCore: number;
  /** Frames written while idle (the clock's ages and uptimes: about one a second). */
  framesPerSecond: number;
}

export interface HostFigures {
  keys: Timings[];
  idleCpu: IdleFigures[];
}

/** The selected row of a table: inverse video, then the first words. */
const SELECTED = {
  host: /\x1b\[7m {2}(\S+ +\S+ +\d+) /g,
  dashboard: /\x1b\[7m(\S+)/g,
};

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in USER_HZ (100/s)
}

/** `key`: one key, or several pressed in turn (j then k, so a cursor at the last row still moves). */
async function timeKeys(tui: ConsoleOnPty, label: string, key: string | string[], presses: number, selected: RegExp): Promise<Timings> {
  const keys = typeof key === 'string' ? [key] : key;
  const pick = (text: string) => [...text.matchAll(selected)].at(-1)?.[1];
  const times: number[] = [];
  for (let i = 0; i < presses; i++) {
    const before = pick(tui.screen);
    tui.clear();
    const t0 = performance.now();
    tui.press(keys[i % keys.length]!);
    await tui.waitFor(() => {
      const now = pick(tui.screen);
      return now !== undefined && now !== before;
    }, `the frame after ${label}`);
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 15 + Math.random() * 20));
  }
  return summarize(label, times);
}

/**
 * The console's CPU while nothing is pressed, and how many frames it draws meanwhile (each
 * frame carries `marker` once: the view's header).
 */
async function idleCpu(tui: ConsoleOnPty, view: string, seconds: number, marker: string): Promise<IdleFigures> {
  const pid = tui.consolePid();
  if (pid === undefined) throw new Error("the console's process was not found");
  let frames = 0;
  tui.clear();
  const count = setInterval(() => {
    frames += tui.screen.split(marker).length - 1;
    tui.clear();
  }, 20);
  const t0 = performance.now();
  const c0 = cpuTicks(pid);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = (cpuTicks(pid) - c0) / 100;
  const elapsed = (performance.now() - t0) / 1000;
  clearInterval(count);
  frames += tui.screen.split(marker).length - 1;
  return { view, seconds, percentOfOneCore: (100 * used) / elapsed, framesPerSecond: frames / elapsed };
}

export async function measureConsoleHost(total: number, idleSeconds: number): Promise<HostFigures> {
  const host: MixedHost = await startMixedHost(SIX.map((s) => ({ ...s })));
  const holders: ClientHolder[] = [];
  let tui: ConsoleOnPty | undefined;
  try {
    const each = Math.ceil(total / SIX.length);
    for (const [i, s] of SIX.entries()) {
      const n = Math.min(each, total - i * each);
      holders.push(await holdClients({ mainSocket: host.daemons[s.name]!.mainSocket, user: host.user.name } as DaemonUnderTest, n, 120000));
    }
    tui = new ConsoleOnPty({ adminUri: host.daemons.virtqemud!.adminUri, user: host.user.name, env: host.env }, ['--system-socket-dir', host.systemDir]);
    tui.press('5');
    const shown = (s: string) => new RegExp(`(\\d+) of ${total + SIX.length} clients`).test(s) && !/identity known for/.test(s);
    await tui.waitFor(() => shown(tui!.screen), `${total} clients of six daemons on screen with their identities`, 180000);
    const keys: Timings[] = [];
    keys.push(await timeKeys(tui, '↓ in the host table', 'j', 200, SELECTED.host));
    keys.push(await timeKeys(tui, 'PgDn in the host table', '\x1b[6~', 100, SELECTED.host));
    keys.push(await timeKeys(tui, 'i (sort all rows by id)', 'i', 40, SELECTED.host));
    const cpu = [await idleCpu(tui, 'all clients (5)', idleSeconds, ' clients  sorted by')];
    tui.press('1');
    await tui.waitFor(() => /6 daemons answering/.test(tui!.screen), 'the dashboard');
    // Six rows: five steps down, five up, and again.
    keys.push(await timeKeys(tui, '↓/↑ on the dashboard', ['j', 'j', 'j', 'j', 'j', 'k', 'k', 'k', 'k', 'k'], 60, SELECTED.dashboard));
    cpu.push(await idleCpu(tui, 'dashboard (1)', idleSeconds, 'daemons answering'));
    return { keys, idleCpu: cpu };
  } finally {
    await tui?.quit();
    for (const h of holders) h.stop();
    await host.stop();
  }
}
