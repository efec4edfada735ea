/**
 * 5 All clients: every client of every daemon on the host in one table
 * (issue 12), with the process behind each local client; filter and sort by
 * any column, a detail, a single disconnect, and a batch disconnect of what
 * the filter shows. Only the rows that fit are drawn.
 */
import { Box, Text } from 'ink';
import { useShallow } from 'zustand/react/shallow';
import { windowAround } from '../store/client-rows.js';
import type { HostClientRow } from '../store/host-rows.js';
import { useConsole } from '../store/store-context.js';
import { hostTargets, orderedHostClients } from '../store/view-slice.js';
import { theme } from '../theme.js';
import { formatLocalTime } from '../cli/local-time.js';
import { hostHeaderLine, hostRowLine, layoutHostColumns } from './host-columns.js';

function Detail({ r }: { r: HostClientRow }) {
  return (
    <Box flexDirection="column" borderStyle="single" borderColor={theme.accent} paddingX={1}>
      <Text bold>
        client {r.c.id} of {r.daemon}, server {r.c.server}
      </Text>
      <Text>{'connection_time'.padEnd(16)}{formatLocalTime(r.c.connectedAt)}</Text>
      <Text>{'transport'.padEnd(16)}{r.c.transport}</Text>
      {r.unauthenticated !== undefined && <Text>{'authenticated'.padEnd(16)}{r.unauthenticated ? 'not yet' : 'yes'}</Text>}
      {r.info ? (
        r.info.params.map((p) => (
          <Text key={p.field}>
            {p.field.padEnd(16)}
            {typeof p.value === 'boolean' ? (p.value ? 'yes' : 'no') : String(p.value)}
          </Text>
        ))
      ) : (
        <Text color={theme.muted}>identity not known yet: the daemon gives it once the client has made its first call</Text>
      )}
      {r.process && <Text wrap="wrap">{'process'.padEnd(16)}{r.process.command}: {r.process.args.join(' ')}</Text>}
      {r.process === null && <Text color={theme.muted}>{'process'.padEnd(16)}not visible from here (another pid namespace, or gone)</Text>}
    </Box>
  );
}

export function HostClientsView() {
  const rows = useConsole((s) => orderedHostClients(s));
  const targets = useConsole(useShallow((s) => hostTargets(s)));
  const filter = useConsole((s) => s.hostFilter);
  const sortKey = useConsole((s) => s.hostSortKey);
  const descending = useConsole((s) => s.hostSortDescending);
  const cursor = useConsole((s) => s.hostCursor);
  const pageSize = useConsole((s) => s.pageSize);
  const width = useConsole((s) => s.columns);
  const showDetail = useConsole((s) => s.showDetail);
  const { top, end } = windowAround(cursor, rows.length, pageSize);
  const visible = rows.slice(top, end);
  const columns = layoutHostColumns(visible, width);
  const nowMs = Date.now();
  const total = targets.reduce((n, t) => n + Object.values(t.clientsByServer).reduce((m, l) => m + l.length, 0), 0);
  const known = targets.reduce((n, t) => n + t.allIdentities.size, 0);
  const listing = targets.filter((t) => t.connection === 'connected' && !Object.keys(t.clientsByServer).length).length;
  const selected = rows[cursor];
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        <Text bold>all clients of {targets.length} daemons</Text>
        <Text color={theme.muted}>
          {'  '}
          {rows.length} of {total} clients  sorted by {sortKey}
          {descending ? ' (reversed)' : ''}
          {filter ? `  filter "${filter}"` : ''}
          {rows.length > pageSize ? `  rows ${top + 1}-${end}` : ''}
        </Text>
        {known < total && <Text color={theme.warn}>  identity known for {known.toLocaleString('en')} of {total.toLocaleString('en')}</Text>}
        {listing > 0 && <Text color={theme.warn}>  {listing} daemons not listed yet</Text>}
      </Text>
      <Text color={theme.muted} wrap="truncate">{hostHeaderLine(columns)}</Text>
      {visible.map((r, i) => (
        <Text key={r.rowKey} inverse={top + i === cursor} wrap="truncate">
          {hostRowLine(columns, r, nowMs)}
        </Text>
      ))}
      {showDetail && selected && <Detail r={selected} />}
      <Text color={theme.muted}>/ filter  i t c u p n e x sort  Enter detail  d disconnect  D disconnect all shown</Text>
    </Box>
  );
}
