/**
 * Admin URIs to sockets, exactly as virt-admin 9.0 resolves them
 * (admin-api.md §5): `NAME:///system`, `NAME:///session`, `?socket=PATH`,
 * the default URI, aliases, and libvirt's errors for everything else.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '../rpc/index.js';
import { uriError } from './admin-client-error.js';
import { readClientConfig, type ClientConfig } from './client-config.js';

export interface ResolvedUri {
  /** The URI as the user gave it (after alias resolution): what `uri` prints. */
  uri: string;
  socketPath: string;
  /** The daemon named by the scheme (libvirtd, virtqemud, ...), when the URI names one. */
  daemon: string | undefined;
  mode: 'system' | 'session' | undefined;
  /** The host the daemon is on when it is not this one (an SSH destination, as written). */
  host?: string;
}

export interface UriContext {
  env: NodeJS.ProcessEnv;
  euid: number;
  config?: ClientConfig;
}

export function defaultContext(): UriContext {
  return { env: process.env, euid: process.geteuid?.() ?? 0 };
}

/** $XDG_RUNTIME_DIR/libvirt, else the user cache dir + /libvirt. */
export function sessionSocketDir(env: NodeJS.ProcessEnv): string {
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'libvirt');
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'libvirt');
}

export const SYSTEM_SOCKET_DIR = '/run/libvirt';

/** The admin socket's file name for a daemon: libvirtd (and virtproxyd) use the "libvirt" prefix. */
export function adminSocketName(daemon: string): string {
  return `${daemon === 'libvirtd' ? 'libvirt' : daemon}-admin-sock`;
}

/** The URI used when none is given: env, then uri_default, then by effective uid. */
export function defaultUri(ctx: UriContext): string {
  const fromEnv = ctx.env.LIBVIRT_ADMIN_DEFAULT_URI;
  if (fromEnv) return fromEnv;
  const config = ctx.config ?? readClientConfig(ctx.env, ctx.euid);
  if (config.uriDefault) return config.uriDefault;
  return ctx.euid === 0 ? 'libvirtd:///system' : 'libvirtd:///session';
}

interface UriParts {
  scheme: string | undefined;
  path: string;
  query: [string, string][];
}

/** libvirt's URI grammar is looser than WHATWG's (`libvirtd:` is a URI with an empty path). */
function splitUri(text: string): UriParts {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(text);
  if (!m) return { scheme: undefined, path: text, query: [] };
  let rest = m[2]!;
  let query = '';
  const q = rest.indexOf('?');
  if (q !== -1) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    rest = slash === -1 ? '' : rest.slice(slash);
  }
  const params = query
    .split('&')
    .filter(Boolean)
    .map((kv): [string, string] => {
      const eq = kv.indexOf('=');
      const k = eq === -1 ? kv : kv.slice(0, eq);
      const v = eq === -1 ? '' : kv.slice(eq + 1);
      return [decodeURIComponent(k), decodeURIComponent(v)];
    });
  return { scheme: m[1], path: rest, query: params };
}

/** The URI meant: the one given, else the default; an alias replaced by the URI it names. */
export function effectiveUri(given: string | undefined, ctx: UriContext = defaultContext()): string {
  const uri = given ?? defaultUri(ctx);
  // An alias names a URI from the client config (never applied to a URI with a scheme).
  if (uri.includes(':')) return uri;
  const config = ctx.config ?? readClientConfig(ctx.env, ctx.euid);
  return config.uriAliases.get(uri) ?? uri;
}

export function resolveAdminUri(given: string | undefined, ctx: UriContext = defaultContext()): ResolvedUri {
  const uri = effectiveUri(given, ctx);
  const { scheme, path, query } = splitUri(uri);
  let socket: string | undefined;
  for (const [k, v] of query) {
    if (k === 'socket') socket = v;
    else throw uriError(ErrorCode.ConfigUnsupported, `Unknown URI parameter '${k}'`);
  }
  const daemon = scheme === 'libvirtd' || scheme?.startsWith('virt') ? scheme : undefined;
  const mode = path === '/system' || path === '/session' ? path.slice(1) as 'system' | 'session' : undefined;
  // ?socket= wins and nothing else is checked (admin-api.md §5, rule 1).
  if (socket !== undefined) return { uri, socketPath: socket, daemon, mode };
  if (!scheme) throw uriError(ErrorCode.ConfigUnsupported, 'No URI scheme specified');
  if (!daemon) throw uriError(ErrorCode.ConfigUnsupported, `Unsupported URI scheme '${scheme}'`);
  if (!mode) throw uriError(ErrorCode.ConfigUnsupported, `Invalid URI path '${path}', try '/system'`);
  const dir = mode === 'system' ? SYSTEM_SOCKET_DIR : sessionSocketDir(ctx.env);
  return { uri, socketPath: join(dir, adminSocketName(daemon)), daemon, mode };
}
