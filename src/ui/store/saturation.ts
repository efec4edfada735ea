/**
 * Saturation at a glance (issue 12): each look at a daemon's pools and limits
 * is kept for 10 minutes, drawn as a sparkline with its peak, so a spike
 * between two looks by the operator is still seen; a gauge warns at 80% and
 * is an error at 100%.
 */
import type { SaturationSample, ServerState } from './console-state.js';

export const HISTORY_MS = 10 * 60 * 1000;
export const WARN_AT = 0.8;

export type Saturation = 'ok' | 'warn' | 'error';

/** How full `used` of `total` is; a total of 0 means no limit. */
export function saturation(used: number, total: number): Saturation {
  if (!(total > 0)) return 'ok';
  const ratio = used / total;
  return ratio >= 1 ? 'error' : ratio >= WARN_AT ? 'warn' : 'ok';
}

/** The daemon's figures now, summed over its servers but the admin server (the operator's own tools). */
export function sampleOf(servers: ServerState[], at: number): SaturationSample | undefined {
  const main = servers.filter((s) => s.name !== 'admin' && s.threadpool && s.limits);
  const counted = main.length ? main : servers.filter((s) => s.threadpool && s.limits);
  if (!counted.length) return undefined;
  const sum = (f: (s: ServerState) => number) => counted.reduce((n, s) => n + f(s), 0);
  return {
    at,
    clients: sum((s) => s.limits!.nclients),
    clientsMax: sum((s) => s.limits!.nclientsMax),
    unauth: sum((s) => s.limits!.nclientsUnauth),
    unauthMax: counted.some((s) => s.limits!.nclientsUnauthMax === 0) ? 0 : sum((s) => s.limits!.nclientsUnauthMax),
    workersBusy: sum((s) => s.threadpool!.nWorkers - s.threadpool!.freeWorkers),
    workersMax: sum((s) => s.threadpool!.maxWorkers),
    queue: sum((s) => s.threadpool!.jobQueueDepth),
  };
}

/** The history with `sample` appended and anything older than 10 minutes dropped. */
export function appendSample(history: SaturationSample[], sample: SaturationSample): SaturationSample[] {
  const from = history.findIndex((s) => sample.at - s.at <= HISTORY_MS);
  return [...(from === -1 ? [] : history.slice(from)), sample];
}

const BARS = '▁▂▃▄▅▆▇█';

/**
 * `width` characters for the last 10 minutes, oldest left: each the highest value in its
 * slice of time, scaled to `scale` (the limit, or the peak when there is none); a slice with
 * no look at all is a blank.
 */
export function sparkline(history: SaturationSample[], value: (s: SaturationSample) => number, scale: number, width: number, nowMs: number): string {
  const slot = HISTORY_MS / width;
  const highs: (number | undefined)[] = Array.from({ length: width }, () => undefined);
  for (const s of history) {
    const i = width - 1 - Math.floor((nowMs - s.at) / slot);
    if (i < 0 || i >= width) continue;
    highs[i] = Math.max(highs[i] ?? 0, value(s));
  }
  const top = scale > 0 ? scale : Math.max(1, ...highs.map((h) => h ?? 0));
  return highs.map((h) => (h === undefined ? ' ' : BARS[Math.min(BARS.length - 1, Math.round((Math.min(h, top) / top) * (BARS.length - 1)))]!)).join('');
}

/** The highest value in the last 10 minutes and when it was seen. */
export function peak(history: SaturationSample[], value: (s: SaturationSample) => number): { value: number; at: number } | undefined {
  let best: { value: number; at: number } | undefined;
  for (const s of history) if (!best || value(s) >= best.value) best = { value: value(s), at: s.at };
  return best;
}
