import { Box, Text } from 'ink';
import { VIEWS } from '../store/console-state.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

const TITLES = { daemons: 'Daemons', servers: 'Servers', clients: 'Clients', logging: 'Logging', log: 'Live log', tls: 'Certificates' } as const;

export function TabBar() {
  const view = useConsole((s) => s.view);
  return (
    <Box>
      {VIEWS.map((v, i) => (
        <Text key={v} color={v === view ? theme.accent : theme.muted} bold={v === view} inverse={v === view}>
          {` ${i + 1} ${TITLES[v]} `}
        </Text>
      ))}
    </Box>
  );
}
