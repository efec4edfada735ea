/**
 * The dashboard's cells: a figure against its limit coloured by saturation,
 * with its 10-minute sparkline and peak; uptime and short log settings.
 */
import { Text } from 'ink';
import { SATURATION_COLOUR } from '../components/Gauge.js';
import type { SaturationSample } from '../store/console-state.js';
import { peak, saturation, sparkline } from '../store/saturation.js';
import { theme } from '../theme.js';

export const SPARK_WIDTH = 10;

/** "3m12s", "4h05m", "2d3h". */
export function uptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const p = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m${p(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${p(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}

/** Log filters in a few characters: libvirt's globs without their stars. */
export function shortFilters(filters: string | null | undefined, width = 24): string {
  const text = (filters ?? '').trim().replace(/\*/g, '');
  if (!text) return 'no filters';
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export interface MetricProps {
  label: string;
  value: number | undefined;
  /** The limit. */
  limit: number | undefined;
  /** A limit of 0 means none (max_anonymous_clients); otherwise 0 is a limit of 0 (virtlogd has no worker pool). */
  zeroUnlimited?: boolean;
  history: SaturationSample[];
  pick: (s: SaturationSample) => number;
  /** What the sparkline and the colour are measured against, when there is no limit (a job queue, against the pool's maximum). */
  scale?: number;
  nowMs: number;
}

/** "clients  12/5000 ▁▂▃▅▇▇▅▃▂▁ peak 40", the figure coloured by how full it is. */
export function Metric({ label, value, limit, zeroUnlimited, history, pick, scale, nowMs }: MetricProps) {
  const against = limit ?? scale;
  const tone = value === undefined || against === undefined || (against === 0 && !zeroUnlimited) ? 'ok' : saturation(value, against);
  const figure = value === undefined ? '?' : limit === undefined ? String(value) : `${value}/${limit === 0 && zeroUnlimited ? '∞' : limit}`;
  const top = peak(history, pick);
  return (
    <Text>
      {label.padEnd(8)}
      <Text color={SATURATION_COLOUR[tone]} bold={tone !== 'ok'}>{figure.padEnd(9)}</Text>
      <Text color={theme.accent}>{sparkline(history, pick, scale ?? limit ?? 0, SPARK_WIDTH, nowMs)}</Text>
      <Text color={theme.muted}>{` peak ${top?.value ?? '-'}`.padEnd(10)}</Text>
    </Text>
  );
}
