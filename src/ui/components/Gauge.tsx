/** A bar of `used` out of `total`, with the figures beside it. */
import { Text } from 'ink';
import { theme } from '../theme.js';

export function Gauge({ label, used, total, width = 20 }: { label: string; used: number; total: number; width?: number }) {
  const filled = total > 0 ? Math.min(width, Math.round((used / total) * width)) : 0;
  const colour = total > 0 && used / total > 0.8 ? theme.danger : used > 0 ? theme.warn : theme.ok;
  return (
    <Text>
      {label.padEnd(16)}
      <Text color={colour}>{'█'.repeat(filled)}</Text>
      <Text color={theme.muted}>{'░'.repeat(width - filled)}</Text> {used}/{total}
    </Text>
  );
}
