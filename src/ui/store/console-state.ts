/** The console's state: what the views draw. Actions live in console-store.ts. */
import type { ClientInfo, ClientSummary, ClientLimits, ConnectionState, DiscoveredDaemon, ServiceListing, ThreadpoolInfo } from '../../admin-client/index.js';

export type ViewName = 'daemons' | 'servers' | 'clients' | 'logging';
export const VIEWS: readonly ViewName[] = ['daemons', 'servers', 'clients', 'logging'];

export type SortKey = 'id' | 'transport' | 'connectedAt';

export interface ServerState {
  name: string;
  threadpool?: ThreadpoolInfo;
  limits?: ClientLimits;
  /** Its listening sockets, from our daemons' extension program; undefined from libvirt's. */
  services?: ServiceListing[];
}

/** A prompt or dialog over the view: what it asks and what to do with the answer. */
export type Overlay =
  | { kind: 'help' }
  | { kind: 'confirm'; text: string; onYes: () => Promise<void> }
  | { kind: 'input'; label: string; value: string; onSubmit: (value: string) => Promise<void> };

export interface ConsoleState {
  uri: string;
  readonly: boolean;
  connection: ConnectionState;
  connectionError?: string;
  /** The daemon pushes client events (our extension program): the clients list follows at once. */
  liveEvents: boolean;
  /** When the data on screen was fetched (ms since the epoch). */
  refreshedAt?: number;
  view: ViewName;
  overlay?: Overlay;
  /** The answer to the last action, success or the daemon's error. */
  message?: { text: string; error: boolean };

  daemons: DiscoveredDaemon[];
  daemonCursor: number;

  servers: ServerState[];
  serverCursor: number;
  /** The server whose clients the clients view shows. */
  clientServer: string;

  clients: ClientSummary[];
  /** client-info by id, fetched for visible rows only. */
  clientInfo: Map<number, ClientInfo>;
  sortKey: SortKey;
  sortDescending: boolean;
  filter: string;
  clientCursor: number;
  /** Rows the clients table has room for. */
  pageSize: number;
  showDetail: boolean;

  logFilters: string | null;
  logOutputs: string;
}
