/**
 * A client's identity as CONNECT_SET_IDENTITY carries it (typed parameters
 * named VIR_CONNECT_IDENTITY_*), both ways: a proxy sends the identity of the
 * client it acts for, and the daemon behind it takes it as that client's.
 */
import { CONNECT_IDENTITY_PARAMS, ErrorCode, ErrorDomain, errorsFrom, type TypedParam, TypedParamType, validateTypedParams } from '../../../rpc/index.js';
import type { ClientIdentity, ServerClient } from '../../runtime/index.js';

/**
 * Only a peer that could act as anyone anyway (root, or the daemon's own user) may say whom
 * it acts for. libvirt leaves this to its access driver, which with "none" lets any client
 * rename itself (README).
 */
export function checkMaySetIdentity(client: ServerClient): void {
  const peer = client.peer;
  if (!peer || (peer.uid !== 0 && peer.uid !== process.geteuid!())) {
    throw errorsFrom(ErrorDomain.Access)(ErrorCode.AccessDenied, "only a client running as root or as the daemon's user may set a connection's identity");
  }
}

export function identityToParams(id: ClientIdentity): TypedParam[] {
  const params: TypedParam[] = [];
  const str = (field: string, value: string | undefined) => value !== undefined && params.push({ field, type: TypedParamType.String, value });
  const ull = (field: string, value: number | bigint | undefined) =>
    value !== undefined && params.push({ field, type: TypedParamType.Ullong, value: BigInt(value) });
  str('user-name', id.userName);
  ull('unix-user-id', id.unixUserId);
  str('group-name', id.groupName);
  ull('unix-group-id', id.unixGroupId);
  if (id.processId !== undefined) params.push({ field: 'process-id', type: TypedParamType.Llong, value: BigInt(id.processId) });
  ull('process-time', id.processTime);
  str('sasl-user-name', id.saslUserName);
  str('x509-distinguished-name', id.x509DName);
  str('selinux-context', id.selinuxContext);
  return params;
}

/** Checks names, types and repeats as libvirt does; throws its error for a bad list. */
export function identityFromParams(params: readonly TypedParam[]): ClientIdentity {
  const m = validateTypedParams(params, CONNECT_IDENTITY_PARAMS);
  const str = (field: string) => m.get(field)?.value as string | undefined;
  const num = (field: string) => {
    const v = m.get(field)?.value as bigint | undefined;
    return v === undefined ? undefined : Number(v);
  };
  const id: ClientIdentity = {
    userName: str('user-name'),
    unixUserId: num('unix-user-id'),
    groupName: str('group-name'),
    unixGroupId: num('unix-group-id'),
    processId: num('process-id'),
    processTime: m.get('process-time')?.value as bigint | undefined,
    saslUserName: str('sasl-user-name'),
    x509DName: str('x509-distinguished-name'),
    selinuxContext: str('selinux-context'),
  };
  for (const k of Object.keys(id) as (keyof ClientIdentity)[]) if (id[k] === undefined) delete id[k];
  return id;
}
