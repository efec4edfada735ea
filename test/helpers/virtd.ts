/** Our `virtd <kind> --mode session`, as root by default or as the test user. */
import { type DaemonUnderTest, launchDaemon } from './daemon-under-test.js';
import { ensureTestUser, type TestUser, VIRTD_BIN } from './tools.js';

export interface VirtdOptions {
  config?: string;
  args?: string[];
  /** Run as the unprivileged test user instead of root. */
  asTestUser?: boolean;
  /** Run as this user (e.g. the login user of a test sshd). */
  user?: TestUser;
  /** TCP ports that must accept before the daemon counts as started. */
  tcpPorts?: number[];
  /** Where tcpPorts listen, when not 127.0.0.1. */
  tcpHost?: string;
  /** Environment for the daemon and the tools run beside it (e.g. SASL_CONF_PATH, KRB5_CONFIG). */
  env?: Record<string, string>;
}

/** libvirtd and virtproxyd name their sockets libvirt-*; every other daemon after itself. */
function prefixOf(kind: string): string {
  return kind === 'libvirtd' || kind === 'virtproxyd' ? 'libvirt' : kind;
}

export function startVirtd(kind = 'libvirtd', opts: VirtdOptions = {}): Promise<DaemonUnderTest> {
  return launchDaemon({
    // The executable itself, as systemd runs it: its #! line carries the daemons' Node options.
    cmd: VIRTD_BIN,
    args: [kind, '--mode', 'session', ...(opts.args ?? [])],
    user: opts.user ?? (opts.asTestUser ? ensureTestUser() : undefined),
    config: opts.config === undefined ? undefined : { name: `${kind}.conf`, text: opts.config },
    tcpPorts: opts.tcpPorts,
    tcpHost: opts.tcpHost,
    extraEnv: opts.env,
    mainName: `${prefixOf(kind)}-sock`,
    adminName: `${prefixOf(kind)}-admin-sock`,
  });
}
