/**
 * A target's state as data: the first state of a daemon just attached, and
 * the fields derived from others (the clients view's list and identities are
 * those of its server, out of every server's).
 */
import type { AdminClient, ClientInfo, ClientSummary } from '../../admin-client/index.js';
import { clientKey, type TargetState } from './console-state.js';

export function initialTarget(admin: AdminClient, found: { mode?: 'system' | 'session'; uid?: number } = {}): TargetState {
  return {
    key: admin.target.socketPath,
    mode: found.mode ?? admin.target.mode,
    uid: found.uid,
    uri: admin.uri,
    socketPath: admin.target.socketPath,
    daemonName: admin.target.daemon,
    connection: admin.state,
    liveEvents: false,
    servers: [],
    clientServer: '',
    clients: [],
    identities: new Map(),
    clientsByServer: {},
    allIdentities: new Map(),
    processes: new Map(),
    unauthenticated: new Set(),
    unauthKnown: false,
    history: [],
    logFilters: null,
    logOutputs: '',
    debugLogging: false,
  };
}

/** `patch`, plus the clients view's list and identities when what they come from changed. */
export function withDerived(t: TargetState, patch: Partial<TargetState>): Partial<TargetState> {
  if (!('clientsByServer' in patch || 'allIdentities' in patch || 'clientServer' in patch)) return patch;
  const next = { ...t, ...patch };
  const clients = next.clientsByServer[next.clientServer] ?? [];
  // Another server's list or the same objects again: the view's list stands (a poll must not rebuild it for nothing).
  if (clients === t.clients && next.allIdentities === t.allIdentities) return patch;
  const identities = new Map<number, ClientInfo>();
  for (const c of clients) {
    const info = next.allIdentities.get(clientKey(c));
    if (info) identities.set(c.id, info);
  }
  return { ...patch, clients, identities };
}

/** Whether a list read again is the one already held (the same clients in the same order). */
function sameList(a: ClientSummary[] | undefined, b: ClientSummary[]): boolean {
  return a !== undefined && a.length === b.length && a.every((c, i) => c.id === b[i]!.id && c.connectedAt === b[i]!.connectedAt);
}

/**
 * New lists for some servers; identities and processes of clients no longer listed are
 * forgotten. A list that did not change keeps its object, so nothing built from it (the host
 * table's rows, 10,000 of them) is built again after every poll of a daemon without events.
 */
export function withClientLists(t: TargetState, given: Record<string, ClientSummary[]>): Partial<TargetState> {
  const lists = Object.fromEntries(Object.entries(given).filter(([server, list]) => !sameList(t.clientsByServer[server], list)));
  if (!Object.keys(lists).length) return {};
  const clientsByServer = { ...t.clientsByServer, ...lists };
  const gone = new Set<string>();
  for (const [server, list] of Object.entries(lists)) {
    const ids = new Set(list.map((c) => c.id));
    for (const c of t.clientsByServer[server] ?? []) if (!ids.has(c.id)) gone.add(clientKey(c));
  }
  if (!gone.size) return { clientsByServer };
  const keep = <V>(m: Map<string, V>) => new Map([...m].filter(([k]) => !gone.has(k)));
  return { clientsByServer, allIdentities: keep(t.allIdentities), processes: keep(t.processes) };
}
