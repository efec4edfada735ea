/**
 * The console's state: what the views draw, by slice. The attached daemon is
 * one `target` (DESIGN.md, "targets, hosts, fleet"): its connection and
 * everything fetched from it. View state (cursors, sort, filter), prompts,
 * the status line and the host's discovered daemons sit beside it, so that
 * keeping several targets later changes only where `target` comes from.
 */
import type {
  ClientInfo,
  ClientLimits,
  ClientSummary,
  ConnectionState,
  DaemonProcess,
  ServiceListing,
  ThreadpoolInfo,
} from '../../admin-client/index.js';

export type ViewName = 'daemons' | 'servers' | 'clients' | 'logging' | 'log' | 'tls';
export const VIEWS: readonly ViewName[] = ['daemons', 'servers', 'clients', 'logging', 'log', 'tls'];

export type SortKey = 'id' | 'transport' | 'connectedAt' | 'user' | 'pid';

export interface ServerState {
  name: string;
  threadpool?: ThreadpoolInfo;
  limits?: ClientLimits;
  /** Its listening sockets, from our daemons' extension program; undefined from libvirt's. */
  services?: ServiceListing[];
}

/** One attached daemon and what the console knows of it. */
export interface TargetState {
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
  clients: ClientSummary[];
  /** Who each client of `clientServer` is, by id: fetched once per id (it never changes), every id. */
  identities: Map<number, ClientInfo>;
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
  | { kind: 'confirm'; text: string; onYes: () => Promise<void> }
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
