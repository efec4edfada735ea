/**
 * Admin URIs for a daemon on another host, reached over SSH:
 * `NAME+ssh://[user@]host[:port]/system|session[?socket=PATH&keyfile=PATH&known_hosts=PATH]`.
 * NAME is the daemon (libvirtd, virtqemud, ...), as in virt-admin's local
 * URIs; the path is the mode whose socket directory is used on that host;
 * `socket` names the admin socket's path there and wins, as it does locally.
 * virt-admin refuses `+ssh` (its admin API is local only); this is ours.
 */
import { ErrorCode } from '../../rpc/index.js';
import { uriError } from '../admin-client-error.js';

export interface SshDestination {
  user?: string;
  /** A host name, an address, or a Host alias of the operator's ssh config. */
  host: string;
  port?: number;
}

/** What the URI may add to the operator's ssh config for this host. */
export interface SshTransportOptions {
  /** An identity file (ssh -i). */
  keyfile?: string;
  /** A known_hosts file in place of the user's (UserKnownHostsFile). */
  knownHosts?: string;
}

export interface SshUri {
  uri: string;
  daemon: string;
  mode: 'system' | 'session' | undefined;
  /** The admin socket's path on the remote host, when given. */
  socket: string | undefined;
  destination: SshDestination;
  transport: SshTransportOptions;
}

const SSH_SCHEME = /^(libvirtd|virt[a-z]+)\+ssh:\/\/(.*)$/s;

export function isSshUri(uri: string): boolean {
  return SSH_SCHEME.test(uri);
}

/** `[user@]host[:port]`, with `[v6 address]` for IPv6. */
export function parseDestination(text: string): SshDestination {
  const at = text.lastIndexOf('@');
  const user = at === -1 ? undefined : decodeURIComponent(text.slice(0, at));
  const hostPort = at === -1 ? text : text.slice(at + 1);
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(hostPort);
  if (!m || user === '') throw uriError(ErrorCode.ConfigUnsupported, `Invalid host '${text}': expected [user@]host[:port]`);
  const host = decodeURIComponent(m[1] ?? m[2]!);
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) throw uriError(ErrorCode.ConfigUnsupported, `Invalid port ${m[3]} in '${text}': 1 to 65535`);
  return { ...(user !== undefined ? { user } : {}), host, ...(port !== undefined ? { port } : {}) };
}

/** The destination as the operator writes it: tester@127.0.0.1:2222, [::1]:22, web1. */
export function destinationName(d: SshDestination): string {
  const host = d.host.includes(':') ? `[${d.host}]` : d.host;
  return `${d.user !== undefined ? `${d.user}@` : ''}${d.port !== undefined ? `${host}:${d.port}` : host}`;
}

function queryParams(query: string): [string, string][] {
  return query
    .split('&')
    .filter(Boolean)
    .map((kv) => {
      const eq = kv.indexOf('=');
      return [decodeURIComponent(eq === -1 ? kv : kv.slice(0, eq)), decodeURIComponent(eq === -1 ? '' : kv.slice(eq + 1))];
    });
}

export function parseSshUri(uri: string): SshUri {
  const m = SSH_SCHEME.exec(uri);
  if (!m) throw uriError(ErrorCode.ConfigUnsupported, `Not an ssh admin URI: '${uri}'`);
  const daemon = m[1]!;
  let rest = m[2]!;
  let query = '';
  const q = rest.indexOf('?');
  if (q !== -1) [rest, query] = [rest.slice(0, q), rest.slice(q + 1)];
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);
  if (authority === '') throw uriError(ErrorCode.ConfigUnsupported, `No host in '${uri}': an ssh URI names the host, e.g. ${daemon}+ssh://root@host/system`);
  const destination = parseDestination(authority);
  const transport: SshTransportOptions = {};
  let socket: string | undefined;
  for (const [k, v] of queryParams(query)) {
    if (k === 'socket') socket = v;
    else if (k === 'keyfile') transport.keyfile = v;
    else if (k === 'known_hosts') transport.knownHosts = v;
    else throw uriError(ErrorCode.ConfigUnsupported, `Unknown URI parameter '${k}'`);
  }
  const mode = path === '/system' || path === '/session' ? (path.slice(1) as 'system' | 'session') : undefined;
  if (socket === undefined && !mode) throw uriError(ErrorCode.ConfigUnsupported, `Invalid URI path '${path}', try '/system'`);
  if (socket !== undefined && !socket.startsWith('/')) throw uriError(ErrorCode.ConfigUnsupported, `The socket on the remote host must be an absolute path, not '${socket}'`);
  return { uri, daemon, mode, socket, destination, transport };
}

function encodeValue(v: string): string {
  return encodeURIComponent(v).replace(/%2F/g, '/');
}

/** The URI of a daemon's admin socket found on a remote host (what discovery lists). */
export function sshAdminUri(daemon: string, destination: SshDestination, mode: 'system' | 'session', socket: string | undefined, transport: SshTransportOptions = {}): string {
  const params: string[] = [];
  if (socket !== undefined) params.push(`socket=${encodeValue(socket)}`);
  if (transport.keyfile !== undefined) params.push(`keyfile=${encodeValue(transport.keyfile)}`);
  if (transport.knownHosts !== undefined) params.push(`known_hosts=${encodeValue(transport.knownHosts)}`);
  const user = destination.user !== undefined ? `${encodeURIComponent(destination.user)}@` : '';
  const host = destination.host.includes(':') ? `[${destination.host}]` : destination.host;
  const port = destination.port !== undefined ? `:${destination.port}` : '';
  return `${daemon}+ssh://${user}${host}${port}/${mode}${params.length ? `?${params.join('&')}` : ''}`;
}

/** One ssh connection serves every URI with the same destination and transport options. */
export function connectionKey(destination: SshDestination, transport: SshTransportOptions): string {
  return JSON.stringify([destination.user ?? null, destination.host, destination.port ?? null, transport.keyfile ?? null, transport.knownHosts ?? null]);
}
