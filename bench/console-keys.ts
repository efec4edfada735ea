/**
 * Keypress-to-frame time of the real console with N clients on the attached
 * server: virt-admin-tui runs on a pseudo-terminal (util-linux `script`) at
 * 100x30, polling at its default interval, and each key press is timed from the
 * write to the pty until the frame that shows its effect has been read back
 * (the selected row, drawn in inverse video, names another client).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { DaemonUnderTest } from '../test/helpers/daemon-under-test.js';
import { asUser, REPO_ROOT, TUI_BIN } from '../test/helpers/tools.js';
import { shellQuote } from '../test/helpers/tmux.js';

const HOLD_CLIENTS = join(REPO_ROOT, 'dist', 'test', 'helpers', 'hold-clients.js');

export interface KeyTimings {
  key: string;
  presses: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

const INVERSE_ROW = /\x1b\[7m {2}(\d+) /g;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Starts N held clients and the console; returns timings for moving one row, a page, and reversing the sort. */
export async function measureConsoleKeys(d: DaemonUnderTest, clients: number): Promise<KeyTimings[]> {
  const [holdCmd, holdArgs] = asUser(process.execPath, [HOLD_CLIENTS, d.mainSocket, String(clients)], d.user, {});
  const holder = spawn(holdCmd, holdArgs, { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.setEncoding('utf8').on('data', (s: string) => s.includes('ready') && resolve());
    holder.once('exit', (code) => reject(new Error(`the client holder exited (${code}) before it was ready`)));
  });
  const consoleLine = `stty rows 30 cols 100; exec ${shellQuote(process.execPath)} ${shellQuote(TUI_BIN)} -c ${shellQuote(d.adminUri)}`;
  const [cmd, args] = asUser('script', ['-qfec', consoleLine, '/dev/null'], d.user, { ...d.env, TERM: 'xterm-256color' });
  // script's own stderr carries only its notices ("Session terminated"); the console draws on the pty.
  const tui = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'ignore'] });
  let screen = '';
  let onOutput: (() => void) | undefined;
  tui.stdout.setEncoding('utf8').on('data', (s: string) => {
    screen = (screen + s).slice(-65536);
    onOutput?.();
  });
  const waitFor = (ok: () => boolean, what: string, timeoutMs = 30000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`console: timed out waiting for ${what}; last output:\n${screen.slice(-2000)}`)), timeoutMs);
      onOutput = () => {
        if (!ok()) return;
        clearTimeout(timer);
        onOutput = undefined;
        resolve();
      };
      onOutput();
    });
  const selected = (text: string) => [...text.matchAll(INVERSE_ROW)].at(-1)?.[1];
  try {
    await waitFor(() => screen.includes(`${clients} of ${clients} clients`), `${clients} clients on screen`);
    const results: KeyTimings[] = [];
    for (const [label, key, presses] of [
      ['↓ (next row)', 'j', 200],
      ['PgDn (next page)', '\x1b[6~', 100],
      ['i (reverse the sort of all rows)', 'i', 40],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < presses; i++) {
        const before = selected(screen);
        screen = '';
        const t0 = performance.now();
        tui.stdin.write(key);
        await waitFor(() => {
          const now = selected(screen);
          return now !== undefined && now !== before;
        }, `the frame after ${label}`);
        times.push(performance.now() - t0);
        // Let the frame settle and the identity fetch for newly visible rows land, as between a person's key presses.
        await new Promise((r) => setTimeout(r, 15 + Math.random() * 20));
      }
      times.sort((a, b) => a - b);
      results.push({ key: label, presses, medianMs: quantile(times, 0.5), p95Ms: quantile(times, 0.95), maxMs: times.at(-1)! });
    }
    return results;
  } finally {
    const exited = new Promise((r) => tui.once('exit', r));
    tui.stdin.write('q');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (tui.exitCode === null) tui.kill();
    holder.stdin.end();
  }
}
