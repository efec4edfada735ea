/**
 * Admin procedures about servers: listing and lookup, the worker pool, client
 * limits and TLS reload (admin-api.md §3.1, §3.2, §3.5, §3.7).
 */
import {
  Admin,
  ADMIN_SERVER_LIST_MAX,
  ClientLimitParam,
  ErrorCode,
  ErrorDomain,
  errorsFrom,
  ThreadpoolParam,
  TypedParamType,
  uintFrom,
  uintParam,
  validateTypedParams,
} from '../../../rpc/index.js';
import { type Daemon, entry, type ProcedureEntry } from '../../runtime/index.js';
import { checkNoFlags, findServer } from './admin-lookup.js';

const noDomain = errorsFrom(ErrorDomain.None);
const rpcError = errorsFrom(ErrorDomain.Rpc);

const THREADPOOL_SETTABLE = {
  [ThreadpoolParam.MinWorkers]: TypedParamType.Uint,
  [ThreadpoolParam.MaxWorkers]: TypedParamType.Uint,
  [ThreadpoolParam.PriorityWorkers]: TypedParamType.Uint,
} as const;

const CLIENT_LIMITS_SETTABLE = {
  [ClientLimitParam.MaxClients]: TypedParamType.Uint,
  [ClientLimitParam.MaxUnauthClients]: TypedParamType.Uint,
} as const;

export function serverProcedures(daemon: Daemon): ProcedureEntry[] {
  return [
    entry(Admin.connectListServers, ({ needResults, flags }) => {
      checkNoFlags(flags, 'adminConnectListServers');
      const servers = daemon.servers().slice(0, ADMIN_SERVER_LIST_MAX);
      // need_results is a boolean, not a count (admin-api.md §3.1).
      return { servers: needResults ? servers.map((s) => ({ name: s.name })) : [], ret: servers.length };
    }),
    // libvirt does not check this procedure's flags at all (admin-api.md §3).
    entry(Admin.connectLookupServer, ({ name }) => ({ srv: { name: findServer(daemon, name, 'rpc').name } })),

    entry(Admin.serverGetThreadpoolParameters, ({ srv, flags }) => {
      const server = findServer(daemon, srv.name, 'rpc');
      checkNoFlags(flags, 'adminServerGetThreadPoolParameters');
      const s = server.pool.stats();
      return {
        params: [
          uintParam(ThreadpoolParam.MinWorkers, s.minWorkers),
          uintParam(ThreadpoolParam.MaxWorkers, s.maxWorkers),
          uintParam(ThreadpoolParam.CurrentWorkers, s.nWorkers),
          uintParam(ThreadpoolParam.FreeWorkers, s.freeWorkers),
          uintParam(ThreadpoolParam.PriorityWorkers, s.prioWorkers),
          uintParam(ThreadpoolParam.JobQueueDepth, s.jobQueueDepth),
        ],
      };
    }),
    entry(Admin.serverSetThreadpoolParameters, ({ srv, params, flags }) => {
      const server = findServer(daemon, srv.name, 'admin');
      checkNoFlags(flags, 'adminServerSetThreadPoolParameters');
      const given = validateTypedParams(params, THREADPOOL_SETTABLE);
      const current = server.pool.stats();
      const min = uintFrom(given, ThreadpoolParam.MinWorkers);
      const max = uintFrom(given, ThreadpoolParam.MaxWorkers);
      const prio = uintFrom(given, ThreadpoolParam.PriorityWorkers);
      if ((min ?? current.minWorkers) > (max ?? current.maxWorkers)) {
        throw noDomain(ErrorCode.InvalidArg, 'minWorkers cannot be larger than maxWorkers');
      }
      if (max !== undefined && (max === 0) !== (current.maxWorkers === 0)) {
        throw noDomain(ErrorCode.InvalidArg, 'maxWorkers must not be switched from zero to non-zero and vice versa');
      }
      server.pool.setLimits({ minWorkers: min, maxWorkers: max, prioWorkers: prio });
      daemon.settingsChanged({ what: 'threadpool', server: server.name });
    }),

    entry(Admin.serverGetClientLimits, ({ srv, flags }) => {
      const server = findServer(daemon, srv.name, 'rpc');
      checkNoFlags(flags, 'adminServerGetClientLimits');
      const l = server.limits;
      return {
        params: [
          uintParam(ClientLimitParam.MaxClients, l.maxClients),
          uintParam(ClientLimitParam.CurrentClients, server.clientCount),
          uintParam(ClientLimitParam.MaxUnauthClients, l.maxAnonymousClients),
          uintParam(ClientLimitParam.CurrentUnauthClients, server.unauthClientCount),
        ],
      };
    }),
    entry(Admin.serverSetClientLimits, ({ srv, params, flags }) => {
      const server = findServer(daemon, srv.name, 'admin');
      checkNoFlags(flags, 'adminServerSetClientLimits');
      const given = validateTypedParams(params, CLIENT_LIMITS_SETTABLE);
      const current = server.limits;
      const max = uintFrom(given, ClientLimitParam.MaxClients) ?? current.maxClients;
      const unauthMax = uintFrom(given, ClientLimitParam.MaxUnauthClients) ?? current.maxAnonymousClients;
      if (max < unauthMax) {
        // libvirt 9.0's wording, inverted as it is (admin-api.md §3.5).
        throw rpcError(
          ErrorCode.InvalidArg,
          'The overall maximum number of clients waiting for authentication must not be less than the overall maximum number of clients',
        );
      }
      server.setLimits({ maxClients: max, maxAnonymousClients: unauthMax });
      daemon.settingsChanged({ what: 'client-limits', server: server.name });
    }),

    entry(Admin.serverUpdateTlsFiles, async ({ srv, flags }) => {
      const server = findServer(daemon, srv.name, 'rpc');
      checkNoFlags(flags, 'adminServerUpdateTlsFiles');
      const tls = server.services.filter((s) => s.updateTlsFiles);
      if (tls.length === 0) throw rpcError(ErrorCode.InternalError, 'no tls service found, unable to update tls files');
      for (const s of tls) {
        try {
          await s.updateTlsFiles!();
        } catch (err) {
          // A file that cannot be read or fails the sanity check: the old credentials stay in service.
          throw rpcError(ErrorCode.SystemError, (err as Error).message);
        }
      }
    }),
  ];
}
