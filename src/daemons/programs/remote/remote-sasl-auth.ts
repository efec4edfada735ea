/**
 * The REMOTE program's SASL procedures (AUTH_SASL_INIT, AUTH_SASL_START,
 * AUTH_SASL_STEP), as libvirt's daemon runs them over Cyrus SASL:
 *
 * - INIT opens a SASL context for the client (service "libvirt", the
 *   connection's "IP;port" addresses) and offers the mechanisms it may use:
 *   on UNIX and TLS sockets any (TLS's strength is passed as external SSF);
 *   on plain TCP only those whose security layer reaches tcp_min_ssf, with
 *   anonymous and plaintext mechanisms excluded.
 * - START and STEP carry the tokens; when the exchange completes, a
 *   connection that is not already secure must have a layer of SSF >= 56,
 *   the user name must match sasl_allowed_username_list, and then the client
 *   is authenticated, its SASL user name becomes part of its identity, and a
 *   security layer, if one was negotiated, wraps everything after the reply.
 *
 * Every failure is libvirt's one error, "authentication failed", with the
 * reason in the daemon's log only; the failed context is dropped, so the
 * client may start again with INIT. Unlike libvirt, a client that has
 * authenticated may not start over (libvirt would swap its security layer
 * mid-stream); real clients never try.
 */
import type { TLSSocket } from 'node:tls';
import { AuthType, ClientTransport, ErrorCode, ErrorDomain, errorsFrom, REMOTE_AUTH_SASL_DATA_MAX, Remote, type SaslToken } from '../../../rpc/index.js';
import type { Logger } from '../../logging/index.js';
import { type CallContext, entry, type ProcedureEntry, SaslSecurityLayer, SaslSession, SASL_MAX_BUF_SIZE, type ServerClient } from '../../runtime/index.js';
import { matchesAnyPattern } from '../../simple-pattern.js';

/** The daemon's SASL settings (libvirtd.conf), shared by every client. */
export interface SaslAuthSettings {
  /** sasl_allowed_username_list: globs; undefined allows everyone, [] nobody. */
  allowedUsernames: readonly string[] | undefined;
  /** tcp_min_ssf: the least security layer strength offered on plain TCP. */
  tcpMinSsf: number;
  /** This host's name, resolved once at start-up: no resolver call on the event loop per client. */
  serverFqdn: string | null;
  logger: Logger;
}

/** libvirt's floor for a security layer on plain TCP, whatever tcp_min_ssf says ("56 is good for Kerberos"). */
const MIN_TCP_LAYER_SSF = 56;
/** The upper bound libvirt asks for on plain TCP ("arbitrary big number"). */
const MAX_SSF = 100000;
const SERVICE = 'libvirt';

const authFailed = () => errorsFrom(ErrorDomain.Rpc)(ErrorCode.AuthFailed, 'authentication failed');

/** Why an exchange was turned down, for the log; the client only hears "authentication failed". */
class Refused extends Error {}

/** UNIX sockets and TLS need no SASL security layer (libvirt's virNetServerClientIsSecure). */
export function isSecureTransport(client: ServerClient): boolean {
  return client.transport !== ClientTransport.Tcp;
}

/** Cyrus's address strings: "IP;port"; a UNIX socket is reported as 127.0.0.1 port 0, as libvirt does. */
function saslAddresses(client: ServerClient): [string, string] {
  if (client.transport === ClientTransport.Unix) return ['127.0.0.1;0', '127.0.0.1;0'];
  const s = client.socket;
  return [`${s.localAddress};${s.localPort}`, `${s.remoteAddress};${s.remotePort}`];
}

/** The TLS cipher's key size in bits (libvirt passes GnuTLS's key size × 8 as external SSF). */
export function tlsKeyBits(cipherName: string): number | undefined {
  const name = cipherName.toUpperCase();
  if (/AES[_-]?256|CHACHA20|CAMELLIA[_-]?256|ARIA[_-]?256/.test(name)) return 256;
  if (/AES[_-]?128|CAMELLIA[_-]?128|ARIA[_-]?128/.test(name)) return 128;
  if (/3DES|DES[_-]CBC3/.test(name)) return 192;
  return undefined;
}

function replyToken(data: Buffer | null): SaslToken {
  if (data && data.length > REMOTE_AUTH_SASL_DATA_MAX) throw new Refused(`sasl reply data too long ${data.length}`);
  return { nil: data ? 0 : 1, data: data ?? Buffer.alloc(0) };
}

export function saslAuthEntries(settings: SaslAuthSettings | undefined): ProcedureEntry[] {
  const sessions = new WeakMap<ServerClient, SaslSession>();
  const watched = new WeakSet<ServerClient>();
  const log = (msg: string) => settings?.logger.error(msg);

  const drop = (client: ServerClient) => {
    sessions.get(client)?.dispose();
    sessions.delete(client);
  };

  const init = (client: ServerClient): string => {
    if (!settings || client.authType !== AuthType.Sasl || sessions.has(client) || !client.authPending) {
      throw new Refused('client tried invalid SASL init request');
    }
    const [local, remote] = saslAddresses(client);
    const session = SaslSession.open(SERVICE, settings.serverFqdn, local, remote);
    try {
      if (client.transport === ClientTransport.Tls) {
        const cipher = (client.socket as TLSSocket).getCipher().name;
        const bits = tlsKeyBits(cipher);
        if (bits === undefined) throw new Refused(`cannot tell the key size of TLS cipher ${cipher}`);
        session.setExternalSsf(bits);
      }
      session.setSecurityProperties(
        isSecureTransport(client)
          ? { minSsf: 0, maxSsf: 0, maxBufSize: SASL_MAX_BUF_SIZE, allowAnonymous: true }
          : { minSsf: settings.tcpMinSsf, maxSsf: MAX_SSF, maxBufSize: SASL_MAX_BUF_SIZE, allowAnonymous: false },
      );
      const mechlist = session.listMechanisms();
      if (mechlist === '') throw new Refused('no SASL mechanisms are available');
      sessions.set(client, session);
      if (!watched.has(client)) {
        watched.add(client);
        client.whenClosed(() => drop(client));
      }
      return mechlist;
    } catch (err) {
      session.dispose();
      throw err;
    }
  };

  /** The exchange completed: libvirt's remoteSASLFinish checks, then the client is in. */
  const finish = (ctx: CallContext, session: SaslSession): void => {
    const client = ctx.client;
    const { ssf, maxOutBuf, userName } = session.negotiated();
    if (!isSecureTransport(client) && ssf < MIN_TCP_LAYER_SSF) throw new Refused(`negotiated SSF ${ssf} was not strong enough`);
    if (userName === null) throw new Refused('no client username was found');
    if (settings!.allowedUsernames && !matchesAnyPattern(userName, settings!.allowedUsernames)) {
      throw new Refused(`SASL client identity '${userName}' not allowed by ACL`);
    }
    // Whatever the client sent after its final step came in the clear, yet would run as the
    // authenticated client once dispatched: a real client waits for this reply, so refuse.
    if (ssf > 0 && client.hasUndispatchedInput) throw new Refused('client sent data in the clear before its security layer started');
    const layer = ssf > 0 ? new SaslSecurityLayer(session, maxOutBuf) : undefined;
    sessions.delete(client);
    client.authenticated();
    client.saslUserName = userName;
    // The layer owns the context from here; without one (UNIX, TLS) Cyrus would pass bytes
    // through unchanged, so there is nothing to keep.
    if (layer) ctx.afterReplyQueued(() => client.startSecurityLayer(layer));
    else session.dispose();
  };

  /** Runs one exchange step; any failure drops the context and answers libvirt's one error. */
  const exchange = (ctx: CallContext, what: 'start' | 'step', run: (s: SaslSession) => { complete: boolean; data: Buffer | null }) => {
    const session = sessions.get(ctx.client);
    try {
      if (!session || ctx.client.authType !== AuthType.Sasl) throw new Refused(`client tried invalid SASL ${what} request`);
      const r = run(session);
      const token = replyToken(r.data);
      if (r.complete) finish(ctx, session);
      return { complete: r.complete ? 1 : 0, ...token };
    } catch (err) {
      if (session && sessions.get(ctx.client) === session) drop(ctx.client);
      log((err as Error).message);
      throw authFailed();
    }
  };

  return [
    entry(
      Remote.authSaslInit,
      (_args, ctx) => {
        try {
          return { mechlist: init(ctx.client) };
        } catch (err) {
          log((err as Error).message);
          throw authFailed();
        }
      },
      { beforeAuth: true },
    ),
    entry(
      Remote.authSaslStart,
      ({ mech, nil, data }, ctx) => exchange(ctx, 'start', (s) => s.start(mech, nil ? null : data)),
      { beforeAuth: true },
    ),
    entry(
      Remote.authSaslStep,
      ({ nil, data }, ctx) => exchange(ctx, 'step', (s) => s.step(nil ? null : data)),
      { beforeAuth: true },
    ),
  ];
}
