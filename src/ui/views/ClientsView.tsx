/**
 * 3 Clients: the chosen server's clients; only the rows that fit are drawn,
 * in columns fitted to the terminal. Until every client's identity is known,
 * the view says how many are, since a filter or sort by user or pid can only
 * see those.
 */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { ClientInfo } from '../../admin-client/index.js';
import { formatLocalTime } from '../cli/local-time.js';
import { orderClients, windowAround } from '../store/client-rows.js';
import { clientKey } from '../store/console-state.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';
import { headerLine, layoutColumns, rowLine } from './client-columns.js';

function Detail({ info }: { info: ClientInfo | undefined }) {
  if (!info) return <Text color={theme.muted}>identity not known yet: the daemon gives it once the client has made its first call</Text>;
  return (
    <Box flexDirection="column" borderStyle="single" borderColor={theme.accent} paddingX={1}>
      <Text bold>client {info.id} of {info.server}</Text>
      <Text>{'connection_time'.padEnd(16)}{formatLocalTime(info.connectedAt)}</Text>
      <Text>{'transport'.padEnd(16)}{info.transport}</Text>
      {info.params.map((p) => (
        <Text key={p.field}>
          {p.field.padEnd(16)}
          {typeof p.value === 'boolean' ? (p.value ? 'yes' : 'no') : String(p.value)}
        </Text>
      ))}
    </Box>
  );
}

export function ClientsView() {
  const clients = useConsole((s) => s.target.clients);
  const identities = useConsole((s) => s.target.identities);
  const server = useConsole((s) => s.target.clientServer);
  const filter = useConsole((s) => s.filter);
  const sortKey = useConsole((s) => s.sortKey);
  const descending = useConsole((s) => s.sortDescending);
  const cursor = useConsole((s) => s.clientCursor);
  const pageSize = useConsole((s) => s.pageSize);
  const width = useConsole((s) => s.columns);
  const showDetail = useConsole((s) => s.showDetail);
  const unauth = useConsole((s) => (s.target.unauthKnown ? s.target.unauthenticated : undefined));
  const rows = useMemo(() => orderClients(clients, identities, filter, sortKey, descending), [clients, identities, filter, sortKey, descending]);
  const { top, end } = windowAround(cursor, rows.length, pageSize);
  const visible = rows.slice(top, end).map((c) => ({ c, info: identities.get(c.id), unauthenticated: unauth?.has(clientKey(c)) }));
  const columns = layoutColumns(visible, width);
  const now = Date.now();
  const selected = rows[cursor];
  const unknown = clients.filter((c) => !identities.has(c.id)).length;
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        <Text bold>{server || '(no server)'}</Text>
        <Text color={theme.muted}>
          {'  '}
          {rows.length} of {clients.length} clients  sorted by {sortKey}
          {descending ? ' (reversed)' : ''}
          {filter ? `  filter "${filter}"` : ''}
          {rows.length > pageSize ? `  rows ${top + 1}-${end}` : ''}
        </Text>
        {unknown > 0 && <Text color={theme.warn}>  identity known for {(clients.length - unknown).toLocaleString('en')} of {clients.length.toLocaleString('en')}</Text>}
      </Text>
      <Text color={theme.muted} wrap="truncate">{headerLine(columns)}</Text>
      {visible.map((r, i) => (
        <Text key={r.c.id} inverse={top + i === cursor} wrap="truncate">
          {rowLine(columns, r, now)}
        </Text>
      ))}
      {showDetail && selected && <Detail info={identities.get(selected.id)} />}
      <Text color={theme.muted}>/ filter  i t c u p sort  Enter detail  d disconnect</Text>
    </Box>
  );
}
