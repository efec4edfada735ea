/**
 * virtproxyd's REMOTE program: it authenticates its own clients, and on
 * CONNECT_OPEN connects to the modular daemon that serves the URI (qemu:// to
 * virtqemud, network:// to virtnetworkd, ...) in the same socket directory;
 * every later call is passed to that daemon as it came and the answer passed
 * back. A read-only client's connection is opened read-only there too (on the
 * daemon's read-only socket in system mode), so the daemon itself enforces it.
 */
import { join } from 'node:path';
import {
  CONNECT_RO,
  DrvFeature,
  encodeCall,
  ErrorCode,
  ErrorDomain,
  errorsFrom,
  Program,
  PROGRAM_VERSION,
  Remote,
  decodeValue,
  voidCodec,
} from '../../../rpc/index.js';
import { type CallContext, entry, Program as RuntimeProgram, type ServerClient } from '../../runtime/index.js';
import { checkMaySetIdentity, identityToParams } from '../remote/identity-params.js';
import { authEntries } from '../remote/remote-auth.js';
import type { SaslAuthSettings } from '../remote/remote-sasl-auth.js';
import { PROXY_ROUTES } from './proxy-routes.js';
import { Upstream } from './upstream.js';

const rpcError = errorsFrom(ErrorDomain.Rpc);
const noDomain = errorsFrom(ErrorDomain.None);

export interface ProxyProgramOptions {
  mode: 'system' | 'session';
  /** Where the modular daemons' sockets are: this daemon's own socket directory. */
  socketDir: string;
  /** SASL settings, when a socket of this daemon asks for SASL. */
  sasl?: SaslAuthSettings;
}

/** The daemon's socket for this connection: the read-only one for read-only clients in system mode. */
export function targetSocket(opts: ProxyProgramOptions, daemon: string, readonly: boolean): string {
  return join(opts.socketDir, `${daemon}-sock${readonly && opts.mode === 'system' ? '-ro' : ''}`);
}

export function createProxyProgram(opts: ProxyProgramOptions): RuntimeProgram {
  const upstreams = new WeakMap<ServerClient, Upstream>();
  const upstreamOf = (ctx: CallContext): Upstream => {
    const up = upstreams.get(ctx.client);
    if (!up) throw rpcError(ErrorCode.InternalError, 'hypervisor connection not open');
    return up;
  };

  const open = async (name: string | null, flags: number, ctx: CallContext): Promise<void> => {
    if (upstreams.get(ctx.client)) throw rpcError(ErrorCode.InternalError, 'connection already open');
    if (name === null) throw rpcError(ErrorCode.InternalError, 'connection not open');
    let scheme: string;
    try {
      scheme = new URL(name).protocol.slice(0, -1);
    } catch {
      throw noDomain(ErrorCode.NoConnect, name);
    }
    const daemon = PROXY_ROUTES[scheme];
    if (!daemon) throw noDomain(ErrorCode.NoConnect, name);
    const readonly = (flags & CONNECT_RO) !== 0 || ctx.client.readonly;
    const up = await Upstream.open(targetSocket(opts, daemon, readonly));
    try {
      // The daemon's UNIX socket: auth none, or polkit, which authorises a root proxy at AUTH_LIST.
      const { types } = await up.call(encodeCall(Program.Remote, PROGRAM_VERSION, Remote.authList.proc, 0, voidCodec, undefined), (b) => decodeValue(Remote.authList.ret, b));
      if (types.length > 0 && !types.includes(0)) {
        throw errorsFrom(ErrorDomain.Auth)(ErrorCode.AuthFailed, `${daemon} asks for authentication (${types.join(', ')}) that virtproxyd cannot give on its clients' behalf`);
      }
      const openFlags = readonly ? flags | CONNECT_RO : flags;
      await up.call(encodeCall(Program.Remote, PROGRAM_VERSION, Remote.connectOpen.proc, 0, Remote.connectOpen.args, { name, flags: openFlags }), () => undefined);
      // The daemon would see only the proxy (root, our pid): tell it whom we act for, as libvirt's
      // proxy does, so its client list and logs name the real caller.
      const params = identityToParams(ctx.client.identity);
      await up.call(encodeCall(Program.Remote, PROGRAM_VERSION, Remote.connectSetIdentity.proc, 0, Remote.connectSetIdentity.args, { params, flags: 0 }), () => undefined);
    } catch (err) {
      up.close();
      throw err;
    }
    ctx.client.readonly = readonly;
    upstreams.set(ctx.client, up);
    up.onEvent = (frame) => ctx.client.sendEvent(frame);
    // The daemon went away: so does this client's connection, as libvirt's proxy closes it.
    up.onClose = () => ctx.client.close(false);
    ctx.client.whenClosed(() => up.close());
  };

  const procedures = [
    ...authEntries(opts.sasl),
    entry(Remote.connectOpen, ({ name, flags }, ctx) => open(name, flags, ctx), { priority: true }),
    entry(
      Remote.connectClose,
      (_a, ctx) => {
        const up = upstreams.get(ctx.client);
        upstreams.delete(ctx.client);
        if (up) {
          up.onClose = () => {};
          up.close();
        }
        ctx.closeAfterReply();
      },
      { priority: true },
    ),
    // A client may speak for someone else only if it could be anyone anyway; the daemon behind
    // trusts the proxy, so the proxy decides for it.
    entry(
      Remote.connectSetIdentity,
      (_a, ctx) => {
        checkMaySetIdentity(ctx.client);
        return upstreamOf(ctx).call(ctx.frame, () => undefined);
      },
      { priority: true },
    ),
    // Keepalive runs between the client and the proxy; every other feature is the daemon's to answer.
    entry(
      Remote.connectSupportsFeature,
      async ({ feature }, ctx) => {
        if (feature === DrvFeature.ProgramKeepalive) {
          ctx.client.keepalive.start();
          return { supported: 1 };
        }
        return upstreamOf(ctx).call(ctx.frame, (b) => decodeValue(Remote.connectSupportsFeature.ret, b));
      },
      { priority: true },
    ),
  ];
  return new RuntimeProgram(Program.Remote, PROGRAM_VERSION, ErrorDomain.None, procedures, (ctx) => upstreamOf(ctx).relay(ctx.frame));
}
