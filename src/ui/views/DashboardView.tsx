/**
 * 1 Host: every daemon found on the host, one row each, live (issue 12):
 * state, pid and uptime, auto-shutdown timeout, log filters in short, sockets
 * (active, stale, absent; bound by itself or passed by systemd), then clients,
 * unauthenticated clients, busy workers and the job queue against their
 * limits with the last 10 minutes and the peak; for our daemons descriptors
 * and refusals, and what depends on a helper (open logs, leases).
 */
import { Box, Text } from 'ink';
import type { DiscoveredSocket } from '../../admin-client/index.js';
import { windowAround } from '../store/client-rows.js';
import { absentCount, type DashboardRow, dashboardRows } from '../store/dashboard-rows.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';
import { Metric, shortFilters, uptime } from './dashboard-cells.js';

const STATE = { active: ['●', theme.ok], stale: ['○', theme.warn], absent: ['·', theme.muted], denied: ['×', theme.danger] } as const;
const LINK = { connected: ['up', theme.ok], connecting: ['connecting', theme.warn], reconnecting: ['down', theme.danger], lost: ['down', theme.danger], closed: ['closed', theme.muted] } as const;

function Sockets({ sockets, activation }: { sockets: DiscoveredSocket[]; activation: string | undefined }) {
  return (
    <Text>
      {sockets.filter((s) => s.role !== 'tcp' && s.role !== 'tls' || s.state === 'active').map((s) => (
        <Text key={s.role} color={STATE[s.state][1]}>
          {STATE[s.state][0]} {s.role}{' '}
        </Text>
      ))}
      {activation && <Text color={theme.muted}>({activation})</Text>}
    </Text>
  );
}

function DaemonRow({ row, selected, shown, nowMs }: { row: DashboardRow; selected: boolean; shown: boolean; nowMs: number }) {
  const t = row.target;
  const who = row.uid !== undefined ? ` uid ${row.uid}` : '';
  const head = (
    <Text>
      <Text color={theme.accent}>{shown ? '▶ ' : '  '}</Text>
      <Text inverse={selected} bold={!!t}>{row.name.padEnd(14)}</Text>
      <Text> {`${row.mode}${who}`.padEnd(14)}</Text>
    </Text>
  );
  if (!t) {
    const why = row.found?.socketsHeldBy ? `its socket paths are ${row.found.socketsHeldBy}'s` : row.found?.running ? 'attaching…' : 'not running';
    return (
      <Text wrap="truncate">
        {head}
        <Text color={theme.muted}>{why.padEnd(16)}</Text>
        {row.found && !row.found.socketsHeldBy && <Sockets sockets={row.found.sockets} activation={undefined} />}
      </Text>
    );
  }
  const [link, colour] = LINK[t.connection];
  const p = t.process;
  const activation = t.servers.flatMap((s) => s.services ?? []).some((s) => s.activation === 'systemd') ? 'systemd' : t.servers.some((s) => s.services?.length) ? 'self' : undefined;
  const last = t.history.at(-1);
  const d = t.load?.descriptors;
  const refused = t.load ? t.load.servers.reduce((n, s) => n + s.refusedFull + s.refusedDescriptors, 0) : undefined;
  // What a re-exec must carry over; shown when there is some (a 100-column row has room for little beside the log filters).
  const deps = t.dependents?.logs?.length ? `${t.dependents.logs.length} open logs` : t.dependents?.leases?.length ? `${t.dependents.leases.length} leases` : undefined;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        {head}
        <Text color={colour}>● {link.padEnd(5)}</Text>
        <Text>{p ? ` pid ${p.pid}` : ' pid ?'}</Text>
        <Text color={theme.muted}>{p?.startedAt !== undefined ? ` up ${uptime(nowMs / 1000 - p.startedAt)}` : ''}</Text>
        <Text color={theme.muted}>{`  timeout ${p?.timeoutSec === undefined ? '?' : p.timeoutSec === 0 ? 'never' : `${p.timeoutSec}s`}  `}</Text>
        {row.found && <Sockets sockets={row.found.sockets} activation={activation} />}
      </Text>
      {t.connection !== 'connected' && t.connectionError && (
        <Text color={theme.danger} wrap="truncate-middle">
          {'    '}
          {t.connectionError}
        </Text>
      )}
      <Text wrap="truncate">
        {'    '}
        <Metric label="clients" value={last?.clients} limit={last?.clientsMax} history={t.history} pick={(s) => s.clients} nowMs={nowMs} />
        {'  '}
        <Metric label="unauth" value={last?.unauth} limit={last?.unauthMax} zeroUnlimited history={t.history} pick={(s) => s.unauth} nowMs={nowMs} />
        {d && <Text color={theme.muted}>{`  fds ${d.inUse}/${d.limit ?? '∞'}`}</Text>}
      </Text>
      <Text wrap="truncate">
        {'    '}
        <Metric label="workers" value={last?.workersBusy} limit={last?.workersMax} history={t.history} pick={(s) => s.workersBusy} nowMs={nowMs} />
        {'  '}
        <Metric label="queue" value={last?.queue} limit={undefined} scale={last?.workersMax} history={t.history} pick={(s) => s.queue} nowMs={nowMs} />
        {/* Only when some were turned away: "refused 0" would push the log filters off a 100-column row (the servers view always counts them). */}
        {refused !== undefined && refused > 0 && <Text color={theme.warn}>{`  refused ${refused}`}</Text>}
        {deps && <Text color={theme.muted}>{`  ${deps}`}</Text>}
        <Text color={theme.muted}>{`  log ${shortFilters(t.logFilters, 12)}`}</Text>
      </Text>
    </Box>
  );
}

/** Lines a row takes: attached daemons three (four with an error), the others one. */
const height = (r: DashboardRow) => (r.target ? (r.target.connection !== 'connected' && r.target.connectionError ? 4 : 3) : 1);

export function DashboardView() {
  const daemons = useConsole((s) => s.daemons);
  const targets = useConsole((s) => s.targets);
  const showAbsent = useConsole((s) => s.showAbsent);
  const cursor = useConsole((s) => s.daemonCursor);
  const pageSize = useConsole((s) => s.pageSize);
  const shownKey = useConsole((s) => s.selectedKey);
  const hostName = useConsole((s) => s.hostName);
  const hostProblem = useConsole((s) => s.hostProblem);
  const rows = dashboardRows({ daemons, targets, showAbsent });
  if (rows.length === 0) return <Text color={theme.muted}>looking for daemons…</Text>;
  // The rows around the cursor that fit in the screen's lines.
  const room = pageSize + 6;
  let { top } = windowAround(cursor, rows.length, Math.max(1, Math.floor(room / 3)));
  let end = top;
  for (let used = 0; end < rows.length && used + height(rows[end]!) <= room; end++) used += height(rows[end]!);
  if (cursor >= end) top = end = cursor + 1;
  const nowMs = Date.now();
  const running = rows.filter((r) => r.target?.connection === 'connected').length;
  const absent = absentCount(daemons);
  const total = rows.reduce((n, r) => n + (r.target?.history.at(-1)?.clients ?? 0), 0);
  return (
    <Box flexDirection="column">
      <Text color={theme.muted}>
        <Text bold color={undefined}>{hostName}</Text>: {running} daemons answering, {total} clients{'  '}
        {showAbsent ? '(a: hide daemons not here)' : `(${absent} known daemons not here: a lists them)`}
      </Text>
      {hostProblem ? <Text color={theme.danger}>{hostProblem}</Text> : null}
      {rows.slice(top, end).map((r, j) => (
        <DaemonRow key={`${r.name}-${r.mode}-${r.uid ?? ''}-${r.key ?? ''}`} row={r} selected={top + j === cursor} shown={r.key === shownKey} nowMs={nowMs} />
      ))}
      <Text color={theme.muted}>
        {rows.length > end - top ? `rows ${top + 1}-${end} of ${rows.length}, ↑/↓ for more  ` : ''}▶ shown in views 2-4 (Enter)  R: re-exec virtlogd/virtlockd  5: all clients
      </Text>
    </Box>
  );
}
