import { Box, Text } from 'ink';
import { VIEWS } from '../store/console-state.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

const TITLES = { dashboard: 'Host', servers: 'Servers', clients: 'Clients', logging: 'Logging', 'host-clients': 'All clients' } as const;

export function TabBar() {
  const view = useConsole((s) => s.view);
  // Views 2-4 show one daemon: the tab bar names it.
  const shown = useConsole((s) => s.target.daemonName ?? s.target.uri);
  return (
    <Box>
      {VIEWS.map((v, i) => (
        <Text key={v} color={v === view ? theme.accent : theme.muted} bold={v === view} inverse={v === view}>
          {` ${i + 1} ${TITLES[v]} `}
        </Text>
      ))}
      <Text color={theme.muted}> {view === 'servers' || view === 'clients' || view === 'logging' ? shown : ''}</Text>
    </Box>
  );
}
