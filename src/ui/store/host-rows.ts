/**
 * The host-wide client table (issue 12): every client of every attached
 * daemon, each with its daemon, server, identity and the process behind it.
 * A filter is words that must all match, as in the clients view, plus
 * `daemon:`, `server:`, `proc:` (command name or arguments), `age:>1h` /
 * `age:<10m` (time since it connected: libvirt keeps no per-client activity
 * time, so "idle" cannot be known) and `auth:no` (still authenticating, where
 * the daemon says: ours). Rows are built once per change of a daemon's data
 * and ordered once per change of rows, filter or sort.
 */
import type { ClientInfo, ClientSummary, PeerProcess } from '../../admin-client/index.js';
import { matchesFilter, parseFilter, sameItems, userSortValue } from './client-rows.js';
import { clientKey, type SortKey, type TargetState } from './console-state.js';

export interface HostClientRow {
  /** Unique on the host: the daemon's admin socket and the client's key. */
  rowKey: string;
  targetKey: string;
  daemon: string;
  c: ClientSummary;
  info: ClientInfo | undefined;
  /** The local process behind it; null when it cannot be seen from here; undefined while unknown. */
  process: PeerProcess | null | undefined;
  /** Still authenticating (true), done (false), or not told by the daemon (undefined: libvirt's). */
  unauthenticated: boolean | undefined;
}

const HOST_FIELDS = ['daemon', 'server', 'proc', 'age', 'auth'] as const;
type HostField = (typeof HOST_FIELDS)[number];

interface HostTerm {
  field: HostField;
  value: string;
}

const cache = new WeakMap<TargetState['clientsByServer'], { deps: unknown[]; rows: HostClientRow[] }>();

/** One daemon's rows, built again only when its clients, identities, processes or name changed (not on every sample). */
export function targetRows(t: TargetState): HostClientRow[] {
  const deps = [t.allIdentities, t.processes, t.unauthenticated, t.unauthKnown, t.daemonName];
  const hit = cache.get(t.clientsByServer);
  if (hit && hit.deps.every((d, i) => d === deps[i])) return hit.rows;
  const daemon = t.daemonName ?? t.uri;
  const rows: HostClientRow[] = [];
  for (const list of Object.values(t.clientsByServer)) {
    for (const c of list) {
      const key = clientKey(c);
      rows.push({ rowKey: `${t.key}#${key}`, targetKey: t.key, daemon, c, info: t.allIdentities.get(key), process: t.processes.get(key), unauthenticated: t.unauthKnown ? t.unauthenticated.has(key) : undefined });
    }
  }
  cache.set(t.clientsByServer, { deps, rows });
  return rows;
}

/** "1h", "90m", "30s", "2d" in seconds; NaN when not a duration. */
export function durationSec(text: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
}

function hostTermMatches(r: HostClientRow, t: HostTerm, nowMs: number): boolean {
  switch (t.field) {
    case 'daemon': return r.daemon.toLowerCase().includes(t.value);
    case 'server': return r.c.server.toLowerCase().includes(t.value);
    case 'proc': return !!r.process && [r.process.command, ...r.process.args].some((a) => a.toLowerCase().includes(t.value));
    case 'auth': return r.unauthenticated !== undefined && r.unauthenticated === ['no', 'n', 'false', '0', 'pending'].includes(t.value);
    case 'age': {
      const limit = durationSec(t.value.replace(/^[<>]/, ''));
      const age = nowMs / 1000 - r.c.connectedAt;
      return Number.isFinite(limit) && (t.value.startsWith('<') ? age < limit : age > limit);
    }
  }
}

/** Splits a filter into the host's own terms and the clients view's. */
export function parseHostFilter(text: string): { host: HostTerm[]; rest: string } {
  const host: HostTerm[] = [];
  const rest: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const colon = word.indexOf(':');
    const field = word.slice(0, colon).toLowerCase();
    if (colon > 0 && (HOST_FIELDS as readonly string[]).includes(field)) host.push({ field: field as HostField, value: word.slice(colon + 1).toLowerCase() });
    else rest.push(word);
  }
  return { host, rest: rest.join(' ') };
}

/** The process as the table shows it: command, then its arguments after argv[0]. */
export function processText(p: PeerProcess | null | undefined): string {
  if (p === undefined) return '';
  if (p === null) return '?';
  return [p.command, ...p.args.slice(1)].join(' ');
}

function sortValue(r: HostClientRow, key: SortKey): string | number | undefined {
  switch (key) {
    case 'id': return r.c.id;
    case 'transport': return r.c.transport;
    case 'connectedAt': return r.c.connectedAt;
    case 'user': return userSortValue(r.info);
    case 'pid': return r.info?.unixProcessId;
    case 'daemon': return r.daemon;
    case 'server': return r.c.server;
    case 'process': return r.process ? processText(r.process) : undefined;
  }
}

/** A row with what it sorts by, read once (a sort of 10,000 rows compares ~140,000 times). */
interface Keyed {
  v: string | number | undefined;
  /** Its place in tie order. */
  rank: number;
  r: HostClientRow;
}

/** Rows that tie: by daemon, server, id, then the daemon's socket (two daemons of one name: a system's and a user's). */
function tie(a: HostClientRow, b: HostClientRow): number {
  if (a.daemon !== b.daemon) return a.daemon < b.daemon ? -1 : 1;
  if (a.c.server !== b.c.server) return a.c.server < b.c.server ? -1 : 1;
  if (a.c.id !== b.c.id) return a.c.id - b.c.id;
  return a.targetKey < b.targetKey ? -1 : a.targetKey > b.targetKey ? 1 : 0;
}

const tieRanks = new WeakMap<HostClientRow[], Map<HostClientRow, number>>();

/** Each row's place in tie order, once per set of rows (then a tie costs one subtraction). */
function ranksOf(rows: HostClientRow[]): Map<HostClientRow, number> {
  let ranks = tieRanks.get(rows);
  if (!ranks) {
    ranks = new Map([...rows].sort(tie).map((r, i) => [r, i]));
    tieRanks.set(rows, ranks);
  }
  return ranks;
}

/** Known values in ascending order, and the rows whose value is unknown (always last, in tie order). */
function sortAscending(rows: HostClientRow[], key: SortKey): { known: HostClientRow[]; unknown: HostClientRow[] } {
  const ranks = ranksOf(rows);
  const keyed: Keyed[] = rows.map((r) => ({ v: sortValue(r, key), rank: ranks.get(r)!, r }));
  const byRank = (a: Keyed, b: Keyed) => a.rank - b.rank;
  const known = keyed.filter((k) => k.v !== undefined);
  const unknown = known.length === keyed.length ? [] : keyed.filter((k) => k.v === undefined).sort(byRank);
  known.sort((a, b) => (a.v! < b.v! ? -1 : a.v! > b.v! ? 1 : a.rank - b.rank));
  return { known: known.map((k) => k.r), unknown: unknown.map((k) => k.r) };
}

let filtered: { inputs: unknown[]; rows: HostClientRow[] } | undefined;
let ascending: { rows: HostClientRow[]; key: SortKey; order: { known: HostClientRow[]; unknown: HostClientRow[] } } | undefined;
let last: { inputs: unknown[]; out: HostClientRow[] } | undefined;

/**
 * Every daemon's rows, filtered and sorted. Each step is kept for the next call: the same
 * answer is not computed twice, and the other direction of the same sort is the known values
 * reversed (the order is total), not a sort again.
 */
export function orderHostRows(perTarget: HostClientRow[][], filter: string, key: SortKey, descending: boolean, nowMs: number): HostClientRow[] {
  const { host, rest } = parseHostFilter(filter);
  const ageMatters = host.some((t) => t.field === 'age');
  const filterInputs = [filter, ageMatters ? Math.floor(nowMs / 1000) : 0, ...perTarget];
  const inputs = [key, descending, ...filterInputs];
  if (last && sameItems(last.inputs, inputs)) return last.out;
  if (!filtered || !sameItems(filtered.inputs, filterInputs)) {
    const terms = parseFilter(rest);
    const all = perTarget.flat();
    filtered = { inputs: filterInputs, rows: host.length || terms.length ? all.filter((r) => host.every((t) => hostTermMatches(r, t, nowMs)) && matchesFilter(r.c, r.info, terms)) : all };
  }
  if (!ascending || ascending.rows !== filtered.rows || ascending.key !== key) ascending = { rows: filtered.rows, key, order: sortAscending(filtered.rows, key) };
  const { known, unknown } = ascending.order;
  last = { inputs, out: descending ? [...known].reverse().concat(unknown) : known.concat(unknown) };
  return last.out;
}
