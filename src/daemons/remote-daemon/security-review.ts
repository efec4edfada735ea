/**
 * Every security setting of a remote daemon's config is enforced or refused
 * here, at start-up, naming the key and the file: never accepted and ignored.
 * What the daemon enforces elsewhere (auth none/polkit/sasl per socket, with
 * SASL set up in sasl-setup.ts; TLS verification, tls_allowed_dn_list, the
 * sanity check of our certificate) is not repeated; this is what would
 * otherwise slip through:
 *
 * - access drivers: "none" is what the daemon does; "polkit" is not available
 *   (libvirt starts and asks polkit per call; refusing is stricter, README);
 *   any other name is libvirt's own refusal;
 * - a tls_priority that cannot be enforced (tls-priority.ts);
 * - audit_level = 2, which demands auditing this build does not do.
 *
 * Settings that are legal but open the daemon wide are warned about.
 */
import { AuthType } from '../../rpc/index.js';
import type { RemoteDaemonConfig } from '../config/index.js';
import type { Mode } from '../paths/daemon-paths.js';
import type { SocketRole } from './activated-sockets.js';

/** A setting the daemon cannot honour: start-up stops with this message (exit 1, as libvirtd's config errors). */
export class SecurityRefusal extends Error {}

export interface ReviewInput {
  config: RemoteDaemonConfig;
  mode: Mode;
  /** The sockets this daemon will serve (by config or by systemd). */
  served: ReadonlySet<SocketRole>;
  /** Where the TCP socket listens, for the warning about it. */
  tcpAddress: string;
}

/** Throws SecurityRefusal for the first setting that cannot be honoured; returns warnings to log. */
export async function reviewSecuritySettings({ config: c, served, tcpAddress }: ReviewInput): Promise<string[]> {
  const file = c.file ?? 'the built-in defaults';
  const where = (key: string) => (c.keysSet.has(key) ? `${key} in ${file}` : `${key} (default)`);
  const warnings: string[] = [];

  for (const name of c.accessDrivers) {
    if (name === 'none') continue;
    if (name === 'polkit') {
      throw new SecurityRefusal(
        `access_drivers in ${file} names "polkit": the polkit access driver is not available in this build, and the daemon will not run with every API call allowed`,
      );
    }
    throw new SecurityRefusal(`internal error: Cannot find security driver '${name}'`);
  }

  if (c.tlsPriority !== undefined) {
    // node:tls comes with it: loaded only for a daemon that sets a priority.
    const { parseTlsPriority, TlsPriorityError } = await import('../tls/tls-priority.js');
    try {
      parseTlsPriority(c.tlsPriority);
    } catch (err) {
      if (!(err instanceof TlsPriorityError)) throw err;
      throw new SecurityRefusal(`tls_priority in ${file} = "${c.tlsPriority}" cannot be enforced: ${err.message}`);
    }
  }

  if (c.auditLevel === 2) {
    throw new SecurityRefusal(`audit_level = 2 in ${file} requires auditing, which this build does not do; set audit_level = 0 or 1`);
  }
  if (c.keysSet.has('audit_level') && c.auditLevel === 1) {
    warnings.push(`audit_level = 1 in ${file}: this daemon writes no audit records (libvirt audits guests and their devices, and this daemon runs no guests)`);
  }
  if (c.auditLogging) {
    warnings.push(`audit_logging = 1 in ${file}: there are no audit records to log (this daemon runs no guests)`);
  }

  if (served.has('tcp') && c.authTcp === AuthType.None) {
    warnings.push(
      `${where('auth_tcp')} = "none" with TCP on ${tcpAddress}: anyone who can reach it gets read-write access to this daemon, unauthenticated and unencrypted`,
    );
  }
  if (served.has('tls') && c.authTls === AuthType.None && c.tlsNoVerifyCertificate) {
    warnings.push(`tls_no_verify_certificate = 1 in ${file} with auth_tls = "none": any TLS client gets read-write access to this daemon`);
  }
  return warnings;
}

