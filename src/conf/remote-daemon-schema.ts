/**
 * The keys of libvirtd.conf, virtproxyd.conf and virt${DRIVER}d.conf, with
 * their types (daemons.md §5.2). Keys marked `ip` are read only by the
 * daemons that listen on TCP/TLS (libvirtd and virtproxyd).
 */
import type { ConfType } from './conf-values.js';

export interface KeyDef {
  type: ConfType;
  ip?: boolean;
}

export const REMOTE_DAEMON_KEYS: Readonly<Record<string, KeyDef>> = {
  listen_tls: { type: 'bool', ip: true },
  listen_tcp: { type: 'bool', ip: true },
  tls_port: { type: 'string', ip: true },
  tcp_port: { type: 'string', ip: true },
  listen_addr: { type: 'string', ip: true },
  unix_sock_group: { type: 'string' },
  unix_sock_ro_perms: { type: 'string' },
  unix_sock_rw_perms: { type: 'string' },
  unix_sock_admin_perms: { type: 'string' },
  unix_sock_dir: { type: 'string' },
  auth_unix_ro: { type: 'string' },
  auth_unix_rw: { type: 'string' },
  auth_tcp: { type: 'string', ip: true },
  auth_tls: { type: 'string', ip: true },
  tcp_min_ssf: { type: 'uint', ip: true },
  access_drivers: { type: 'stringList' },
  key_file: { type: 'string', ip: true },
  cert_file: { type: 'string', ip: true },
  ca_file: { type: 'string', ip: true },
  crl_file: { type: 'string', ip: true },
  tls_no_sanity_certificate: { type: 'bool', ip: true },
  tls_no_verify_certificate: { type: 'bool', ip: true },
  tls_allowed_dn_list: { type: 'stringList', ip: true },
  sasl_allowed_username_list: { type: 'stringList' },
  tls_priority: { type: 'string', ip: true },
  min_workers: { type: 'uint' },
  max_workers: { type: 'uint' },
  prio_workers: { type: 'uint' },
  max_clients: { type: 'uint' },
  max_queued_clients: { type: 'uint' },
  max_anonymous_clients: { type: 'uint' },
  max_client_requests: { type: 'uint' },
  admin_min_workers: { type: 'uint' },
  admin_max_workers: { type: 'uint' },
  admin_max_clients: { type: 'uint' },
  admin_max_queued_clients: { type: 'uint' },
  admin_max_client_requests: { type: 'uint' },
  log_level: { type: 'uint' },
  log_filters: { type: 'string' },
  log_outputs: { type: 'string' },
  audit_level: { type: 'uint' },
  audit_logging: { type: 'bool' },
  host_uuid: { type: 'string' },
  host_uuid_source: { type: 'string' },
  keepalive_interval: { type: 'int' },
  keepalive_count: { type: 'uint' },
  admin_keepalive_interval: { type: 'int' },
  admin_keepalive_count: { type: 'uint' },
  ovs_timeout: { type: 'uint' },
  // Ours (libvirt has no such limits, and ignores keys it does not know): seconds a client may
  // hold an incomplete packet, or stay unauthenticated, before it is disconnected; 0 = no limit.
  client_packet_timeout: { type: 'uint' },
  client_auth_timeout: { type: 'uint' },
  // No longer read by libvirt 9.0; accepted silently so old files keep working.
  keepalive_required: { type: 'bool' },
  admin_keepalive_required: { type: 'bool' },
};

/** Daemons that read the `ip` keys. */
export const IP_DAEMONS: ReadonlySet<string> = new Set(['libvirtd', 'virtproxyd']);
