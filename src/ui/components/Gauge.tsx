/**
 * A bar of `used` out of `total`, with the figures beside it. With `current`
 * (a worker pool, which grows on demand up to its maximum) the bar is scaled
 * to the maximum and shows the workers that exist in a second shade, so a
 * pool with all 5 of its workers busy but room to grow to 20 does not look
 * saturated: "5 busy / 5 current / 20 max".
 */
import { Text } from 'ink';
import { theme } from '../theme.js';

export function Gauge({ label, used, total, current, width = 20 }: { label: string; used: number; total: number; current?: number; width?: number }) {
  const cells = (n: number) => (total > 0 ? Math.min(width, Math.round((n / total) * width)) : 0);
  const filled = cells(used);
  const existing = current === undefined ? filled : Math.max(filled, cells(current));
  const colour = total > 0 && used / total > 0.8 ? theme.danger : used > 0 ? theme.warn : theme.ok;
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
