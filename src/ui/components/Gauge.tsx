/**
 * A bar of `used` out of `total`, with the figures beside it, warning at 80%
 * and an error at 100% (the theme's colours). With `current` (a worker pool,
 * which grows on demand up to its maximum) the bar is scaled to the maximum
 * and shows the workers that exist in a second shade, so a pool with all 5 of
 * its workers busy but room to grow to 20 does not look saturated:
 * "5 busy / 5 current / 20 max".
 */
import { Text } from 'ink';
import { saturation } from '../store/saturation.js';
import { theme } from '../theme.js';

export const SATURATION_COLOUR = { ok: theme.ok, warn: theme.warn, error: theme.danger } as const;

export function Gauge({ label, used, total, current, width = 20 }: { label: string; used: number; total: number; current?: number; width?: number }) {
  const cells = (n: number) => (total > 0 ? Math.min(width, Math.round((n / total) * width)) : 0);
  const filled = cells(used);
  const existing = current === undefined ? filled : Math.max(filled, cells(current));
  const colour = SATURATION_COLOUR[saturation(used, total)];
  const figures = current === undefined ? `${used}/${total}` : `${used} busy / ${current} current / ${total} max`;
  return (
    <Text>
      {label.padEnd(16)}
      <Text color={colour}>{'█'.repeat(filled)}</Text>
      <Text color={colour}>{'▒'.repeat(existing - filled)}</Text>
      <Text color={theme.muted}>{'░'.repeat(width - existing)}</Text> {figures}
    </Text>
  );
}
