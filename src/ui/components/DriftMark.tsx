/** Beside a running value the config file does not give: what a restart brings back (the view's heading says it is lost). */
import { Text } from 'ink';
import type { DriftItem } from '../../tasks/index.js';
import { theme } from '../theme.js';

export function DriftMark({ item }: { item: DriftItem | undefined }) {
  if (!item?.lostAtRestart) return null;
  return <Text color={theme.warn}> (config {item.configured || 'none'})</Text>;
}
