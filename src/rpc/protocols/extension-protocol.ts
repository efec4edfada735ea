/**
 * Our extension program (docs/architecture.md): what real libvirt lacks and an operator
 * wants from the console, served on each of our daemons' admin sockets:
 * the daemon's listening services (address, read-only, auth, who made the
 * socket), client connect/disconnect events pushed to subscribers, and the
 * daemon's pid with what depends on it (virtlogd's open logs, virtlockd's
 * leases) for a console that offers a re-exec. Bodies
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
  event: 'connect' | 'disconnect';
  server: string;
  id: number;
  transport: number;
  /** Seconds since the epoch, as client-list shows it. */
  timestamp: number;
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

export const Extension = {
  listServices: procedure(1, 'LIST_SERVICES', voidCodec, msgpackBody<{ services: ServiceListing[] }>()),
  subscribeClientEvents: procedure(2, 'SUBSCRIBE_CLIENT_EVENTS', voidCodec, voidCodec),
  /** Pushed as MESSAGE frames (serial 0) to subscribers. */
  clientEvent: procedure(3, 'CLIENT_EVENT', msgpackBody<ClientEvent>(), voidCodec),
  /** The daemon's pid, and virtlogd's open logs or virtlockd's held leases. */
  getDaemonState: procedure(4, 'GET_DAEMON_STATE', voidCodec, msgpackBody<DaemonState>()),
} as const;
