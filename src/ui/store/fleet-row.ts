/**
 * One host of the fleet in one line (issue 14): whether it is reachable (or
 * why not, as its connection explains it), how many of its daemons answer,
 * its clients, and the fullest pool or limit among its daemons. Figures come
 * from the host's own console store, from the same samples its dashboard draws.
 */
import type { ConnectionState } from '../../admin-client/index.js';
import type { Console } from './console-store.js';
import { dashboardRows } from './dashboard-rows.js';
import type { HostWarnings } from './host-warnings.js';
import { saturation, type Saturation } from './saturation.js';

export type Reach = 'connecting' | 'up' | 'down';

export interface WorstSaturation {
  daemon: string;
  what: 'clients' | 'unauth clients' | 'workers';
  used: number;
  max: number;
  level: Saturation;
}

export interface FleetRow {
  /** The host as the operator wrote it (--host or the hosts file). */
  spec: string;
  name: string;
  reach: Reach;
  /** Why the host is down or not attached yet, as its connection or discovery said. */
  problem?: string;
  /** Daemons whose admin connection answers, of those found running or attached. */
  daemonsUp: number;
  daemonsKnown: number;
  /** Clients of every daemon but their admin servers (the console's own connections). */
  clients: number;
  worst?: WorstSaturation;
  /** When the host's figures were last read from a daemon (ms since the epoch); a down host's stays. */
  updatedAt?: number;
  /** Drift and certificate warnings of its daemons, from the last look (none yet: undefined). */
  warnings?: HostWarnings;
}

/** The host's connection as the fleet sees it: the transport's state, or only this side's for a local host. */
export function reachOf(state: ConnectionState | undefined): Reach {
  if (state === undefined || state === 'connected') return 'up';
  return state === 'connecting' ? 'connecting' : 'down';
}

/** The summary of a host whose console store exists. */
export function summarizeHost(s: Console): Pick<FleetRow, 'daemonsUp' | 'daemonsKnown' | 'clients' | 'worst' | 'updatedAt'> {
  const rows = dashboardRows({ daemons: s.daemons, targets: s.targets, showAbsent: false });
  const known = rows.filter((r) => r.target || r.found?.running);
  let clients = 0;
  let worst: WorstSaturation | undefined;
  let worstRatio = -1;
  let updatedAt: number | undefined;
  for (const r of known) {
    const seen = r.target?.history.at(-1)?.at;
    if (seen !== undefined && (updatedAt === undefined || seen > updatedAt)) updatedAt = seen;
    if (r.target?.connection !== 'connected') continue;
    const sample = r.target.history.at(-1);
    if (!sample) continue;
    clients += sample.clients;
    const gauges: [WorstSaturation['what'], number, number][] = [
      ['clients', sample.clients, sample.clientsMax],
      ['unauth clients', sample.unauth, sample.unauthMax],
      ['workers', sample.workersBusy, sample.workersMax],
    ];
    for (const [what, used, max] of gauges) {
      if (!(max > 0) || used / max <= worstRatio) continue;
      worstRatio = used / max;
      worst = { daemon: r.name, what, used, max, level: saturation(used, max) };
    }
  }
  return { daemonsUp: known.filter((r) => r.target?.connection === 'connected').length, daemonsKnown: known.length, clients, worst, updatedAt };
}
