/** 3 Clients: the chosen server's clients; only the rows that fit are drawn. */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { ClientInfo, ClientSummary } from '../../admin-client/index.js';
import { formatLocalTime } from '../cli/local-time.js';
import { useConsole } from '../store/store-context.js';
import { orderClients, windowAround } from '../store/visible-clients.js';
import { theme } from '../theme.js';

function age(seconds: number): string {
  const s = Math.max(0, Math.floor(Date.now() / 1000 - seconds));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

/** Column titles and widths; the last column takes the rest of the line (100 columns in all at 100x30). */
const WIDTHS = { id: 8, transport: 11, since: 26, age: 6, ro: 4, user: 18, pid: 8 } as const;
const COLUMNS =
  '  ' +
  'id'.padEnd(WIDTHS.id) +
  'transport'.padEnd(WIDTHS.transport) +
  'connected since'.padEnd(WIDTHS.since) +
  'age'.padEnd(WIDTHS.age) +
  'ro'.padEnd(WIDTHS.ro) +
  'user (uid)'.padEnd(WIDTHS.user) +
  'pid'.padEnd(WIDTHS.pid) +
  'address / TLS DN';

function Row({ c, info, selected }: { c: ClientSummary; info: ClientInfo | undefined; selected: boolean }) {
  const user = info?.unixUserName !== undefined ? `${info.unixUserName} (${info.unixUserId})` : '';
  return (
    <Text inverse={selected} wrap="truncate">
      {'  '}
      {String(c.id).padEnd(WIDTHS.id)}
      {c.transport.padEnd(WIDTHS.transport)}
      {formatLocalTime(c.connectedAt).padEnd(WIDTHS.since)}
      {age(c.connectedAt).padEnd(WIDTHS.age)}
      {(info?.readonly === undefined ? '' : info.readonly ? 'yes' : 'no').padEnd(WIDTHS.ro)}
      {user.slice(0, WIDTHS.user - 1).padEnd(WIDTHS.user)}
      {String(info?.unixProcessId ?? '').padEnd(WIDTHS.pid)}
      {info?.x509DName ?? info?.sockAddr ?? ''}
    </Text>
  );
}

function Detail({ info }: { info: ClientInfo | undefined }) {
  if (!info) return <Text color={theme.muted}>no identity yet: the client has not made a call (libvirt creates it on the first)</Text>;
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
  const clients = useConsole((s) => s.clients);
  const info = useConsole((s) => s.clientInfo);
  const filter = useConsole((s) => s.filter);
  const sortKey = useConsole((s) => s.sortKey);
  const descending = useConsole((s) => s.sortDescending);
  const cursor = useConsole((s) => s.clientCursor);
  const pageSize = useConsole((s) => s.pageSize);
  const server = useConsole((s) => s.clientServer);
  const showDetail = useConsole((s) => s.showDetail);
  const rows = useMemo(() => orderClients(clients, info, filter, sortKey, descending), [clients, info, filter, sortKey, descending]);
  const { top, end } = windowAround(cursor, rows.length, pageSize);
  const selected = rows[cursor];
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{server || '(no server)'}</Text>
        <Text color={theme.muted}>
          {'  '}
          {rows.length} of {clients.length} clients  sorted by {sortKey}
          {descending ? ' (reversed)' : ''}
          {filter ? `  filter "${filter}"` : ''}
          {rows.length > pageSize ? `  rows ${top + 1}-${end}` : ''}
        </Text>
      </Text>
      <Text color={theme.muted} wrap="truncate">{COLUMNS}</Text>
      {rows.slice(top, end).map((c, i) => (
        <Row key={c.id} c={c} info={info.get(c.id)} selected={top + i === cursor} />
      ))}
      {showDetail && selected && <Detail info={info.get(selected.id)} />}
      <Text color={theme.muted}>/ filter  i t c sort  Enter detail  d disconnect</Text>
    </Box>
  );
}
