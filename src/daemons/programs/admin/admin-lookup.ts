/**
 * Finding the server or client an admin call names, with the error flavour
 * libvirt 9.0 gives for that procedure (admin-api.md §3): lookups done by the
 * dispatcher (A, C: domain RPC) and lookups done inside the admin API (B, D:
 * domain ADMIN) word their errors differently.
 */
import { ErrorCode, ErrorDomain, errorsFrom, unsupportedFlags } from '../../../rpc/index.js';
import type { Daemon, Server, ServerClient } from '../../runtime/index.js';

const rpcError = errorsFrom(ErrorDomain.Rpc);
const adminError = errorsFrom(ErrorDomain.Admin);

export type Flavour = 'rpc' | 'admin';

export function findServer(daemon: Daemon, name: string, flavour: Flavour): Server {
  const server = daemon.lookupServer(name);
  if (server) return server;
  throw flavour === 'rpc'
    ? rpcError(ErrorCode.NoServer, `No server named '${name}'`)
    : adminError(ErrorCode.NoServer, `no server with matching name '${name}' found`);
}

export function findClient(server: Server, id: bigint, flavour: Flavour): ServerClient {
  const client = server.lookupClient(id);
  if (client) return client;
  throw flavour === 'rpc'
    ? rpcError(ErrorCode.NoClient, `No client with matching ID '${id}'`)
    : adminError(ErrorCode.NoClient, `no client with matching id '${id}' found`);
}

/** Every flag-taking admin procedure accepts no flags today. */
export function checkNoFlags(flags: number, cFunction: string): void {
  if (flags !== 0) throw unsupportedFlags(ErrorDomain.Admin, flags, cFunction);
}
