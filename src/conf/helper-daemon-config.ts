/**
 * virtlogd.conf and virtlockd.conf (daemons.md §5.3, §5.4): logging, the
 * client limits, and for virtlogd the log rollover. Their servers differ from
 * the remote daemons' (§4): no worker pool (calls run inline), one request at
 * a time per client, no keepalive; the admin server admits 5000 clients.
 * unix_sock_dir is honoured as the seed document lists it (libvirt 9.0 ignores it).
 */
import { AuthType } from '../rpc/index.js';
import type { ConfFile } from './conf-parser.js';
import { readValue } from './conf-values.js';
import { ConfigError } from './config-error.js';

/** libvirt's rotating log writer keeps at most this many backups (virrotatingfile.c). */
export const MAX_BACKUPS_LIMIT = 32;
import type { RemoteDaemonConfig } from './remote-daemon-config.js';

export const HELPER_DAEMON_KEYS: Readonly<Record<string, readonly string[]>> = {
  virtlogd: ['log_level', 'log_filters', 'log_outputs', 'max_clients', 'admin_max_clients', 'max_size', 'max_backups', 'unix_sock_dir'],
  virtlockd: ['log_level', 'log_filters', 'log_outputs', 'max_clients', 'admin_max_clients', 'unix_sock_dir'],
};

export interface HelperDaemonConfig extends RemoteDaemonConfig {
  /** virtlogd: bytes before a log file rolls over (0 = never), and how many old files are kept. */
  maxSize: number;
  maxBackups: number;
}

export function isHelperDaemon(kind: string): boolean {
  return kind in HELPER_DAEMON_KEYS;
}

export function helperDaemonConfig(kind: string, conf: ConfFile, warn: (msg: string) => void): HelperDaemonConfig {
  const keys = HELPER_DAEMON_KEYS[kind]!;
  for (const [key, e] of conf.entries) if (!keys.includes(key)) warn(`${conf.file}:${e.line}: unknown configuration key '${key}' for ${kind}, ignored`);
  const get = <T extends Parameters<typeof readValue>[2]>(key: string, type: T) => readValue(conf, key, type);
  const c: HelperDaemonConfig = {
    file: conf.file || undefined,
    keysSet: new Set(conf.entries.keys()),
    listenTls: false,
    listenTcp: false,
    tlsPort: '16514',
    tcpPort: '16509',
    listenAddr: undefined,
    unixSockGroup: undefined,
    // Fixed 0700 on both sockets (daemons.md §2).
    unixSockRoPerms: 0o700,
    unixSockRwPerms: 0o700,
    unixSockAdminPerms: 0o700,
    unixSockDir: get('unix_sock_dir', 'string'),
    authUnixRo: AuthType.None,
    authUnixRw: AuthType.None,
    authTcp: AuthType.None,
    authTls: AuthType.None,
    tcpMinSsf: 56,
    accessDrivers: [],
    keyFile: undefined,
    certFile: undefined,
    caFile: undefined,
    crlFile: undefined,
    tlsNoSanityCertificate: false,
    tlsNoVerifyCertificate: false,
    tlsAllowedDnList: undefined,
    saslAllowedUsernameList: undefined,
    tlsPriority: undefined,
    minWorkers: 0,
    maxWorkers: 0,
    prioWorkers: 0,
    maxClients: get('max_clients', 'uint') ?? 1024,
    maxQueuedClients: 30,
    maxAnonymousClients: get('max_clients', 'uint') ?? 1024,
    maxClientRequests: 1,
    adminMinWorkers: 0,
    adminMaxWorkers: 0,
    adminMaxClients: get('admin_max_clients', 'uint') ?? 5000,
    adminMaxQueuedClients: 30,
    adminMaxClientRequests: 1,
    logLevel: get('log_level', 'uint') ?? 0,
    logFilters: get('log_filters', 'string'),
    logOutputs: get('log_outputs', 'string'),
    auditLevel: 0,
    auditLogging: false,
    hostUuid: undefined,
    hostUuidSource: 'smbios',
    keepaliveInterval: -1,
    keepaliveCount: 0,
    adminKeepaliveInterval: -1,
    adminKeepaliveCount: 0,
    ovsTimeout: 5,
    clientPacketTimeout: 0,
    clientAuthTimeout: 0,
    maxSize: get('max_size', 'uint') ?? 2097152,
    maxBackups: get('max_backups', 'uint') ?? 3,
  };
  if (c.logLevel > 4) {
    const line = conf.entries.get('log_level')?.line;
    throw new ConfigError(`${conf.file}:${line}: 'log_level' must be between 0 and 4`, conf.file, line, 'log_level');
  }
  // libvirt accepts more and then fails every guest's log open with this text; refusing at
  // start-up tells the operator before a guest does (README).
  if (c.maxBackups > MAX_BACKUPS_LIMIT) {
    const line = conf.entries.get('max_backups')?.line;
    throw new ConfigError(
      `${conf.file}:${line}: 'max_backups': unsupported configuration: Max backup ${c.maxBackups} must be less than or equal to ${MAX_BACKUPS_LIMIT}`,
      conf.file,
      line,
      'max_backups',
    );
  }
  return c;
}
