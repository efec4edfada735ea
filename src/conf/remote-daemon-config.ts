/**
 * The typed configuration of libvirtd, virtproxyd and virt${DRIVER}d, with
 * libvirt's defaults (daemons.md §4, §5.2) and its checks of values.
 */
import { AuthType } from '../rpc/index.js';
import { ConfigError } from './config-error.js';
import type { ConfFile } from './conf-parser.js';
import { lineOf, readValue } from './conf-values.js';
import { IP_DAEMONS, REMOTE_DAEMON_KEYS } from './remote-daemon-schema.js';

export interface RemoteDaemonConfig {
  file: string | undefined;
  /** Keys the file sets (whatever their value): socket activation reports the ones it overrides. */
  keysSet: ReadonlySet<string>;
  listenTls: boolean;
  listenTcp: boolean;
  tlsPort: string;
  tcpPort: string;
  listenAddr: string | undefined;
  unixSockGroup: string | undefined;
  unixSockRoPerms: number;
  unixSockRwPerms: number;
  unixSockAdminPerms: number;
  unixSockDir: string | undefined;
  authUnixRo: AuthType;
  authUnixRw: AuthType;
  authTcp: AuthType;
  authTls: AuthType;
  tcpMinSsf: number;
  accessDrivers: string[];
  keyFile: string | undefined;
  certFile: string | undefined;
  caFile: string | undefined;
  crlFile: string | undefined;
  tlsNoSanityCertificate: boolean;
  tlsNoVerifyCertificate: boolean;
  tlsAllowedDnList: string[] | undefined;
  saslAllowedUsernameList: string[] | undefined;
  tlsPriority: string | undefined;
  minWorkers: number;
  maxWorkers: number;
  prioWorkers: number;
  maxClients: number;
  maxQueuedClients: number;
  maxAnonymousClients: number;
  maxClientRequests: number;
  adminMinWorkers: number;
  adminMaxWorkers: number;
  adminMaxClients: number;
  adminMaxQueuedClients: number;
  adminMaxClientRequests: number;
  /** 0 = use the built-in default (3). */
  logLevel: number;
  logFilters: string | undefined;
  logOutputs: string | undefined;
  auditLevel: number;
  auditLogging: boolean;
  hostUuid: string | undefined;
  hostUuidSource: string;
  keepaliveInterval: number;
  keepaliveCount: number;
  adminKeepaliveInterval: number;
  adminKeepaliveCount: number;
  ovsTimeout: number;
  /** Ours: seconds a client may hold an incomplete packet / stay unauthenticated; 0 = no limit. */
  clientPacketTimeout: number;
  clientAuthTimeout: number;
}

const AUTH_NAMES: Readonly<Record<string, AuthType>> = { none: AuthType.None, sasl: AuthType.Sasl, polkit: AuthType.Polkit };

function authOf(conf: ConfFile, key: string, fallback: AuthType): AuthType {
  const v = readValue(conf, key, 'string');
  if (v === undefined) return fallback;
  const auth = AUTH_NAMES[v];
  if (auth === undefined) {
    throw new ConfigError(`${conf.file}:${lineOf(conf, key)}: ${key}: unsupported auth ${v}`, conf.file, lineOf(conf, key), key);
  }
  return auth;
}

function permsOf(conf: ConfFile, key: string, fallback: number): number {
  const v = readValue(conf, key, 'string');
  if (v === undefined) return fallback;
  if (!/^0?[0-7]{1,4}$/.test(v)) {
    throw new ConfigError(
      `${conf.file}:${lineOf(conf, key)}: Failed to parse mode '${v}' for '${key}': expected octal permissions such as "0770"`,
      conf.file,
      lineOf(conf, key),
      key,
    );
  }
  return parseInt(v, 8);
}

export function remoteDaemonConfig(kind: string, mode: 'system' | 'session', conf: ConfFile, warn: (msg: string) => void): RemoteDaemonConfig {
  const ip = IP_DAEMONS.has(kind);
  for (const [key, e] of conf.entries) {
    const def = REMOTE_DAEMON_KEYS[key];
    if (!def || (def.ip && !ip)) warn(`${conf.file}:${e.line}: unknown configuration key '${key}' for ${kind}, ignored`);
  }
  const get = <T extends Parameters<typeof readValue>[2]>(key: string, type: T) => readValue(conf, key, type);
  const defaultAuth = mode === 'system' ? AuthType.Polkit : AuthType.None;
  const authUnixRw = authOf(conf, 'auth_unix_rw', defaultAuth);
  const c: RemoteDaemonConfig = {
    file: conf.file || undefined,
    keysSet: new Set(conf.entries.keys()),
    listenTls: ip ? (get('listen_tls', 'bool') ?? kind === 'libvirtd') : false,
    listenTcp: ip ? (get('listen_tcp', 'bool') ?? false) : false,
    tlsPort: get('tls_port', 'string') ?? '16514',
    tcpPort: get('tcp_port', 'string') ?? '16509',
    listenAddr: get('listen_addr', 'string'),
    unixSockGroup: get('unix_sock_group', 'string'),
    unixSockRoPerms: permsOf(conf, 'unix_sock_ro_perms', 0o777),
    unixSockRwPerms: permsOf(conf, 'unix_sock_rw_perms', authUnixRw === AuthType.Polkit ? 0o777 : 0o700),
    unixSockAdminPerms: permsOf(conf, 'unix_sock_admin_perms', 0o700),
    unixSockDir: get('unix_sock_dir', 'string'),
    authUnixRo: authOf(conf, 'auth_unix_ro', defaultAuth),
    authUnixRw,
    authTcp: authOf(conf, 'auth_tcp', AuthType.Sasl),
    authTls: authOf(conf, 'auth_tls', AuthType.None),
    tcpMinSsf: get('tcp_min_ssf', 'uint') ?? 56,
    accessDrivers: get('access_drivers', 'stringList') ?? [],
    keyFile: get('key_file', 'string'),
    certFile: get('cert_file', 'string'),
    caFile: get('ca_file', 'string'),
    crlFile: get('crl_file', 'string'),
    tlsNoSanityCertificate: get('tls_no_sanity_certificate', 'bool') ?? false,
    tlsNoVerifyCertificate: get('tls_no_verify_certificate', 'bool') ?? false,
    tlsAllowedDnList: get('tls_allowed_dn_list', 'stringList'),
    saslAllowedUsernameList: get('sasl_allowed_username_list', 'stringList'),
    tlsPriority: get('tls_priority', 'string'),
    minWorkers: get('min_workers', 'uint') ?? 5,
    maxWorkers: get('max_workers', 'uint') ?? 20,
    prioWorkers: get('prio_workers', 'uint') ?? 5,
    maxClients: get('max_clients', 'uint') ?? 5000,
    maxQueuedClients: get('max_queued_clients', 'uint') ?? 1000,
    maxAnonymousClients: get('max_anonymous_clients', 'uint') ?? 20,
    maxClientRequests: get('max_client_requests', 'uint') ?? 5,
    adminMinWorkers: get('admin_min_workers', 'uint') ?? 5,
    adminMaxWorkers: get('admin_max_workers', 'uint') ?? 20,
    adminMaxClients: get('admin_max_clients', 'uint') ?? 5000,
    adminMaxQueuedClients: get('admin_max_queued_clients', 'uint') ?? 20,
    adminMaxClientRequests: get('admin_max_client_requests', 'uint') ?? 5,
    logLevel: get('log_level', 'uint') ?? 0,
    logFilters: get('log_filters', 'string'),
    logOutputs: get('log_outputs', 'string'),
    auditLevel: get('audit_level', 'uint') ?? 1,
    auditLogging: get('audit_logging', 'bool') ?? false,
    hostUuid: get('host_uuid', 'string'),
    hostUuidSource: get('host_uuid_source', 'string') ?? 'smbios',
    keepaliveInterval: get('keepalive_interval', 'int') ?? 5,
    keepaliveCount: get('keepalive_count', 'uint') ?? 5,
    adminKeepaliveInterval: get('admin_keepalive_interval', 'int') ?? 5,
    adminKeepaliveCount: get('admin_keepalive_count', 'uint') ?? 5,
    ovsTimeout: get('ovs_timeout', 'uint') ?? 5,
    clientPacketTimeout: get('client_packet_timeout', 'uint') ?? 0,
    clientAuthTimeout: get('client_auth_timeout', 'uint') ?? 0,
  };
  validate(conf, c);
  return c;
}

function validate(conf: ConfFile, c: RemoteDaemonConfig): void {
  const bad = (key: string, why: string): never => {
    throw new ConfigError(`${conf.file}:${lineOf(conf, key) ?? '-'}: ${why}`, conf.file, lineOf(conf, key), key);
  };
  if (c.maxWorkers === 0) bad('max_workers', "'max_workers' must be greater than 0");
  if (c.minWorkers > c.maxWorkers) bad('min_workers', "'min_workers' must not be greater than 'max_workers'");
  if (c.adminMaxWorkers === 0) bad('admin_max_workers', "'admin_max_workers' must be greater than 0");
  if (c.maxClients < c.maxAnonymousClients) {
    bad(
      conf.entries.has('max_clients') ? 'max_clients' : 'max_anonymous_clients',
      'The overall maximum number of clients must not be less than the number of clients waiting for authentication',
    );
  }
  if (c.logLevel > 4) bad('log_level', "'log_level' must be between 0 and 4");
  if (conf.entries.has('tcp_min_ssf') && c.tcpMinSsf < 112) bad('tcp_min_ssf', 'minimum SSF levels lower than 112 are not supported');
  const tlsFiles = [c.keyFile, c.certFile, c.caFile].filter((f) => f !== undefined).length;
  if (tlsFiles > 0 && tlsFiles < 3) {
    bad(c.keyFile ? (c.certFile ? 'ca_file' : 'cert_file') : 'key_file', 'key_file, cert_file and ca_file must be set together');
  }
}
