/**
 * The dashboard's rows: every daemon attached or found running, every daemon
 * whose sockets are there but dead (stale) or not ours to open (denied), and
 * with `showAbsent` the known daemons of which nothing is there. Discovery's
 * order (running first), then attached daemons it did not find (a URI given
 * with -c that points elsewhere).
 */
import type { DiscoveredDaemon } from '../../admin-client/index.js';
import type { TargetState } from './console-state.js';

export interface DashboardRow {
  /** The target's key when the console is attached to it. */
  key?: string;
  name: string;
  mode: 'system' | 'session';
  uid?: number;
  found?: DiscoveredDaemon;
  target?: TargetState;
}

export interface DashboardSource {
  daemons: DiscoveredDaemon[];
  targets: Record<string, TargetState>;
  showAbsent: boolean;
}

const adminOf = (d: DiscoveredDaemon) => d.sockets.find((s) => s.role === 'admin')?.address;

let last: { daemons: DiscoveredDaemon[]; targets: Record<string, TargetState>; showAbsent: boolean; rows: DashboardRow[] } | undefined;

export function dashboardRows(s: DashboardSource): DashboardRow[] {
  if (last && last.daemons === s.daemons && last.targets === s.targets && last.showAbsent === s.showAbsent) return last.rows;
  const rows: DashboardRow[] = [];
  const seen = new Set<string>();
  for (const d of s.daemons) {
    const socket = adminOf(d);
    // libvirtd and virtproxyd share socket paths: the target belongs to the one running there.
    const target = socket && !d.socketsHeldBy && !seen.has(socket) ? s.targets[socket] : undefined;
    const there = d.sockets.some((x) => x.state !== 'absent' && x.role !== 'tcp' && x.role !== 'tls');
    if (!target && !d.running && !(there && !d.socketsHeldBy) && !s.showAbsent) continue;
    if (target) seen.add(target.key);
    rows.push({ key: target?.key, name: d.name, mode: d.mode, uid: d.uid, found: d, target });
  }
  for (const t of Object.values(s.targets)) {
    if (!seen.has(t.key)) rows.push({ key: t.key, name: t.daemonName ?? t.uri, mode: t.mode ?? 'session', uid: t.uid, target: t });
  }
  last = { daemons: s.daemons, targets: s.targets, showAbsent: s.showAbsent, rows };
  return rows;
}

/** How many known daemons have nothing on this host (hidden unless asked for). */
export function absentCount(daemons: DiscoveredDaemon[]): number {
  return daemons.filter((d) => !d.running && !d.sockets.some((x) => x.state !== 'absent' && x.role !== 'tcp' && x.role !== 'tls')).length;
}
