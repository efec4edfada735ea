/**
 * Our extension program (DESIGN.md): what real libvirt lacks and an operator
 * wants from the console, served on each of our daemons' admin sockets:
 * the daemon's listening services (address, read-only, auth, who made the
 * socket) and client connect/disconnect events pushed to subscribers. Bodies
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

export const Extension = {
  listServices: procedure(1, 'LIST_SERVICES', voidCodec, msgpackBody<{ services: ServiceListing[] }>()),
  subscribeClientEvents: procedure(2, 'SUBSCRIBE_CLIENT_EVENTS', voidCodec, voidCodec),
  /** Pushed as MESSAGE frames (serial 0) to subscribers. */
  clientEvent: procedure(3, 'CLIENT_EVENT', msgpackBody<ClientEvent>(), voidCodec),
} as const;
