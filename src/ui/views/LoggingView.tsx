/** 4 Logging: the daemon's filters and outputs, edited in place; what a restart would lose, with the line that keeps it. */
import { Box, Text } from 'ink';
import { keepText } from '../../tasks/index.js';
import { DriftMark } from '../components/DriftMark.js';
import { driftOf } from '../store/drift-slice.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

export function LoggingView() {
  const filters = useConsole((s) => s.target.logFilters);
  const outputs = useConsole((s) => s.target.logOutputs);
  const drift = useConsole((s) => s.drift[s.target.socketPath]);
  const captured = useConsole((s) => s.capture?.files.some((f) => f.key === s.target.socketPath) === true);
  // During a debug capture the settings are the capture's: it puts the originals back, nothing to keep.
  const lost = captured ? [] : [driftOf(drift, 'logging', 'log_filters'), driftOf(drift, 'logging', 'log_outputs')].filter((i) => i?.lostAtRestart);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>filters </Text>
        {filters?.trim() || <Text color={theme.muted}>(none)</Text>}
        <DriftMark item={captured ? undefined : driftOf(drift, 'logging', 'log_filters')} />
      </Text>
      <Text>
        <Text bold>outputs </Text>
        {outputs}
        <DriftMark item={captured ? undefined : driftOf(drift, 'logging', 'log_outputs')} />
      </Text>
      {captured && <Text color={theme.warn}>a debug capture set these; it puts the daemon's own back when it ends (X ends it now)</Text>}
      {lost.map((i) => (
        <Text key={i!.setting} color={theme.warn} wrap="wrap">
          keep {i!.setting}: {keepText(i!.keep!)}
        </Text>
      ))}
      <Text color={theme.muted}>f: edit filters (e.g. "1:qemu 3:rpc")  u: edit outputs (e.g. "3:stderr 1:file:/var/log/x.log")  D: drift  C: debug capture</Text>
    </Box>
  );
}
