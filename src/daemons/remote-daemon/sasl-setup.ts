/**
 * SASL at start-up, when a socket the daemon serves has auth "sasl" (libvirt's
 * daemonSetupNetworking): Cyrus SASL is initialised once with the application
 * name "libvirt", so its config is libvirt.conf in SASL_CONF_PATH or Cyrus's
 * default directory, exactly as for libvirtd.
 *
 * - A library that cannot be loaded or initialised (e.g. a malformed
 *   libvirt.conf) stops start-up with libvirt's message and exit code 6,
 *   naming the auth key, the daemon's config file and the SASL config.
 * - What libvirtd starts with but then refuses every client of (no mechanism
 *   available to a socket: an empty or unknown mech_list, GSSAPI without a
 *   readable keytab, only mechanisms without a security layer on plain TCP)
 *   starts here too and fails those clients the same way, with a warning at
 *   start-up that says so; so does a sasldb_path or keytab that cannot be read.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthType } from '../../rpc/index.js';
import type { RemoteDaemonConfig } from '../config/index.js';
import { initSaslServer, SASL_MAX_BUF_SIZE, SaslError, SaslSession } from '../runtime/index.js';
import type { SocketRole } from './activated-sockets.js';

/** The daemon-wide SASL settings the remote program's SASL procedures need. */
export interface SaslSettings {
  allowedUsernames: readonly string[] | undefined;
  tcpMinSsf: number;
  /** This host's name as Cyrus resolved it at start-up (what libvirtd resolves per client). */
  serverFqdn: string | null;
}

/** SASL could not be set up: the daemon must not start (exit 6, as libvirtd's networking set-up failures). */
export class SaslSetupError extends Error {}

const AUTH_KEYS = { rw: 'auth_unix_rw', ro: 'auth_unix_ro', tcp: 'auth_tcp', tls: 'auth_tls' } as const;
const AUTH_FIELDS = { rw: 'authUnixRw', ro: 'authUnixRo', tcp: 'authTcp', tls: 'authTls' } as const;
type ServedRole = keyof typeof AUTH_KEYS;

/** Where Cyrus reads libvirt.conf: the first directory of SASL_CONF_PATH that has it. */
function saslConfFile(env: NodeJS.ProcessEnv): { path: string | undefined; described: string } {
  const dirs = env.SASL_CONF_PATH?.split(':').filter(Boolean);
  if (!dirs?.length) {
    const path = '/etc/sasl2/libvirt.conf';
    return { path: existsSync(path) ? path : undefined, described: "libvirt.conf in Cyrus SASL's default directory (/etc/sasl2)" };
  }
  const path = dirs.map((d) => join(d, 'libvirt.conf')).find((p) => existsSync(p));
  return { path, described: path ?? `libvirt.conf in SASL_CONF_PATH (${dirs.join(':')}, where there is none)` };
}

/** `key: value` lines of a Cyrus config file. */
function saslOptions(path: string | undefined): Map<string, string> {
  const options = new Map<string, string>();
  if (!path) return options;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*([^#:\s]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (m) options.set(m[1]!, m[2]!);
  }
  return options;
}

/** This host's name as Cyrus finds it (gethostname, canonicalised by the resolver): the one blocking lookup. */
function resolveServerFqdn(): string | null {
  const session = SaslSession.open('libvirt', null, null, null);
  try {
    return session.serverFqdn();
  } finally {
    session.dispose();
  }
}

/** The mechanisms a client of this socket would be offered (what AUTH_SASL_INIT lists), or why none. */
function offeredMechanisms(role: ServedRole, tcpMinSsf: number, serverFqdn: string | null): string {
  const session = SaslSession.open('libvirt', serverFqdn, role === 'rw' || role === 'ro' ? '127.0.0.1;0' : null, null);
  try {
    session.setSecurityProperties(
      role === 'tcp'
        ? { minSsf: tcpMinSsf, maxSsf: 100000, maxBufSize: SASL_MAX_BUF_SIZE, allowAnonymous: false }
        : { minSsf: 0, maxSsf: 0, maxBufSize: SASL_MAX_BUF_SIZE, allowAnonymous: true },
    );
    return session.listMechanisms();
  } catch (err) {
    if (err instanceof SaslError) return '';
    throw err;
  } finally {
    session.dispose();
  }
}

export function setUpSasl(
  c: RemoteDaemonConfig,
  served: ReadonlySet<SocketRole>,
  env: NodeJS.ProcessEnv,
): { settings: SaslSettings | undefined; warnings: string[] } {
  const roles = (Object.keys(AUTH_KEYS) as ServedRole[]).filter((r) => served.has(r) && c[AUTH_FIELDS[r]] === AuthType.Sasl);
  if (roles.length === 0) return { settings: undefined, warnings: [] };
  const file = c.file ?? 'the built-in defaults';
  const where = (key: string) => (c.keysSet.has(key) ? `${key} in ${file}` : `${key} (default)`);
  const conf = saslConfFile(env);
  try {
    initSaslServer('libvirt');
  } catch (err) {
    if (!(err instanceof SaslError)) throw err;
    throw new SaslSetupError(`authentication failed: ${err.message} (${where(AUTH_KEYS[roles[0]!])} = "sasl"; SASL config: ${conf.described})`);
  }

  const serverFqdn = resolveServerFqdn();
  const warnings: string[] = [];
  for (const role of roles) {
    if (offeredMechanisms(role, c.tcpMinSsf, serverFqdn) !== '') continue;
    const need = role === 'tcp' ? ` with a security layer of SSF >= ${c.tcpMinSsf} (tcp_min_ssf)` : '';
    warnings.push(
      `${where(AUTH_KEYS[role])} = "sasl": no SASL mechanism of ${conf.described} is available${need}; every client of this socket will be refused ("authentication failed"), as libvirtd refuses them`,
    );
  }
  const options = saslOptions(conf.path);
  for (const key of ['sasldb_path', 'keytab']) {
    const path = options.get(key);
    if (path === undefined) continue;
    try {
      accessSync(path, constants.R_OK);
    } catch (err) {
      warnings.push(`${key} in ${conf.path} names ${path}, which this daemon cannot read (${(err as NodeJS.ErrnoException).code}): SASL logins that need it will fail`);
    }
  }
  return { settings: { allowedUsernames: c.saslAllowedUsernameList, tcpMinSsf: c.tcpMinSsf, serverFqdn }, warnings };
}
