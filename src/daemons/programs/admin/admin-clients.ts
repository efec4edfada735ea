/**
 * Admin procedures about clients: listing, lookup, identity, disconnect
 * (admin-api.md §3.1, §3.3, §3.4).
 */
import {
  Admin,
  ADMIN_CLIENT_LIST_MAX,
  type AdminClientRef,
  boolParam,
  ClientInfoParam,
  ClientTransport,
  ErrorCode,
  ErrorDomain,
  errorsFrom,
  intParam,
  stringParam,
  type TypedParam,
} from '../../../rpc/index.js';
import { type Daemon, entry, type ProcedureEntry, type Server, type ServerClient } from '../../runtime/index.js';
import { checkNoFlags, findClient, findServer } from './admin-lookup.js';

const rpcError = errorsFrom(ErrorDomain.Rpc);

/** One reference object per client for its lifetime, so the list's encoder can reuse its bytes. */
const refs = new WeakMap<ServerClient, AdminClientRef>();

function clientRef(server: Server, c: ServerClient): AdminClientRef {
  let ref = refs.get(c);
  if (!ref) refs.set(c, (ref = { srv: { name: server.name }, id: BigInt(c.id), timestamp: BigInt(c.timestamp), transport: c.transport }));
  return ref;
}

/**
 * client-info's parameters, in libvirt's order, each only when known (admin-api.md §3.3),
 * from the client's identity: what its connection proves, or whom a proxy says it acts for.
 */
function clientInfo(c: ServerClient): TypedParam[] {
  if (!c.hasIdentity) throw rpcError(ErrorCode.InternalError, 'No identity information available for client');
  const id = c.identity;
  const params: TypedParam[] = [boolParam(ClientInfoParam.Readonly, c.readonly)];
  const str = (field: string, value: string | undefined) => value !== undefined && params.push(stringParam(field, value));
  const int = (field: string, value: number | undefined) => value !== undefined && params.push(intParam(field, value));
  str(ClientInfoParam.SaslUserName, id.saslUserName);
  if (c.transport !== ClientTransport.Unix) str(ClientInfoParam.SockAddr, c.sockAddr);
  str(ClientInfoParam.X509DName, id.x509DName);
  int(ClientInfoParam.UnixUserId, id.unixUserId);
  str(ClientInfoParam.UnixUserName, id.userName);
  int(ClientInfoParam.UnixGroupId, id.unixGroupId);
  str(ClientInfoParam.UnixGroupName, id.groupName);
  int(ClientInfoParam.UnixProcessId, id.processId);
  str(ClientInfoParam.SelinuxContext, id.selinuxContext);
  return params;
}

export function clientProcedures(daemon: Daemon): ProcedureEntry[] {
  return [
    entry(Admin.serverListClients, ({ srv, needResults, flags }) => {
      const server = findServer(daemon, srv.name, 'rpc');
      checkNoFlags(flags, 'adminServerListClients');
      const clients = server.clients();
      if (clients.length > ADMIN_CLIENT_LIST_MAX) {
        throw rpcError(ErrorCode.InternalError, `Too many clients '${clients.length}' for limit '${ADMIN_CLIENT_LIST_MAX}'`);
      }
      return { clients: needResults ? clients.map((c) => clientRef(server, c)) : [], ret: clients.length };
    }),
    entry(Admin.serverLookupClient, ({ srv, id, flags }) => {
      const server = findServer(daemon, srv.name, 'rpc');
      const client = findClient(server, id, 'rpc');
      checkNoFlags(flags, 'adminServerLookupClient');
      return { clnt: clientRef(server, client) };
    }),
    entry(Admin.clientGetInfo, ({ clnt, flags }) => {
      const server = findServer(daemon, clnt.srv.name, 'admin');
      const client = findClient(server, clnt.id, 'admin');
      checkNoFlags(flags, 'adminClientGetInfo');
      return { params: clientInfo(client) };
    }),
    entry(Admin.clientClose, ({ clnt, flags }, ctx) => {
      const server = findServer(daemon, clnt.srv.name, 'rpc');
      const client = findClient(server, clnt.id, 'rpc');
      checkNoFlags(flags, 'adminClientClose');
      if (client === ctx.client) {
        // libvirt drops the caller without a reply, so virt-admin reports a failure for an
        // action that succeeded. We answer first, then close (README: "Where we differ").
        ctx.closeAfterReply();
        return;
      }
      daemon.logger.child('admin').info(`closing client ${client.id} of server ${server.name} on request`);
      client.close();
    }),
  ];
}
