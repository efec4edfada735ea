/**
 * The ADMIN program (0x06900690 v1): its types and all 19 procedures
 * (admin-api.md §2, §3).
 */
import { array, hyper, memoized, nonnullString, nullableString, struct, uhyper, uint, voidCodec } from '../codec.js';
import {
  ADMIN_CLIENT_INFO_PARAMS_MAX,
  ADMIN_CLIENT_LIMITS_PARAMS_MAX,
  ADMIN_CLIENT_LIST_MAX,
  ADMIN_SERVER_LIST_MAX,
  ADMIN_THREADPOOL_PARAMS_MAX,
  AdminProc,
} from '../constants.js';
import { type TypedParam, typedParams } from '../typed-params.js';
import { procedure } from './procedure.js';

export interface AdminServerRef {
  name: string;
}

/** A client as the admin program names it. Only srv.name and id matter to a server (admin §2). */
export interface AdminClientRef {
  srv: AdminServerRef;
  /** Per-server counter from 1; unsigned hyper on the wire. */
  id: bigint;
  /** Connect time, seconds since the epoch. */
  timestamp: bigint;
  transport: number;
}

export const adminServer = struct<AdminServerRef>({ name: nonnullString });
export const adminClient = struct<AdminClientRef>({ srv: adminServer, id: uhyper, timestamp: hyper, transport: uint });

const flagsOnly = struct<{ flags: number }>({ flags: uint });
const serverAndFlags = struct<{ srv: AdminServerRef; flags: number }>({ srv: adminServer, flags: uint });
const clientAndFlags = struct<{ clnt: AdminClientRef; flags: number }>({ clnt: adminClient, flags: uint });
const threadpoolParams = typedParams(ADMIN_THREADPOOL_PARAMS_MAX);
const clientLimitParams = typedParams(ADMIN_CLIENT_LIMITS_PARAMS_MAX);

export const Admin = {
  connectOpen: procedure(AdminProc.ConnectOpen, 'CONNECT_OPEN', flagsOnly, voidCodec),
  connectClose: procedure(AdminProc.ConnectClose, 'CONNECT_CLOSE', voidCodec, voidCodec),
  connectGetLibVersion: procedure(
    AdminProc.ConnectGetLibVersion,
    'CONNECT_GET_LIB_VERSION',
    voidCodec,
    struct<{ libVer: bigint }>({ libVer: uhyper }),
  ),
  connectListServers: procedure(
    AdminProc.ConnectListServers,
    'CONNECT_LIST_SERVERS',
    struct<{ needResults: number; flags: number }>({ needResults: uint, flags: uint }),
    struct<{ servers: AdminServerRef[]; ret: number }>({
      servers: array(adminServer, ADMIN_SERVER_LIST_MAX),
      ret: uint,
    }),
  ),
  connectLookupServer: procedure(
    AdminProc.ConnectLookupServer,
    'CONNECT_LOOKUP_SERVER',
    struct<{ name: string; flags: number }>({ name: nonnullString, flags: uint }),
    struct<{ srv: AdminServerRef }>({ srv: adminServer }),
  ),
  serverGetThreadpoolParameters: procedure(
    AdminProc.ServerGetThreadpoolParameters,
    'SERVER_GET_THREADPOOL_PARAMETERS',
    serverAndFlags,
    struct<{ params: TypedParam[] }>({ params: threadpoolParams }),
  ),
  serverSetThreadpoolParameters: procedure(
    AdminProc.ServerSetThreadpoolParameters,
    'SERVER_SET_THREADPOOL_PARAMETERS',
    struct<{ srv: AdminServerRef; params: TypedParam[]; flags: number }>({
      srv: adminServer,
      params: threadpoolParams,
      flags: uint,
    }),
    voidCodec,
  ),
  serverListClients: procedure(
    AdminProc.ServerListClients,
    'SERVER_LIST_CLIENTS',
    struct<{ srv: AdminServerRef; needResults: number; flags: number }>({
      srv: adminServer,
      needResults: uint,
      flags: uint,
    }),
    struct<{ clients: AdminClientRef[]; ret: number }>({
      // A client's reference never changes: encoded once, copied into every list after.
      clients: array(memoized(adminClient), ADMIN_CLIENT_LIST_MAX),
      ret: uint,
    }),
  ),
  serverLookupClient: procedure(
    AdminProc.ServerLookupClient,
    'SERVER_LOOKUP_CLIENT',
    struct<{ srv: AdminServerRef; id: bigint; flags: number }>({ srv: adminServer, id: uhyper, flags: uint }),
    struct<{ clnt: AdminClientRef }>({ clnt: adminClient }),
  ),
  clientGetInfo: procedure(
    AdminProc.ClientGetInfo,
    'CLIENT_GET_INFO',
    clientAndFlags,
    struct<{ params: TypedParam[] }>({ params: typedParams(ADMIN_CLIENT_INFO_PARAMS_MAX) }),
  ),
  clientClose: procedure(AdminProc.ClientClose, 'CLIENT_CLOSE', clientAndFlags, voidCodec),
  serverGetClientLimits: procedure(
    AdminProc.ServerGetClientLimits,
    'SERVER_GET_CLIENT_LIMITS',
    serverAndFlags,
    struct<{ params: TypedParam[] }>({ params: clientLimitParams }),
  ),
  serverSetClientLimits: procedure(
    AdminProc.ServerSetClientLimits,
    'SERVER_SET_CLIENT_LIMITS',
    struct<{ srv: AdminServerRef; params: TypedParam[]; flags: number }>({
      srv: adminServer,
      params: clientLimitParams,
      flags: uint,
    }),
    voidCodec,
  ),
  connectGetLoggingOutputs: procedure(
    AdminProc.ConnectGetLoggingOutputs,
    'CONNECT_GET_LOGGING_OUTPUTS',
    flagsOnly,
    struct<{ outputs: string; noutputs: number }>({ outputs: nonnullString, noutputs: uint }),
  ),
  connectGetLoggingFilters: procedure(
    AdminProc.ConnectGetLoggingFilters,
    'CONNECT_GET_LOGGING_FILTERS',
    flagsOnly,
    struct<{ filters: string | null; nfilters: number }>({ filters: nullableString, nfilters: uint }),
  ),
  connectSetLoggingOutputs: procedure(
    AdminProc.ConnectSetLoggingOutputs,
    'CONNECT_SET_LOGGING_OUTPUTS',
    struct<{ outputs: string | null; flags: number }>({ outputs: nullableString, flags: uint }),
    voidCodec,
  ),
  connectSetLoggingFilters: procedure(
    AdminProc.ConnectSetLoggingFilters,
    'CONNECT_SET_LOGGING_FILTERS',
    struct<{ filters: string | null; flags: number }>({ filters: nullableString, flags: uint }),
    voidCodec,
  ),
  serverUpdateTlsFiles: procedure(AdminProc.ServerUpdateTlsFiles, 'SERVER_UPDATE_TLS_FILES', serverAndFlags, voidCodec),
  connectSetDaemonTimeout: procedure(
    AdminProc.ConnectSetDaemonTimeout,
    'CONNECT_SET_DAEMON_TIMEOUT',
    struct<{ timeout: number; flags: number }>({ timeout: uint, flags: uint }),
    voidCodec,
  ),
} as const;

/** Threadpool parameter names (admin §3.2, §4). */
export const ThreadpoolParam = {
  MinWorkers: 'minWorkers',
  MaxWorkers: 'maxWorkers',
  CurrentWorkers: 'nWorkers',
  FreeWorkers: 'freeWorkers',
  PriorityWorkers: 'prioWorkers',
  JobQueueDepth: 'jobQueueDepth',
} as const;

/** Client-limit parameter names (admin §3.5). */
export const ClientLimitParam = {
  MaxClients: 'nclients_max',
  CurrentClients: 'nclients',
  MaxUnauthClients: 'nclients_unauth_max',
  CurrentUnauthClients: 'nclients_unauth',
} as const;

/** Client-info parameter names (admin §3.3). */
export const ClientInfoParam = {
  Readonly: 'readonly',
  SaslUserName: 'sasl_user_name',
  SockAddr: 'sock_addr',
  X509DName: 'tls_x509_dname',
  UnixUserId: 'unix_user_id',
  UnixUserName: 'unix_user_name',
  UnixGroupId: 'unix_group_id',
  UnixGroupName: 'unix_group_name',
  UnixProcessId: 'unix_process_id',
  SelinuxContext: 'selinux_context',
} as const;
