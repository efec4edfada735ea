/** 4 Logging: the daemon's filters and outputs, edited in place. */
import { Box, Text } from 'ink';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

export function LoggingView() {
  const filters = useConsole((s) => s.target.logFilters);
  const outputs = useConsole((s) => s.target.logOutputs);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>filters </Text>
        {filters?.trim() || <Text color={theme.muted}>(none)</Text>}
      </Text>
      <Text>
        <Text bold>outputs </Text>
        {outputs}
      </Text>
      <Text color={theme.muted}>f: edit filters (e.g. "1:qemu 3:rpc")  u: edit outputs (e.g. "3:stderr 1:file:/var/log/x.log")</Text>
    </Box>
  );
}
