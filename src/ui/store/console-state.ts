/**
 * The console's state: what the views draw, by slice. Every daemon the console
 * is attached to is one target (docs/architecture.md, "targets, hosts, fleet"):
 * its connection and everything fetched from it, keyed by its admin socket.
 * The host layer above them holds what discovery found and each target's
 * saturation history; `target` is the selected one, which the single-daemon
 * views (servers, clients, logging) show. View state (cursors, sort, filter),
 * prompts and the status line sit beside them.
 */
import type {
  ClientInfo,
  ClientLimits,
  ClientSummary,
  ConnectionState,
  DaemonProcess,
  DaemonState,
  LoadStats,
  PeerProcess,
  ServerLoadStats,
  ServiceListing,
  ThreadpoolInfo,
} from '../../admin-client/index.js';

export type ViewName = 'dashboard' | 'servers' | 'clients' | 'logging' | 'host-clients' | 'log' | 'tls';
export const VIEWS: readonly ViewName[] = ['dashboard', 'servers', 'clients', 'logging', 'host-clients', 'log', 'tls'];

export type SortKey = 'id' | 'transport' | 'connectedAt' | 'user' | 'pid' | 'daemon' | 'server' | 'process';

export interface ServerState {
  name: string;
  threadpool?: ThreadpoolInfo;
  limits?: ClientLimits;
  /** Its listening sockets, from our daemons' extension program; undefined from libvirt's. */
  services?: ServiceListing[];
  /** What it refused or dropped (our daemons' GET_LOAD_STATS); undefined from libvirt's. */
  load?: ServerLoadStats;
}

/** One look at a daemon's saturation, for the dashboard's sparklines and peaks. */
export interface SaturationSample {
  /** ms since the epoch. */
  at: number;
  clients: number;
  clientsMax: number;
  unauth: number;
  /** 0: no limit. */
  unauthMax: number;
  workersBusy: number;
  workersMax: number;
  queue: number;
}

/** A client is known by its server and id (ids are counted per server). */
export function clientKey(c: { server: string; id: number }): string {
  return `${c.server}#${c.id}`;
}

/** One attached daemon and what the console knows of it. */
export interface TargetState {
  /** Its admin socket: unique on a host, and how the host layer knows the target. */
  key: string;
  /** Discovery's view of it: mode, and the user whose session daemon it is (when another's). */
  mode?: 'system' | 'session';
  uid?: number;
  uri: string;
  /** The admin socket: where the daemon lives, as the admin client resolved it. */
  socketPath: string;
  /** The daemon the URI names (libvirtd, virtqemud, ...), when it names one. */
  daemonName: string | undefined;
  connection: ConnectionState;
  connectionError?: string;
  /** The daemon pushes events (our extension program): clients and settings follow without polling. */
  liveEvents: boolean;
  /** When the data on screen was fetched (ms since the epoch). */
  refreshedAt?: number;
  servers: ServerState[];
  /** The server whose clients the clients view shows. */
  clientServer: string;
  /** The clients of `clientServer`, the list the clients view shows. */
  clients: ClientSummary[];
  /** Who each client of `clientServer` is, by id: fetched once per id (it never changes), every id. */
  identities: Map<number, ClientInfo>;
  /** Every server's clients, by server (the host-wide table); a server not listed yet is absent. */
  clientsByServer: Record<string, ClientSummary[]>;
  /** Who each client is, by clientKey, for every server: fetched once per client. */
  allIdentities: Map<string, ClientInfo>;
  /** The process behind each local client, by clientKey (null: not visible from here). */
  processes: Map<string, PeerProcess | null>;
  /** Clients still authenticating, by clientKey (our daemons say which; libvirt's only count them). */
  unauthenticated: Set<string>;
  /** Whether `unauthenticated` is known (our daemons), or only the counts are (libvirt's). */
  unauthKnown: boolean;
  /** Descriptors in use against the limit, and refusals (our daemons). */
  load?: LoadStats;
  /** virtlogd's open logs, virtlockd's leases (our helpers). */
  dependents?: DaemonState;
  /** The last 10 minutes of saturation, oldest first. */
  history: SaturationSample[];
  logFilters: string | null;
  logOutputs: string;
  /** The daemon process (pid, start), when it can be known: restarts are told from it. */
  process?: DaemonProcess;
  /** A debug (priority 1) filter or output is on: polling slows so as not to flood the log it helps read. */
  debugLogging: boolean;
}

/** A prompt or dialog over the view: what it asks and what to do with the answer. */
export type Overlay =
  | { kind: 'help' }
  | { kind: 'text'; title: string; text: string }
  | { kind: 'confirm'; text: string; onYes: () => Promise<void>; title?: string }
  | {
      kind: 'input';
      label: string;
      value: string;
      /** Where typing goes, 0..value.length. */
      cursor: number;
      /** The palette keeps a history and completes verbs, options and servers. */
      palette: boolean;
      /** Walking the palette's history: the entry shown, and the line being typed before. */
      historyIndex?: number;
      draft?: string;
      onSubmit: (value: string) => Promise<void>;
    };

export type Tone = 'ok' | 'error' | 'notice';

export interface StatusMessage {
  text: string;
  tone: Tone;
  /** When it was said (ms since the epoch): messages expire. */
  at: number;
}
