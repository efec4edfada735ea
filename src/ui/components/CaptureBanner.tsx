/** A running debug capture, on screen whatever the view: what, how long is left, where, how to end it. */
import { Text } from 'ink';
import { formatCountdown } from '../../tasks/index.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

export function CaptureBanner() {
  const capture = useConsole((s) => s.capture);
  // Counts down with the poll's frame each second (the store's clock), not on a timer of its own.
  useConsole((s) => s.clockMs);
  if (!capture) return null;
  const left = formatCountdown(capture.endsAt - Date.now());
  return (
    <Text wrap="truncate-middle">
      <Text color={theme.warn} inverse>{` debug capture ${left} left `}</Text>
      <Text color={theme.warn}>
        {' '}
        {capture.preset ? `${capture.preset}: ` : ''}
        {capture.files.map((f) => f.label).join(', ')} → {capture.dir}
      </Text>
      <Text color={theme.muted}>  X ends it and restores</Text>
    </Text>
  );
}
