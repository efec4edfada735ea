import { Box, Text } from 'ink';
import { VIEWS } from '../store/console-state.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

const TITLES = { dashboard: 'Host', servers: 'Servers', clients: 'Clients', logging: 'Logging', 'host-clients': 'All clients', log: 'Live log', tls: 'Certificates' } as const;

const SINGLE_DAEMON: ReadonlySet<string> = new Set(['servers', 'clients', 'logging', 'log', 'tls']);

export function TabBar() {
  const view = useConsole((s) => s.view);
  // Views 2-4, 6 and 7 show one daemon: the tab bar names it.
  const shown = useConsole((s) => s.target.daemonName ?? s.target.uri);
  return (
    <Box>
      {VIEWS.map((v, i) => (
        <Text key={v} color={v === view ? theme.accent : theme.muted} bold={v === view} inverse={v === view}>
          {` ${i + 1} ${TITLES[v]} `}
        </Text>
      ))}
      <Text color={theme.muted}> {SINGLE_DAEMON.has(view) ? shown : ''}</Text>
    </Box>
  );
}
