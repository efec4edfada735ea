/** The admin client's friendly result types. */
import type { TypedParam } from '../rpc/index.js';

export interface ThreadpoolInfo {
  minWorkers: number;
  maxWorkers: number;
  nWorkers: number;
  freeWorkers: number;
  prioWorkers: number;
  jobQueueDepth: number;
}

export interface ClientLimits {
  nclientsMax: number;
  nclients: number;
  nclientsUnauthMax: number;
  nclientsUnauth: number;
}

export type TransportName = 'unix' | 'tcp' | 'tls' | 'unknown';

export interface ClientSummary {
  server: string;
  id: number;
  /** Seconds since the epoch. */
  connectedAt: number;
  transport: TransportName;
}

/** client-info, structured; `params` keeps the daemon's list in its order. */
export interface ClientInfo extends ClientSummary {
  readonly?: boolean;
  sockAddr?: string;
  x509DName?: string;
  saslUserName?: string;
  unixUserId?: number;
  unixUserName?: string;
  unixGroupId?: number;
  unixGroupName?: string;
  unixProcessId?: number;
  selinuxContext?: string;
  params: TypedParam[];
}

export interface LoggingFilters {
  /** null when the daemon has none. */
  filters: string | null;
  count: number;
}

export interface LoggingOutputs {
  outputs: string;
  count: number;
}

export type ConnectionState = 'connecting' | 'connected' | 'lost' | 'reconnecting' | 'closed';

export function transportName(t: number): TransportName {
  return (['unix', 'tcp', 'tls'] as const)[t] ?? 'unknown';
}

/** libvirt's version integer as "major.minor.micro". */
export function formatVersion(v: number): string {
  return `${Math.floor(v / 1_000_000)}.${Math.floor(v / 1000) % 1000}.${v % 1000}`;
}
