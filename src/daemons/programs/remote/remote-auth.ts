/**
 * The REMOTE program's authentication steps (daemons.md §12), shared by every
 * daemon that serves the program, the proxy included: AUTH_LIST, polkit, which
 * authorises root by who it is, and SASL (remote-sasl-auth.ts).
 */
import { AuthType, ErrorCode, ErrorDomain, errorsFrom, Remote } from '../../../rpc/index.js';
import { entry, type ProcedureEntry } from '../../runtime/index.js';
import { type SaslAuthSettings, saslAuthEntries } from './remote-sasl-auth.js';

/** `sasl`: the daemon's SASL settings when one of its sockets asks for SASL; without them every SASL call fails. */
export function authEntries(sasl: SaslAuthSettings | undefined): ProcedureEntry[] {
  return [
    ...saslAuthEntries(sasl),
    entry(
      Remote.authList,
      (_args, ctx) => {
        const auth = ctx.client.authType;
        // With polkit, root is authorised by who it is: AUTH_LIST completes it (daemons.md §12).
        if (auth === AuthType.Polkit && ctx.client.peer?.uid === 0) {
          ctx.client.authenticated();
          return { types: [AuthType.None] };
        }
        return { types: [auth] };
      },
      { priority: true, beforeAuth: true },
    ),
    entry(
      Remote.authPolkit,
      (_args, ctx) => {
        if (ctx.client.peer?.uid === 0) {
          ctx.client.authenticated();
          return { complete: 1 };
        }
        throw errorsFrom(ErrorDomain.Auth)(ErrorCode.AuthUnavailable, 'polkit authorization of non-root clients is not available in this daemon');
      },
      { priority: true, beforeAuth: true },
    ),
  ];
}
