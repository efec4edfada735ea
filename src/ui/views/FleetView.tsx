/**
 * The fleet (issue 14): one row per host, whether it is reachable (or why
 * not), its daemons answering, its clients, and its fullest pool or limit.
 * Enter opens that host's dashboard; F or Esc there comes back here.
 */
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { SATURATION_COLOUR } from '../components/Gauge.js';
import { FLEET_KEYMAP } from '../keys/fleet-keys.js';
import type { Fleet } from '../store/fleet-console.js';
import type { FleetRow } from '../store/fleet-row.js';
import type { HostWarnings } from '../store/host-warnings.js';
import { theme } from '../theme.js';

const REACH = {
  up: { mark: '● up', colour: theme.ok },
  connecting: { mark: '◌ connecting', colour: theme.warn },
  down: { mark: '✖ down', colour: theme.danger },
} as const;

/** "3s ago", "2m ago": how old the host's figures are. */
function age(updatedAt: number | undefined, nowMs: number): string {
  if (updatedAt === undefined) return 'no data yet';
  const s = Math.max(0, Math.round((nowMs - updatedAt) / 1000));
  return s < 120 ? `${s}s ago` : `${Math.round(s / 60)}m ago`;
}

/** The row's short counts: daemons with drift, with certificate warnings, and those that could not be told. */
function WarningCounts({ w }: { w: HostWarnings | undefined }) {
  if (!w) return <Text color={theme.muted}>drift ? certs ?</Text>;
  const count = (label: string, n: number) => <Text color={n ? theme.warn : theme.muted} bold={n > 0}>{`${label} ${n}`}</Text>;
  return (
    <Text>
      {count('drift', w.drift.length)} {count('certs', w.certificates.length)}
      {w.unknown.length ? <Text color={theme.warn}>{` (${new Set(w.unknown.map((u) => u.daemon)).size} not told)`}</Text> : null}
    </Text>
  );
}

/** Which daemons the counts are about, in one line: `drift: libvirtd (max_workers) · certs: virtproxyd (expired 3 d ago)`. */
function warningDetail(w: HostWarnings | undefined): string | undefined {
  if (!w) return undefined;
  const parts = [
    ...(w.drift.length ? [`drift, lost at restart: ${w.drift.map((d) => `${d.daemon} (${d.text})`).join(', ')}`] : []),
    ...(w.certificates.length ? [`certs: ${w.certificates.map((d) => `${d.daemon} (${d.text})`).join(', ')}`] : []),
    ...(w.unknown.length ? [`not told: ${w.unknown.map((d) => `${d.daemon} ${d.text}`).join(', ')}`] : []),
  ];
  return parts.length ? parts.join(' · ') : undefined;
}

function HostRow({ row, selected, nowMs }: { row: FleetRow; selected: boolean; nowMs: number }) {
  const reach = REACH[row.reach];
  const w = row.worst;
  const detail = warningDetail(row.warnings);
  return (
    <Box flexDirection="column">
      <Text>
        <Text inverse={selected} color={selected ? theme.selected : undefined}>
          {selected ? '▶ ' : '  '}
          {row.name.padEnd(28)}
        </Text>
        {'  '}
        <WarningCounts w={row.warnings} />
      </Text>
      <Text>
        {'    '}
        <Text color={reach.colour}>{reach.mark.padEnd(13)}</Text>
        {`daemons ${row.daemonsUp}/${row.daemonsKnown}`.padEnd(14)}
        {`clients ${row.clients}`.padEnd(15)}
        {w ? (
          <Text color={SATURATION_COLOUR[w.level]} bold={w.level !== 'ok'}>
            {`worst ${w.what} ${w.used}/${w.max} (${Math.round((w.used / w.max) * 100)}%) ${w.daemon}`.padEnd(44)}
          </Text>
        ) : (
          <Text color={theme.muted}>{'worst -'.padEnd(44)}</Text>
        )}
        <Text color={theme.muted}>updated {age(row.updatedAt, nowMs)}</Text>
      </Text>
      {detail ? (
        <Text color={theme.warn} wrap="truncate-end">
          {'    '}
          {detail}
        </Text>
      ) : null}
      {row.problem ? (
        <Text color={row.reach === 'up' ? theme.warn : theme.danger} wrap="wrap">
          {'    '}
          {row.problem}
        </Text>
      ) : null}
    </Box>
  );
}

export function FleetView({ fleet }: { fleet: StoreApi<Fleet> }) {
  const rows = useStore(fleet, (s) => s.rows);
  const cursor = useStore(fleet, (s) => s.cursor);
  const note = useStore(fleet, (s) => s.note);
  // The ages count up between changes.
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const nowMs = Date.now();
  const up = rows.filter((r) => r.reach === 'up').length;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color={theme.accent}>{' Fleet '}</Text>
        <Text color={theme.muted}>
          {` ${rows.length} hosts, ${up} reachable, ${rows.reduce((n, r) => n + r.daemonsUp, 0)} daemons answering, ${rows.reduce((n, r) => n + r.clients, 0)} clients`}
        </Text>
      </Text>
      {rows.map((r, i) => (
        <HostRow key={r.spec} row={r} selected={i === cursor} nowMs={nowMs} />
      ))}
      <Text color={theme.muted}>{FLEET_KEYMAP.map((b) => `${b.keys} ${b.description}`).join('  ')}</Text>
      {note ? <Text color={theme.warn}>{note}</Text> : null}
    </Box>
  );
}
