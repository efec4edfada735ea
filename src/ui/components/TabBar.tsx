import { Box, Text } from 'ink';
import { VIEWS, type ViewName } from '../store/console-state.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

const TITLES: Readonly<Record<ViewName, string>> = {
  dashboard: 'Host',
  servers: 'Servers',
  clients: 'Clients',
  logging: 'Logging',
  'host-clients': 'All clients',
  log: 'Live log',
  tls: 'Certificates',
};
/** Seven tabs and a daemon's name do not fit 80 columns: the short titles then. */
const SHORT_TITLES: Readonly<Record<ViewName, string>> = { ...TITLES, 'host-clients': 'All', log: 'Log', tls: 'TLS' };

const SINGLE_DAEMON: ReadonlySet<ViewName> = new Set(['servers', 'clients', 'logging', 'log', 'tls']);
const tab = (titles: Readonly<Record<ViewName, string>>, v: ViewName, i: number) => ` ${i + 1} ${titles[v]} `;

export function TabBar() {
  const view = useConsole((s) => s.view);
  const columns = useConsole((s) => s.columns);
  // Views 2-4, 6 and 7 show one daemon: the tab bar names it.
  const shown = useConsole((s) => s.target.daemonName ?? s.target.uri);
  const name = SINGLE_DAEMON.has(view) ? shown : '';
  const fullWidth = VIEWS.reduce((n, v, i) => n + tab(TITLES, v, i).length, 0) + 1 + name.length;
  const titles = fullWidth <= columns ? TITLES : SHORT_TITLES;
  return (
    <Box>
      {VIEWS.map((v, i) => (
        <Text key={v} color={v === view ? theme.accent : theme.muted} bold={v === view} inverse={v === view}>
          {tab(titles, v, i)}
        </Text>
      ))}
      <Text color={theme.muted} wrap="truncate">
        {' '}
        {name}
      </Text>
    </Box>
  );
}
