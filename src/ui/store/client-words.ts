/**
 * How a client is named in confirmations and results: its users (unix and
 * SASL, both when both exist), its pid and process, its transport, and whether
 * it is still authenticating.
 */
import type { ClientInfo, ClientSummary, PeerProcess } from '../../admin-client/index.js';

/** "alice, SASL bob" / "SASL bob" / the TLS DN / the address. */
export function userWords(info: ClientInfo | undefined): string {
  if (!info) return 'identity unknown';
  const names = [info.unixUserName, info.saslUserName && `SASL ${info.saslUserName}`].filter(Boolean);
  return names.length ? names.join(', ') : (info.x509DName ?? info.sockAddr ?? 'identity unknown');
}

/** "alice, pid 812 virsh, unix" (the process only when known). */
export function whoWords(c: ClientSummary, info: ClientInfo | undefined, process?: PeerProcess | null, unauthenticated?: boolean): string {
  const pid = info?.unixProcessId === undefined ? 'pid ?' : `pid ${info.unixProcessId}${process ? ` ${process.command}` : ''}`;
  return `${userWords(info)}, ${pid}, ${c.transport}${unauthenticated ? ', not authenticated yet' : ''}`;
}
