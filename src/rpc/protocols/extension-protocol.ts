/**
 * Our extension program (docs/architecture.md): what real libvirt lacks and an operator
 * wants from the console, served on each of our daemons' admin sockets:
 * the daemon's listening services (address, read-only, auth, who made the
 * socket), the daemon process (pid, start time, auto-shutdown timeout), what
 * depends on it (virtlogd's open logs, virtlockd's leases) for a console that
 * offers a re-exec, and events pushed to subscribers: clients connecting and
 * disconnecting, and settings changed through the admin program (so a console
 * need not poll what only changes when someone changes it). Bodies
 * are msgpack in one XDR opaque; a daemon without the program (libvirt's own)
 * answers "Cannot find program", and the console falls back to polling.
 */
import { createRequire } from 'node:module';
import { type Codec, opaque, voidCodec } from '../codec.js';
import { procedure } from './procedure.js';

/** 'vitd': not one of libvirt's program numbers. */
export const EXTENSION_PROGRAM = 0x76697464;
const BODY_MAX = 4 * 1024 * 1024;

/** msgpackr, loaded on first use: every daemon serves this program, few clients call it. */
let msgpack: typeof import('msgpackr') | undefined;
const codec = () => (msgpack ??= createRequire(import.meta.url)('msgpackr') as typeof import('msgpackr'));

export function msgpackBody<T>(): Codec<T> {
  const raw = opaque(BODY_MAX);
  return {
    encode: (w, v) => raw.encode(w, codec().pack(v)),
    decode: (r) => codec().unpack(raw.decode(r)) as T,
  };
}

export interface ServiceListing {
  server: string;
  transport: 'unix' | 'tcp' | 'tls';
  /** A socket path, or host:port. */
  address: string;
  readonly: boolean;
  auth: 'none' | 'sasl' | 'polkit';
  /** Bound by the daemon itself, or passed by systemd (socket activation). */
  activation: 'self' | 'systemd';
}

export interface ClientEvent {
  /** 'authenticated': a client that was still authenticating has finished (issue 11). */
  event: 'connect' | 'disconnect' | 'authenticated';
  server: string;
  id: number;
  transport: number;
  /** Seconds since the epoch, as client-list shows it. */
  timestamp: number;
  /**
   * Still to authenticate (its socket asks for SASL or polkit and it has not finished):
   * libvirt's admin API counts such clients (nclients_unauth) but cannot say which they are.
   * Absent from daemons built before it was added.
   */
  authPending?: boolean;
}

/** The clients of one server still authenticating, by id. */
export interface UnauthClients {
  server: string;
  ids: number[];
}

/** One log virtlogd has open: a guest's pipe copied into a rotating file. */
export interface OpenLogListing {
  path: string;
  /** Bytes in the current file (since its last rollover). */
  size: number;
  /** The hypervisor driver that opened it (e.g. qemu) and the guest it belongs to. */
  driver: string;
  domain: { name: string; uuid: string };
}

/** One lease virtlockd holds: a POSIX lock on byte 0 of `path` for its owners. */
export interface LeaseListing {
  /** The lockspace directory; "" for the default one, whose resources are absolute paths. */
  lockspace: string;
  resource: string;
  path: string;
  shared: boolean;
  /** The pids the lease is held for (one unless shared). */
  owners: number[];
}

/** Who the daemon is, and for our helpers what depends on them. */
export interface DaemonState {
  daemon: string;
  /** The process a re-exec (SIGUSR1) keeps. */
  pid: number;
  /** virtlogd only. */
  logs?: OpenLogListing[];
  /** virtlockd only. */
  leases?: LeaseListing[];
}

/** The daemon process, so a console can tell a restart from a dropped connection. */
export interface DaemonProcessInfo {
  name: string;
  pid: number;
  /** When the process started, seconds since the epoch. */
  startedAt: number;
  /** The auto-shutdown timeout in force, in seconds (0: never): libvirt has no call that reads it. */
  timeoutSec: number;
}

/** A setting changed through the admin program; the subscriber reads the new value itself. */
export interface SettingsEvent {
  what: 'logging' | 'threadpool' | 'client-limits' | 'timeout' | 'idle';
  /** The server whose limits changed (threadpool, client-limits). */
  server?: string;
}

/** What a server turned away or dropped under load, since the daemon started. */
export interface ServerLoadStats {
  server: string;
  /** Connections refused past max_clients + max_queued_clients. */
  refusedFull: number;
  /** Connections refused to keep descriptors for the admin server. */
  refusedDescriptors: number;
  /** Clients disconnected by their connection, by reason (events unread, a deadline, the SASL layer). */
  dropped: Record<string, number>;
}

/** The daemon's descriptors against its limit, and each server's refusals. */
export interface LoadStats {
  descriptors?: { inUse: number; limit: number | null; reserve: number };
  servers: ServerLoadStats[];
}

/** A live log subscription: libvirt's filter syntax, and the priority for categories no filter matches. */
export interface LogSubscription {
  filters: string | null;
  /** 1-4; absent: the daemon's own default priority (log_level). */
  priority?: number;
}

/** The subscription as the daemon took it: the filters as it stores them (`1:qemu` is `1:*qemu*`). */
export interface LogSubscribed {
  filters: string | null;
  priority: number;
}

export interface LogRecordMessage {
  /** ISO 8601 UTC with milliseconds. */
  time: string;
  priority: number;
  category: string;
  message: string;
}

/** Records pushed to a subscriber, gathered over one turn of the daemon's event loop. */
export interface LogRecordBatch {
  records: LogRecordMessage[];
  /** Records left out since the last batch, because more came in one turn than a batch holds. */
  dropped: number;
}

/**
 * How the daemon was started and what it is counting down to: what a console needs to
 * find its config file (and compare the running settings with it), and to show when an
 * idle daemon started with --timeout will exit. libvirt's daemons lack this; a console
 * reads the same facts from /proc there.
 */
export interface DaemonLaunch {
  name: string;
  mode: 'system' | 'session';
  uid: number;
  pid: number;
  /** The command line after the daemon's name (libvirtd's options, and --mode). */
  args: string[];
  /** The environment that decides config and logging: HOME, XDG_*, LIBVIRT_DEBUG, LIBVIRT_LOG_*. */
  env: Record<string, string>;
  /** The config file it read, or would have read (the default path, absent). */
  configFile: string;
  configFound: boolean;
  /** The auto-shutdown timeout in force, seconds (0: never). */
  timeoutSec: number;
  /** When an idle daemon exits if no client comes (ms since the epoch); null while it is not counting down. */
  idleShutdownAt: number | null;
  /** Clients that keep it from shutting down (a console that released its hold is not one). */
  holdingClients: number;
}

export const Extension = {
  listServices: procedure(1, 'LIST_SERVICES', voidCodec, msgpackBody<{ services: ServiceListing[] }>()),
  subscribeClientEvents: procedure(2, 'SUBSCRIBE_CLIENT_EVENTS', voidCodec, voidCodec),
  /** Pushed as MESSAGE frames (serial 0) to subscribers. */
  clientEvent: procedure(3, 'CLIENT_EVENT', msgpackBody<ClientEvent>(), voidCodec),
  daemonInfo: procedure(4, 'DAEMON_INFO', voidCodec, msgpackBody<DaemonProcessInfo>()),
  /** Pushed as MESSAGE frames to the subscribers of client events. */
  settingsEvent: procedure(5, 'SETTINGS_EVENT', msgpackBody<SettingsEvent>(), voidCodec),
  /** The daemon's pid, and virtlogd's open logs or virtlockd's held leases. */
  getDaemonState: procedure(6, 'GET_DAEMON_STATE', voidCodec, msgpackBody<DaemonState>()),
  /** Descriptors in use against the limit, and what each server refused or dropped. */
  getLoadStats: procedure(7, 'GET_LOAD_STATS', voidCodec, msgpackBody<LoadStats>()),
  // 8-19: the operator's tasks (live log, drift, idle countdown). 20 and up: the host console.
  /** Live log: records matching the filters are pushed (LOG_RECORDS) until unsubscribed; again replaces the filters. */
  subscribeLog: procedure(8, 'SUBSCRIBE_LOG', msgpackBody<LogSubscription>(), msgpackBody<LogSubscribed>()),
  /** Pushed as MESSAGE frames to log subscribers. */
  logRecords: procedure(9, 'LOG_RECORDS', msgpackBody<LogRecordBatch>(), voidCodec),
  unsubscribeLog: procedure(10, 'UNSUBSCRIBE_LOG', voidCodec, voidCodec),
  /** How the daemon was started (config file, options, environment) and its idle countdown. */
  getDaemonLaunch: procedure(11, 'GET_DAEMON_LAUNCH', voidCodec, msgpackBody<DaemonLaunch>()),
  /** This connection stops counting against auto-shutdown: a console watching must not keep the daemon up. */
  releaseIdleHold: procedure(12, 'RELEASE_IDLE_HOLD', voidCodec, voidCodec),
  /** Which clients of each server are still authenticating (a console attaching late learns them here). */
  listUnauthClients: procedure(20, 'LIST_UNAUTH_CLIENTS', voidCodec, msgpackBody<{ servers: UnauthClients[] }>()),
} as const;
