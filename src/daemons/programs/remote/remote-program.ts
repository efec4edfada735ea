/**
 * The REMOTE program's connection-level part (wire-protocol.md §11): what a
 * real client sends to authenticate, open, query and close a connection.
 */
import { hostname } from 'node:os';
import {
  CONNECT_RO,
  DrvFeature,
  ErrorCode,
  ErrorDomain,
  errorsFrom,
  LIBVIRT_VERSION,
  Program,
  PROGRAM_VERSION,
  Remote,
  unsupportedFlags,
} from '../../../rpc/index.js';
import type { Logger } from '../../logging/index.js';
import { type CallContext, entry, type ProcedureEntry, Program as RuntimeProgram } from '../../runtime/index.js';
import type { ConnectionDriver } from './connection-driver.js';
import { checkMaySetIdentity, identityFromParams } from './identity-params.js';
import { authEntries } from './remote-auth.js';
import type { SaslAuthSettings } from './remote-sasl-auth.js';
import { type RemoteConnection, RemoteConnections } from './remote-connection.js';

const rpcError = errorsFrom(ErrorDomain.Rpc);
const noDomain = errorsFrom(ErrorDomain.None);
/** libvirt's public API reports a driver without the call as VIR_ERR_NO_SUPPORT naming the API. */
const noSupport = (api: string) => noDomain(ErrorCode.NoSupport, api);

export interface RemoteProgramOptions {
  mode: 'system' | 'session';
  /** Drivers this daemon serves, by URI scheme. */
  drivers: readonly ConnectionDriver[];
  /** SASL settings, when a socket of this daemon asks for SASL. */
  sasl?: SaslAuthSettings;
  /**
   * The daemon's loggers by category: each API call is logged at debug under `libvirt.host`, and
   * each connection a driver opens or closes under `<scheme>.<scheme>_driver`, where
   * libvirt's daemons log them, so a debug capture of our daemons holds what they did.
   */
  logFor?: (category: string) => Logger;
}

/** CONNECT_GET_HOSTNAME -> virConnectGetHostname: libvirt's public API names follow its procedures'. */
export function apiName(procedureName: string): string {
  return `vir${procedureName.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}`;
}

/** Logs each call at debug before it runs; the line is built only when it goes somewhere. */
function logged(e: ProcedureEntry, log: Logger): ProcedureEntry {
  const api = apiName(e.spec.name);
  const handler = e.handler;
  return {
    ...e,
    handler: (args, ctx) => {
      if (log.enabled('debug')) {
        const name = e.spec === Remote.connectOpen ? ` name=${(args as { name: string | null }).name ?? '(null)'} flags=0x${(args as { flags: number }).flags.toString(16)}` : '';
        log.debug(`${api}: client=${ctx.client.id} serial=${ctx.header.serial}${name}`);
      }
      return handler(args, ctx);
    },
  };
}

/** Features a client may ask about once connected (wire-protocol.md §11.1); others answer 0. */
const SUPPORTED_FEATURES: ReadonlySet<number> = new Set([
  2, // REMOTE: this is a remote connection
  DrvFeature.TypedParamString,
  DrvFeature.ProgramKeepalive,
  DrvFeature.RemoteEventCallback,
  DrvFeature.RemoteCloseCallback,
  16, // NETWORK_UPDATE_HAS_CORRECT_ORDER
]);

// Not claimed: migration (we run no guests) and FD_PASSING (Node cannot receive fds here).

export function createRemoteProgram(opts: RemoteProgramOptions): RuntimeProgram {
  const connections = new RemoteConnections();

  const opened = (ctx: CallContext): RemoteConnection => {
    const conn = connections.get(ctx.client);
    if (!conn) throw rpcError(ErrorCode.InternalError, 'hypervisor connection not open');
    return conn;
  };

  const open = (name: string | null, flags: number, ctx: CallContext): void => {
    if (connections.get(ctx.client)) throw rpcError(ErrorCode.InternalError, 'connection already open');
    // libvirtd 9.0 refuses a NULL name with this error even with a hypervisor present
    // (checked against the real daemon); real clients always send the URI they resolved.
    if (name === null) throw rpcError(ErrorCode.InternalError, 'connection not open');
    let uri: URL;
    try {
      uri = new URL(name);
    } catch {
      throw noDomain(ErrorCode.NoConnect, name);
    }
    const driver = opts.drivers.find((d) => `${d.scheme}:` === uri.protocol);
    if (!driver) throw noDomain(ErrorCode.NoConnect, name);
    driver.checkUri(uri, opts.mode);
    // Bit 0 asks for read-only; a read-only socket forces it (wire-protocol.md §11.1).
    const readonly = (flags & CONNECT_RO) !== 0 || ctx.client.readonly;
    ctx.client.readonly = readonly;
    connections.set(ctx.client, { uri: name, driver, readonly });
    driverLog(driver)?.debug(`connection opened: ${name} for client ${ctx.client.id} (${readonly ? 'read-only' : 'read-write'})`);
  };
  const driverLogs = new Map<string, Logger>();
  const driverLog = (d: ConnectionDriver) => {
    if (!opts.logFor) return undefined;
    let log = driverLogs.get(d.scheme);
    if (!log) driverLogs.set(d.scheme, (log = opts.logFor(`${d.scheme}.${d.scheme}_driver`)));
    return log;
  };

  const procedures: ProcedureEntry[] = [
    ...authEntries(opts.sasl),
    entry(
      Remote.connectSupportsFeature,
      ({ feature }, ctx) => {
        if (feature === DrvFeature.ProgramKeepalive) {
          ctx.client.keepalive.start();
          return { supported: 1 };
        }
        opened(ctx);
        return { supported: SUPPORTED_FEATURES.has(feature) ? 1 : 0 };
      },
      { priority: true },
    ),
    entry(Remote.connectOpen, ({ name, flags }, ctx) => open(name, flags, ctx), { priority: true }),
    entry(
      Remote.connectClose,
      (_args, ctx) => {
        const conn = connections.get(ctx.client);
        if (conn) driverLog(conn.driver)?.debug(`connection closed: ${conn.uri} for client ${ctx.client.id}`);
        connections.delete(ctx.client);
        ctx.closeAfterReply();
      },
      { priority: true },
    ),
    entry(Remote.connectGetType, (_a, ctx) => ({ type: opened(ctx).driver.type }), { priority: true }),
    entry(Remote.connectGetVersion, async (_a, ctx) => {
      const driver = opened(ctx).driver;
      if (!driver.version) throw noSupport('virConnectGetVersion');
      return { hvVer: BigInt(await driver.version()) };
    }, {
      priority: true,
    }),
    entry(Remote.connectGetLibVersion, (_a, ctx) => (opened(ctx), { libVer: BigInt(LIBVIRT_VERSION) }), {
      priority: true,
    }),
    entry(Remote.connectGetHostname, (_a, ctx) => (opened(ctx), { hostname: hostname() }), { priority: true }),
    entry(Remote.connectGetUri, (_a, ctx) => ({ uri: opened(ctx).uri }), { priority: true }),
    // UNIX sockets are local, hence secure, and so is TLS; plain TCP only under a SASL security layer.
    entry(Remote.connectIsSecure, (_a, ctx) => (opened(ctx), { secure: ctx.client.transport === 1 && !ctx.client.hasSecurityLayer ? 0 : 1 }), {
      priority: true,
    }),
    entry(
      Remote.connectSetIdentity,
      ({ params, flags }, ctx) => {
        opened(ctx);
        if (flags !== 0) throw unsupportedFlags(ErrorDomain.None, flags, 'virConnectSetIdentity');
        // A proxy tells the daemon whom it acts for: that is whom client-info names from now on.
        checkMaySetIdentity(ctx.client);
        ctx.client.forwardedIdentity = identityFromParams(params);
      },
      { priority: true },
    ),
    entry(Remote.connectRegisterCloseCallback, (_a, ctx) => void opened(ctx), { priority: true }),
    entry(Remote.connectUnregisterCloseCallback, (_a, ctx) => void opened(ctx), { priority: true }),
  ];
  // Read-only refusals come from the public API layer, whose errors carry no domain.
  const apiLog = opts.logFor?.('libvirt.host');
  const table = apiLog ? procedures.map((e) => (e.beforeAuth ? e : logged(e, apiLog))) : procedures;
  return new RuntimeProgram(Program.Remote, PROGRAM_VERSION, ErrorDomain.None, table);
}
