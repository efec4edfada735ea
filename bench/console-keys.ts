/**
 * Keypress-to-frame time of the real console with N clients on the attached
 * server, polling at its default interval: each key press is timed from the
 * write to the pty until the frame that shows its effect has been read back
 * (the selected row, drawn in inverse video, names another client).
 */
import type { DaemonUnderTest } from '../test/helpers/daemon-under-test.js';
import { holdClients } from '../test/helpers/client-holder.js';
import { ConsoleOnPty } from './console-pty.js';

export interface Timings {
  what: string;
  samples: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

const INVERSE_ROW = /\x1b\[7m {2}(\d+) /g;

export function summarize(what: string, times: number[]): Timings {
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { what, samples: sorted.length, medianMs: q(0.5), p95Ms: q(0.95), maxMs: sorted.at(-1)! };
}

export async function measureConsoleKeys(d: DaemonUnderTest, clients: number): Promise<Timings[]> {
  // libvirtd takes minutes, not seconds, to take 10,000 clients one call each on this machine.
  const holder = await holdClients(d, clients, 300000);
  const tui = new ConsoleOnPty(d);
  const selected = (text: string) => [...text.matchAll(INVERSE_ROW)].at(-1)?.[1];
  try {
    await tui.waitFor(() => tui.screen.includes(`${clients} of ${clients} clients`), `${clients} clients on screen`);
    const results: Timings[] = [];
    for (const [label, key, presses] of [
      ['↓ (next row)', 'j', 200],
      ['PgDn (next page)', '\x1b[6~', 100],
      ['i (reverse the sort of all rows)', 'i', 40],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < presses; i++) {
        const before = selected(tui.screen);
        tui.clear();
        const t0 = performance.now();
        tui.press(key);
        await tui.waitFor(() => {
          const now = selected(tui.screen);
          return now !== undefined && now !== before;
        }, `the frame after ${label}`);
        times.push(performance.now() - t0);
        // Let the frame settle and the identity fetch for newly visible rows land, as between a person's key presses.
        await new Promise((r) => setTimeout(r, 15 + Math.random() * 20));
      }
      results.push(summarize(label, times));
    }
    return results;
  } finally {
    await tui.quit();
    holder.stop();
  }
}

/**
 * From a client's disconnect (its socket closed by the holder process) to the
 * console's frame showing one client fewer: pushed events with our daemons,
 * the next poll with libvirt's.
 */
export async function measureDisconnectVisible(d: DaemonUnderTest, clients: number, drops: number): Promise<Timings> {
  const holder = await holdClients(d, clients);
  const tui = new ConsoleOnPty(d);
  try {
    await tui.waitFor(() => tui.screen.includes(`${clients} of ${clients} clients`), `${clients} clients on screen`);
    const times: number[] = [];
    for (let i = 1; i <= drops; i++) {
      const left = clients - i;
      tui.clear();
      const seen = holder.out().length;
      holder.drop();
      await tui.waitFor(() => tui.screen.includes(`${left} of ${left} clients`), `${left} clients on screen`, 10000);
      const shownAt = Date.now();
      const droppedAt = Number(/dropped (\d+)/.exec(holder.out().slice(seen))?.[1]);
      times.push(shownAt - droppedAt);
      // Drops spread over the polling interval, as disconnects come when they come.
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 900));
    }
    return summarize('a disconnect visible on screen', times);
  } finally {
    await tui.quit();
    holder.stop();
  }
}
